"""The polling loop with a scripted Bot API: when it confirms, and how it meets Telegram's faults."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.status import Status, read_status, write_status
from bot.storage.database import Health
from bot.tg.polling import POLL_SECONDS, poll


def update(update_id: int) -> Update:
    message = {"message_id": update_id, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "СКГО?"}
    parsed = Update.de_json({"update_id": update_id, "message": message}, None)
    assert parsed is not None
    return parsed


class ScriptedBot:
    """Answers each getUpdates with the next item of `script` (a list of updates, or an error to raise)."""

    def __init__(self, script: list[Any], log: list[str]):
        self.script, self.log = script, log
        self.options: list[dict[str, Any]] = []

    async def get_updates(self, offset: int | None, **options: Any) -> list[Update]:
        self.log.append(f"getUpdates offset={offset}")
        self.options.append(options)
        if not self.script:
            raise asyncio.CancelledError  # the test is over: stop the loop as the service does
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return list(step)


class RecordingParts:
    def __init__(self, log: list[str]):
        self.log = log

    async def room(self) -> None:
        pass

    async def receive(self, updates: Sequence[Update]) -> None:
        await asyncio.sleep(0)
        self.log.append(f"received {[u.update_id for u in updates]}")

    def confirmed(self, offset: int) -> None:
        self.log.append(f"confirmed {offset}")


def play(script: list[Any], bot: ScriptedBot | None = None) -> tuple[list[str], list[float]]:
    log: list[str] = []
    slept: list[float] = []
    parts = RecordingParts(log)
    bot = bot or ScriptedBot(script, log)
    bot.log = log

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def run() -> None:
        with pytest.raises(asyncio.CancelledError):
            await poll(bot, parts, parts, sleep)  # type: ignore[arg-type]

    asyncio.run(run())
    return log, slept


def test_a_batch_is_confirmed_only_by_the_request_after_it_was_received() -> None:
    log, _ = play([[update(5), update(6)], [], [update(7)]])
    assert log == [
        "getUpdates offset=None",
        "received [5, 6]",
        "getUpdates offset=7",
        "confirmed 7",
        "getUpdates offset=7",
        "confirmed 7",
        "received [7]",
        "getUpdates offset=8",
    ]


def test_telegram_faults_wait_as_telegram_asks_and_back_off() -> None:
    log, slept = play(
        [
            NetworkError("Bad Gateway"),
            NetworkError("Bad Gateway"),
            RetryAfter(timedelta(seconds=3)),
            TimedOut(),
            [update(1)],
        ]
    )
    assert slept == [1.0, 1.5, 3.5]  # back-off, then flood control's retry_after (plus half a second)
    assert log[-2:] == ["received [1]", "getUpdates offset=2"]


def test_each_request_long_polls_for_every_kind_of_update() -> None:
    bot = ScriptedBot([[update(1)], NetworkError("Bad Gateway"), []], [])
    play([], bot)
    assert bot.options == [{"timeout": POLL_SECONDS, "allowed_updates": Update.ALL_TYPES}] * 4


def test_a_fault_after_a_good_request_waits_the_first_step_again_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    faults = [NetworkError("Bad Gateway"), NetworkError("Bad Gateway")]
    _, slept = play([*faults, [update(1)], NetworkError("Bad Gateway"), [], RetryAfter(7), NetworkError("Reset")])
    assert slept == [1.0, 1.5, 1.0, 7.5, 1.0]  # a good answer starts the back-off over
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings[:2] == [
        "getUpdates failed (Bad Gateway); asking again in 1.0 s",
        "getUpdates failed (Bad Gateway); asking again in 1.5 s",
    ]
    assert warnings[-1] == "getUpdates failed (Reset); asking again in 1.0 s"


def test_flood_control_is_read_whichever_type_telegram_gives_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # python-telegram-bot 23's type: a timedelta, not an int
    _, slept = play([RetryAfter(timedelta(seconds=4)), [update(1)]])
    assert slept == [4.5]


def test_an_invalid_token_stops_the_loop() -> None:
    with pytest.raises(InvalidToken):
        play([InvalidToken()])


# The status file the health check reads ---------------------------------------


def status(problem: str | None = None) -> Status:
    return Status("abc123", 6, None, Health(problem=problem), waiting=2, remembered=3, skipped=0)


def test_the_health_check_reads_a_fresh_status_and_sees_a_storage_fault_as_degraded(tmp_path: Path) -> None:
    path = tmp_path / "status.json"
    write_status(path, status())
    healthy, text = read_status(path)
    assert healthy and '"status": "ok"' in text
    write_status(path, status("OperationalError: database is locked"))
    healthy, text = read_status(path)
    assert healthy and '"status": "degraded"' in text and "locked" in text


def test_the_health_check_fails_when_the_bot_does_not_run_or_hangs(tmp_path: Path) -> None:
    path = tmp_path / "status.json"
    healthy, text = read_status(path)
    assert not healthy and "нема његовог статуса" in text
    write_status(path, status())
    healthy, text = read_status(path, now=time.time() + 120)
    assert not healthy and "није освежен" in text
