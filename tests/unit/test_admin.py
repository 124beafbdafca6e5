"""What the admins read: /stats with its numbers, the reload and start notices, and how they are sent.

The end-to-end tests (test_staff_e2e, test_last_good_e2e) see these through a
running bot; here each text is checked line by line against known counters.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from telegram.error import Forbidden

from bot.engine import Engine
from bot.quota import OverQuota
from bot.recording import TELEGRAM, WEB, Stats
from bot.reloader import LiveKnowledge, Reload, watch
from bot.status import Status
from bot.storage.database import Health
from bot.tg.admin import MAX_PROBLEMS_SHOWN, Admin, reload_report, start_report, stats_report
from bot.versions import Versions
from bot.yamlsource import Position, Problem
from tests.support.staff_files import copy_real_files, edit


@pytest.fixture
def live(tmp_path: Path) -> LiveKnowledge:
    root = copy_real_files(tmp_path)
    return LiveKnowledge(root / "knowledge" / "networks.yaml", root / "intents", None, Versions(tmp_path / "v"))


def status(health: Health | None = None, waiting: int = 2, remembered: int = 4) -> Status:
    return Status("v", 6, None, health or Health(), waiting=waiting, remembered=remembered, skipped=0)


def problem(line: int, message: str = "поље `x` је празно", severity: str = "error") -> Problem:
    return Problem(Position("knowledge/networks.yaml", line, 5), message, severity)


def test_stats_counts_each_kind_of_answer(engine: Engine) -> None:
    stats = Stats()
    for question in ("Шта је НАЛЕД?", "koliko je sati u tokiju", "Ко чини AVEC?", "Где је седиште СКГО?"):
        stats.count(engine.answer(question))
    assert (stats.questions, stats.fallbacks, stats.clarifications, stats.by_channel[WEB]) == (4, 1, 1, 0)
    stats.count(engine.answer("Шта је НАЛЕД?"), WEB)
    stats.count(engine.answer("koliko je sati u tokiju"), WEB)
    assert (stats.questions, stats.fallbacks, stats.by_channel[WEB]) == (6, 2, 2)
    for helpful in (True, False, True, False, False):
        stats.count_vote(helpful=helpful)
    assert (stats.helpful, stats.unhelpful) == (2, 3)


def test_stats_report_shows_every_counter(live: LiveKnowledge) -> None:
    stats = Stats(
        started_at=datetime(2026, 11, 28, 9, 5, tzinfo=UTC),
        questions=7,
        fallbacks=2,
        clarifications=1,
        by_channel=Counter({TELEGRAM: 4, WEB: 3}),
        helpful=3,
        unhelpful=1,
        over_quota={TELEGRAM: OverQuota(skipped=5, slowed=1), WEB: OverQuota(skipped=6, slowed=6)},
    )
    lines = stats_report(stats, live, status()).splitlines()
    assert lines[0] == "📊 Од покретања (2026-11-28 09:05 UTC):"
    assert lines[1:8] == [
        "питања: 7, одговорено: 4; са сајта: 3",
        "без одговора (fallback): 2",
        "питања назад (clarify): 1",
        "оцене: 👍 3 / 👎 1",
        "прескочено преко квоте: 5 (замољено да успори: 1); на сајту одбијено преко квоте: 6",
        "чека одговор: 2, разговора у памћењу: 4",
        "база: у реду",
    ]
    assert lines[8].startswith(f"знање: верзија <code>{live.version}</code>, учитано ")
    assert lines[8].endswith(", мрежа: 6") and len(lines) == 9


def test_stats_report_explains_a_storage_fault_in_escaped_html(live: LiveKnowledge) -> None:
    since = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
    text = stats_report(Stats(), live, status(Health("disk <full> & more", since, unsaved=12)))
    assert "⚠️ база: уписивање не успева од 2026-11-28 10:30 UTC (disk &lt;full&gt; &amp; more); " in text
    assert "чека уписивање: 12." in text and "база: у реду" not in text
    unknown_since = stats_report(Stats(), live, status(Health("locked", None, unsaved=1)))
    assert "⚠️ база: уписивање не успева од ? (locked); " in unknown_since


def test_stats_report_says_when_the_files_on_disk_do_not_load(live: LiveKnowledge) -> None:
    good = live.version
    edit(live.knowledge, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
    rejected = live.reload()
    text = stats_report(Stats(), live, status())
    assert f"датотеке на диску (верзија <code>{rejected.version}</code>) имају грешака: " in text
    assert f"бот одговара из верзије <code>{good}</code>" in text
    assert "сачуване пре поновног покретања" not in text  # the bot is still running the version it loaded
    restarted = LiveKnowledge(live.knowledge, live.intents, None, live.versions)
    line = stats_report(Stats(), restarted, status()).splitlines()[-1]
    assert line == (
        f"⚠️ датотеке на диску (верзија <code>{rejected.version}</code>) имају грешака: {len(rejected.problems)}; "
        f"бот одговара из верзије <code>{good}</code>, сачуване пре поновног покретања"
    )


def test_a_good_reload_is_announced_with_its_version_and_warnings(live: LiveKnowledge) -> None:
    automatic = reload_report(Reload(True, live.version, (problem(3, severity="warning"),)), live, automatic=True)
    assert automatic.startswith(f"✅ Измене су учитане: верзија <code>{live.version}</code>, мрежа: 6.")
    assert "Упозорења (1):\n• knowledge/networks.yaml:3:5: упозорење:" in automatic
    manual = reload_report(Reload(True, live.version), live, automatic=False)
    assert manual == f"✅ Знање је поново учитано: верзија <code>{live.version}</code>, мрежа: 6."


def test_a_rejected_reload_lists_the_problems_escaped_and_names_the_version_answering(live: LiveKnowledge) -> None:
    problems = tuple(problem(line, "поље `<b>` је празно") for line in range(1, MAX_PROBLEMS_SHOWN + 3))
    text = reload_report(Reload(False, "bad", problems), live, automatic=True)
    assert text.startswith(f"⚠️ Измена датотека није учитана (грешака: {len(problems)}).")
    assert f"последње исправне верзије <code>{live.version}</code>" in text
    assert text.count("• ") == MAX_PROBLEMS_SHOWN and "… и још 2" in text
    assert "&lt;b&gt;" in text and "<b>" not in text
    assert (
        text.splitlines()[-1] == "Исправите грешке и сачувајте датотеку; провера: <code>python -m bot validate</code>"
    )
    exactly = reload_report(Reload(False, "bad", problems[:MAX_PROBLEMS_SHOWN]), live, automatic=True)
    assert exactly.count("• ") == MAX_PROBLEMS_SHOWN and "… и још" not in exactly
    assert "\n".join(line for line in exactly.splitlines() if line.startswith("• ")) in exactly


def test_the_start_notice_appears_only_when_the_bot_starts_from_a_kept_version(live: LiveKnowledge) -> None:
    assert start_report(live) is None
    edit(live.knowledge, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
    restarted = LiveKnowledge(live.knowledge, live.intents, None, live.versions)
    text = start_report(restarted)
    assert text is not None and f"последње исправне верзије <code>{live.version}</code>" in text
    assert "webiste" in text
    assert text.splitlines()[-1] == (
        "Исправите грешке и сачувајте датотеку (бот је учитава сам), или вратите исправну верзију: "
        f"<code>python -m bot restore {live.version}</code>"
    )


class FakeUpdate:
    """What Admin reads of an update: the message to reply to (absent for, e.g., a channel post)."""

    def __init__(self, message: bool = True):
        self.replies: list[str] = []
        self.effective_message = self if message else None

    async def reply_html(self, text: str) -> None:
        self.replies.append(text)


class FakeBot:
    def __init__(self, refuse: set[int] = frozenset()):  # type: ignore[assignment]
        self.refuse = refuse
        self.sent: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        if chat_id in self.refuse:
            raise Forbidden("bot was blocked by the user")
        self.sent.append((chat_id, text))


def test_every_admin_is_told_even_when_one_cannot_be_reached(
    live: LiveKnowledge, caplog: pytest.LogCaptureFixture
) -> None:
    admin = Admin(live, Stats(), frozenset({3, 1, 2}), status)
    bot = FakeBot(refuse={2})
    with caplog.at_level(logging.WARNING):
        asyncio.run(admin.tell_admins(bot, "порука"))  # type: ignore[arg-type]
    assert bot.sent == [(1, "порука"), (3, "порука")]
    assert caplog.messages == ["could not tell admin 2: bot was blocked by the user"]


def test_the_watcher_reports_an_edit_and_survives_a_failing_check(
    live: LiveKnowledge, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    results: list[Any] = [RuntimeError("disk"), None, Reload(True, "abc", ())]

    def check() -> Reload | None:
        result = results.pop(0) if results else None
        if isinstance(result, Exception):
            raise result
        return result  # type: ignore[no-any-return]

    monkeypatch.setattr(live, "check", check)
    bot = FakeBot()
    admin = Admin(live, Stats(), frozenset({7}), status)

    async def watch_a_while() -> None:
        watcher = asyncio.create_task(watch(live, 0.01, partial(admin.tell_reload, bot)))  # type: ignore[arg-type]
        while not bot.sent:
            await asyncio.sleep(0.01)
        watcher.cancel()

    with caplog.at_level(logging.INFO):
        asyncio.run(asyncio.wait_for(watch_a_while(), 10))
    assert bot.sent == [(7, reload_report(Reload(True, "abc", ()), live, automatic=True))]
    assert caplog.messages == ["checking the knowledge files failed", "knowledge loaded: version abc, 0 warning(s)"]


def test_a_rejected_reload_is_logged_with_its_problems(live: LiveKnowledge, caplog: pytest.LogCaptureFixture) -> None:
    edit(live.knowledge, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
    bot = FakeBot()
    admin = Admin(live, Stats(), frozenset({7}), status)
    update = FakeUpdate()
    with caplog.at_level(logging.INFO):
        asyncio.run(admin.reload(update, None))  # type: ignore[arg-type]
    (record,) = caplog.records
    assert record.levelname == "ERROR"
    assert record.getMessage().startswith("edited knowledge rejected, keeping the last good version: ")
    problems = live.rejected.problems if live.rejected else ()
    assert record.getMessage().endswith("; ".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN]))
    assert update.replies == [reload_report(live.rejected, live, automatic=False)] and not bot.sent


def test_reload_and_stats_reply_to_the_admin(live: LiveKnowledge) -> None:
    stats = Stats(questions=3)
    admin = Admin(live, stats, frozenset({7}), lambda: status(waiting=9))
    update = FakeUpdate()
    asyncio.run(admin.reload(update, None))  # type: ignore[arg-type]
    asyncio.run(admin.show_stats(update, None))  # type: ignore[arg-type]
    assert update.replies == [
        f"✅ Знање је поново учитано: верзија <code>{live.version}</code>, мрежа: 6.",
        stats_report(stats, live, status(waiting=9)),
    ]
    nothing = FakeUpdate(message=False)
    asyncio.run(admin.reload(nothing, None))  # type: ignore[arg-type]
    asyncio.run(admin.show_stats(nothing, None))  # type: ignore[arg-type]


def test_announce_start_tells_the_admins_only_after_a_fallback(
    live: LiveKnowledge, caplog: pytest.LogCaptureFixture
) -> None:
    bot = FakeBot()
    asyncio.run(Admin(live, Stats(), frozenset({5}), status).announce_start(bot))  # type: ignore[arg-type]
    assert bot.sent == []
    edit(live.knowledge, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
    restarted = LiveKnowledge(live.knowledge, live.intents, None, live.versions)
    with caplog.at_level(logging.ERROR):
        asyncio.run(Admin(restarted, Stats(), frozenset({5}), status).announce_start(bot))  # type: ignore[arg-type]
    assert bot.sent == [(5, start_report(restarted))]
    problems = restarted.rejected.problems if restarted.rejected else ()
    assert caplog.messages == [
        f"the knowledge files do not load; answering from kept version {live.version}: "
        + "; ".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN])
    ]
