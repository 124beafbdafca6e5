"""Faults played against the real bot process and the fake Bot API, with what came of them counted.

Shared by the end-to-end tests, which assert on the counts, and by
`bench/telegram_faults.py`, which prints them.  The rate limiter is on, as in
production.  Every scenario counts per question, not per chat: each chat asks
about three different networks, so a reply says which question it answers.
"""

from __future__ import annotations

import re
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.support.bot_process import new_chat_id, running_bot
from tests.support.fake_bot_api import FakeBotApi

# A question per network, and the words that open the reply to it.
QUESTIONS = {
    "Шта је СКГО?": "<b>СКГО",
    "Где је седиште НАЛЕД-а?": "<b>НАЛЕД",
    "Када је Ниш приступио ECAD-у?": "<b>ECAD",
}
ADMIN = 777001


@dataclass(frozen=True)
class Burst:
    chats: list[int]

    @property
    def asked(self) -> int:
        return len(self.chats) * len(QUESTIONS)


@dataclass(frozen=True)
class Tally:
    asked: int
    lost: int  # questions that never got their answer
    doubled: int  # answers sent more than once


@dataclass(frozen=True)
class StopOutcome:
    tally: Tally
    stop_seconds: float
    answered_before_stop: int


@dataclass(frozen=True)
class FloodOutcome:
    others_waits: list[float]  # seconds from each other citizen's question to its answer
    flooder_answers: int
    slow_downs: int
    stats: str  # the admin's /stats afterwards


def push_burst(api: FakeBotApi, chats: int) -> Burst:
    """Every chat asks each question once, all at once (the first question of every chat first)."""
    ids = [new_chat_id() for _ in range(chats)]
    for question in QUESTIONS:
        for chat in ids:
            api.push_text(chat, question)
    return Burst(ids)


def answers(api: FakeBotApi, chats: Iterable[int]) -> Counter[tuple[int, str]]:
    """(chat, question) -> how many answers it got so far."""
    wanted = set(chats)
    counts: Counter[tuple[int, str]] = Counter()
    for call in api.calls_of("sendMessage"):
        chat = call.params.get("chat_id")
        if call.ok and chat in wanted:
            for question, opening in QUESTIONS.items():
                if call.params["text"].startswith(opening):
                    counts[chat, question] += 1
    return counts


def tally(api: FakeBotApi, burst: Burst) -> Tally:
    counts = answers(api, burst.chats)
    lost = sum(1 for chat in burst.chats for question in QUESTIONS if not counts[chat, question])
    return Tally(burst.asked, lost, sum(n - 1 for n in counts.values() if n > 1))


def wait_until_settled(api: FakeBotApi, burst: Burst, timeout: float, quiet: float = 2.0) -> None:
    """Until every question has an answer and `quiet` s passed with no new one (a double would come then)."""
    deadline = time.monotonic() + timeout
    seen, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        counts = answers(api, burst.chats)
        total = sum(counts.values())
        if total != seen:
            seen, last_change = total, time.monotonic()
        if len(counts) >= burst.asked and time.monotonic() - last_change >= quiet:
            return
        time.sleep(0.1)


def stop_mid_burst(how: signal.Signals, after: float = 1.5, chats: int = 100, settle: float = 60) -> StopOutcome:
    """Questions from `chats` chats; `how` after `after` s; start the bot again on the same data; count."""
    with FakeBotApi() as api, tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        with running_bot(api, data_dir=data) as bot:
            burst = push_burst(api, chats)
            time.sleep(after)
            answered = sum(answers(api, burst.chats).values())
            stop_seconds = bot.stop(how)
        with running_bot(api, data_dir=data):
            wait_until_settled(api, burst, settle)
        return StopOutcome(tally(api, burst), stop_seconds, answered)


def flood_beside_others(flood: int = 300, others: int = 20) -> FloodOutcome:
    """One chat sends `flood` messages at once; right after, `others` citizens ask one question each."""
    with FakeBotApi() as api, running_bot(api, {"BOT_ADMIN_IDS": str(ADMIN)}) as bot:
        flooder = new_chat_id()
        for index in range(flood):
            api.push_text(flooder, f"Шта је СКГО? ({index})")
        citizens = [new_chat_id() for _ in range(others)]
        asked = {chat: api.pushed_at[api.push_text(chat, "Где је седиште НАЛЕД-а?")] for chat in citizens}
        waits = [bot.reply_to(chat).at - asked[chat] for chat in citizens]
        time.sleep(1.0)  # the flooder's last answers, if any were to come
        to_flooder = [c for c in api.calls_of("sendMessage") if c.params.get("chat_id") == flooder]
        slow_downs = [c for c in to_flooder if "много порука" in c.params["text"]]
        _, stats = bot.command("/stats", chat_id=ADMIN)
        return FloodOutcome(waits, len(to_flooder) - len(slow_downs), len(slow_downs), stats.params["text"])


def skipped_in(stats: str) -> int:
    found = re.search(r"прескочено преко квоте: (\d+)", stats)
    return int(found.group(1)) if found else -1
