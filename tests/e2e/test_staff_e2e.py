"""Staff workflow end to end: edits under a running bot, admin commands, stored questions, ratings."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage.questions import read_feedback, read_unanswered
from tests.support.bot_process import RunningBot, new_chat_id, running_bot
from tests.support.fake_bot_api import Call, FakeBotApi
from tests.support.staff_files import copy_real_files, edit

ADMIN = 424242
OLD_SEAT, NEW_SEAT = "Седиште НАЛЕД-а је у Београду", "Седиште НАЛЕД-а је у Новом Саду"


def loaded_told(call: Call) -> bool:
    """The admin was told that edited files were loaded."""
    return "учитане" in call.params.get("text", "")


class Staff:
    def __init__(self, bot: RunningBot, root: Path):
        self.bot, self.root = bot, root
        self.networks = root / "knowledge" / "networks.yaml"

    def edit(self, old: str, new: str) -> None:
        edit(self.networks, old, new)


@pytest.fixture(scope="module")
def staff() -> Iterator[Staff]:
    with tempfile.TemporaryDirectory() as folder, FakeBotApi() as api:
        root = copy_real_files(Path(folder))
        settings = {
            "BOT_KNOWLEDGE": str(root / "knowledge" / "networks.yaml"),
            "BOT_INTENTS": str(root / "intents"),
            "BOT_ADMIN_IDS": str(ADMIN),
            "BOT_DATA_DIR": str(root / "data"),
            "BOT_RELOAD_SECONDS": "1",
        }
        with running_bot(api, settings) as bot:
            yield Staff(bot, root)


def answer_within(bot: RunningBot, question: str, expected: str, seconds: float = 10) -> str:
    """Ask again until the answer contains `expected` (a reload takes a check or two)."""
    deadline = time.monotonic() + seconds
    while True:
        _, reply = bot.ask(question)
        text: str = reply.params["text"]
        if expected in text or time.monotonic() > deadline:
            return text
        time.sleep(0.3)


def test_a_good_edit_is_answered_within_seconds_and_the_admin_told(staff: Staff) -> None:
    assert OLD_SEAT in staff.bot.ask("Где је седиште НАЛЕД-а?")[1].params["text"]
    staff.edit(OLD_SEAT, NEW_SEAT)
    assert NEW_SEAT in answer_within(staff.bot, "Где је седиште НАЛЕД-а?", NEW_SEAT)
    staff.bot.api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == ADMIN and "учитане" in c.params["text"])


def test_a_broken_edit_keeps_the_old_answers_and_tells_the_admin(staff: Staff) -> None:
    """On its own: under xdist the module's tests may run in other processes, each with its own bot."""
    last_good = staff.bot.ask("Где је седиште НАЛЕД-а?")[1].params["text"]
    loaded = [c for c in staff.bot.api.calls_of("sendMessage") if c.params.get("chat_id") == ADMIN and loaded_told(c)]
    staff.edit("    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
    told = staff.bot.api.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == ADMIN and "није учитана" in c.params["text"]
    )[-1].params["text"]
    assert "networks.yaml:" in told and "webiste" in told
    assert staff.bot.ask("Где је седиште НАЛЕД-а?")[1].params["text"] == last_good  # the last good version
    assert "rejected" in staff.bot.logs()
    staff.edit("    webiste: https://naled.rs\n", "    website: https://naled.rs\n")  # put it right again
    staff.bot.api.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == ADMIN and loaded_told(c), count=len(loaded) + 1
    )


def test_reload_and_stats_answer_the_admin(staff: Staff) -> None:
    _, reply = staff.bot.command("/reload", chat_id=ADMIN)
    assert "поново учитано" in reply.params["text"]
    _, reply = staff.bot.command("/stats", chat_id=ADMIN)
    assert "питања:" in reply.params["text"] and "верзија" in reply.params["text"]


def test_admin_commands_are_plain_text_for_anyone_else(staff: Staff) -> None:
    for command in ("/stats", "/reload"):
        _, reply = staff.bot.command(command)
        text = reply.params["text"]
        assert "верзија" not in text and "учитано" not in text
        assert text == staff.bot.ask("/nepoznato")[1].params["text"]  # exactly what any unknown text gets


def test_unanswered_questions_are_stored_without_the_person(staff: Staff) -> None:
    chat = new_chat_id()
    staff.bot.ask("koliko je sati u tokiju", chat_id=chat)
    deadline = time.monotonic() + 5
    while not (rows := [r for r in read_unanswered(staff.root / "data", days=1) if "tokiju" in r.text]):
        assert time.monotonic() < deadline, "the question never reached the database"
        time.sleep(0.1)
    assert rows[0].outcome == "fallback" and rows[0].script == "latin"
    assert str(chat) not in repr(rows[0])


def test_rating_an_answer_is_counted_and_the_buttons_go_away(staff: Staff) -> None:
    chat, reply = staff.bot.ask("Када је основан СКГО?")
    buttons = [b for row in reply.params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == ["👍 Корисно", "👎 Није"]
    staff.bot.api.push_callback(chat, buttons[1]["callback_data"])
    thanks = staff.bot.api.wait_for("answerCallbackQuery", lambda c: "Хвала" in c.params.get("text", ""))
    assert thanks
    staff.bot.api.wait_for("editMessageReplyMarkup", lambda c: c.params.get("chat_id") == chat)
    deadline = time.monotonic() + 5
    while not (votes := [v for v in read_feedback(staff.root / "data", days=1) if v.network == "skgo"]):
        assert time.monotonic() < deadline, "the vote never reached the database"
        time.sleep(0.1)
    assert (votes[0].intent, votes[0].helpful, votes[0].unhelpful) == ("founded", 0, 1)
