"""End to end: `python -m bot run` as a subprocess against the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import yaml

from bot.loader import PROJECT_ROOT
from bot.storage.database import database_path
from tests.support.bot_process import RunningBot, bot_environment, free_port, new_chat_id, running_bot
from tests.support.fake_bot_api import BOT_ID, BOT_USERNAME, TOKEN, FakeBotApi


@pytest.fixture(scope="module")
def bot() -> Iterator[RunningBot]:
    with FakeBotApi() as api, running_bot(api) as running:
        yield running


def test_start_up_sets_commands_and_descriptions(bot: RunningBot) -> None:
    commands = bot.api.wait_for("setMyCommands")[0].params["commands"]
    assert [c["command"] for c in commands] == ["start", "help", "mreze"]
    assert "Ниш" in bot.api.wait_for("setMyDescription")[0].params["description"]
    assert bot.api.wait_for("setMyShortDescription")[0].params["short_description"]


def test_cyrillic_question(bot: RunningBot) -> None:
    _, reply = bot.ask("Када је Ниш приступио ECAD-у?")
    assert "2007" in reply.params["text"] and "Истанбулу" in reply.params["text"]
    assert reply.params["text"].startswith("<b>ECAD – Европски градови против дрога</b>")
    assert reply.params["parse_mode"] == "HTML"
    assert reply.params["link_preview_options"] == {"is_disabled": True}


def test_latin_question_without_diacritics(bot: RunningBot) -> None:
    _, reply = bot.ask("kad je nis usao u ecad")
    assert "Istanbulu" in reply.params["text"]
    assert not any("\u0400" <= ch <= "\u04ff" for ch in reply.params["text"])


def test_follow_up_in_the_same_chat(bot: RunningBot) -> None:
    chat_id, _ = bot.ask("Шта је СКГО?")
    bot.api.push_text(chat_id, "А када је основан?")
    reply = bot.reply_to(chat_id, count=2)
    assert "1953" in reply.params["text"] and "априла" in reply.params["text"]


def test_start_greets_with_examples_and_network_buttons(bot: RunningBot) -> None:
    _, reply = bot.command("/start")
    assert "Када је Ниш приступио ECAD-у?" in reply.params["text"]
    buttons = [row[0] for row in reply.params["reply_markup"]["inline_keyboard"]]
    assert len(buttons) == 6 and buttons[1]["callback_data"] == "n:ecad"


def test_mreze_lists_every_network_as_a_button(bot: RunningBot) -> None:
    """README: "`/mreze` (network buttons)"."""
    networks = yaml.safe_load((PROJECT_ROOT / "knowledge" / "networks.yaml").read_text(encoding="utf-8"))["networks"]
    _, reply = bot.command("/mreze")
    buttons = [b for row in reply.params["reply_markup"]["inline_keyboard"] for b in row]
    assert sorted(b["callback_data"] for b in buttons) == sorted(f"n:{n['id']}" for n in networks)
    for network, button in ((n, b) for n in networks for b in buttons if b["callback_data"] == f"n:{n['id']}"):
        assert network.get("acronym", network["name"]) in button["text"] or network["name"] in button["text"]


def test_logs_at_info_carry_no_question_text_and_no_user_name(bot: RunningBot) -> None:
    """docs/operations.md, Logs: "never user names; the question text only at `LOG_LEVEL=DEBUG`. Failures log the
    chat id only."
    One question the bot cannot answer, one whose answer Telegram refuses, both from a named user."""
    person = {"is_bot": False, "first_name": "Милијана", "last_name": "Стојковић", "username": "milijana_nis"}
    unanswerable, refused = "колико кошта месечна карта за аутобус", "Где је седиште Лиге историјских градова?"
    asker = new_chat_id()
    bot.api.push_text(asker, unanswerable, **{"from": {"id": asker, **person}})
    bot.reply_to(asker)
    failing = new_chat_id()
    bot.api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    bot.api.push_text(failing, refused, **{"from": {"id": failing, **person}})
    bot.api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == failing and not c.ok)
    deadline = time.monotonic() + 10
    while str(failing) not in bot.logs() and time.monotonic() < deadline:
        time.sleep(0.1)
    logs = bot.logs()
    assert str(failing) in logs  # the failure is logged, with the chat id
    for private in (unanswerable, refused, "кошта", "Милијана", "Стојковић", "milijana_nis"):
        assert private not in logs, private


def test_help_is_in_both_scripts(bot: RunningBot) -> None:
    _, reply = bot.command("/help")
    assert "ћирилицом или латиницом" in reply.params["text"] and "ćirilicom ili latinicom" in reply.params["text"]


def test_network_button_opens_a_card_with_question_buttons(bot: RunningBot) -> None:
    chat_id = new_chat_id()
    bot.api.push_callback(chat_id, "n:naled")
    card = bot.reply_to(chat_id)
    assert card.params["text"].startswith("<b>НАЛЕД – Национална алијанса за локални економски развој</b>")
    assert "УСАИД" in card.params["text"] and "https://naled.rs" in card.params["text"]
    data = [b["callback_data"] for row in card.params["reply_markup"]["inline_keyboard"] for b in row]
    assert "a:seat:naled" in data and "a:link:naled" in data
    bot.api.push_callback(chat_id, "a:seat:naled")
    answer = bot.reply_to(chat_id, count=2)
    assert "Београду" in answer.params["text"]
    assert bot.api.calls_of("answerCallbackQuery")


def test_buttons_answer_in_the_script_last_written_in(bot: RunningBot) -> None:
    chat_id, _ = bot.ask("sta je naled")
    bot.api.push_callback(chat_id, "a:founded:naled")
    answer = bot.reply_to(chat_id, count=2)
    assert "osnovan u junu 2006" in answer.params["text"]


def test_clarify_shows_suggestions_as_buttons_that_answer(bot: RunningBot) -> None:
    chat_id, reply = bot.ask("Ко чини AVEC?")
    buttons = [row[0] for row in reply.params["reply_markup"]["inline_keyboard"]]
    assert 1 <= len(buttons) <= 3 and all(b["text"] in reply.params["text"] for b in buttons)
    bot.api.push_callback(chat_id, buttons[0]["callback_data"])
    answer = bot.reply_to(chat_id, count=2)
    assert "AVEC" in answer.params["text"] and "Нисам сигуран" not in answer.params["text"]


def test_sticker_gets_a_polite_line(bot: RunningBot) -> None:
    chat_id = new_chat_id()
    sticker = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512}
    sticker |= {"is_animated": False, "is_video": False}
    bot.api.push({"message": bot.api.message(chat_id, sticker=sticker)})
    assert "текстуална питања" in bot.reply_to(chat_id).params["text"]


def test_a_5000_character_message_is_answered(bot: RunningBot) -> None:
    _, reply = bot.ask("Поштовани, занима ме када је Ниш приступио ECAD-у. " + "Хвала. " * 700)
    assert "2007" in reply.params["text"]


def test_text_with_html_in_it_is_answered_with_valid_html(bot: RunningBot) -> None:
    # The fake server rejects malformed HTML as Telegram does ("can't parse entities").
    _, reply = bot.ask("Da li je Niš član <b>Eurocities</b>? & <script>")
    assert "„Eurocities“" in reply.params["text"]


def test_group_message_without_mention_is_ignored_and_with_mention_answered(bot: RunningBot) -> None:
    group = -new_chat_id()
    bot.api.push_text(group, "Шта је СКГО?", chat_type="group", user_id=42)
    mention = f"@{BOT_USERNAME}"
    text = f"{mention} Шта је НАЛЕД?"
    entities = [{"type": "mention", "offset": 0, "length": len(mention)}]
    bot.api.push_text(group, text, chat_type="group", user_id=42, entities=entities)
    reply = bot.reply_to(group)
    assert "УСАИД" in reply.params["text"]
    # updates of one chat are handled in order, so the unmentioned one was already passed over
    assert len([c for c in bot.api.calls_of("sendMessage") if c.params["chat_id"] == group]) == 1


def test_group_reply_to_the_bot_is_answered(bot: RunningBot) -> None:
    group = -new_chat_id()
    bot_message = {"message_id": 1, "date": 0, "chat": {"id": group, "type": "group", "title": "Г"}}
    bot_message["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Мреже"}
    bot.api.push_text(group, "а где је седиште СКГО?", chat_type="group", user_id=43, reply_to_message=bot_message)
    assert "Македонској" in bot.reply_to(group).params["text"]


def test_edited_message_is_answered_again(bot: RunningBot) -> None:
    chat_id, _ = bot.ask("sta je ecad")
    edited = bot.api.message(chat_id, text="gde je sediste ecad", edit_date=1)
    bot.api.push({"edited_message": edited})
    assert "Stokholmu" in bot.reply_to(chat_id, count=2).params["text"]


def test_inline_query_offers_network_cards(bot: RunningBot) -> None:
    user = new_chat_id()
    bot.api.push_inline(user, "ecad")
    call = bot.api.wait_for("answerInlineQuery", lambda c: c.params["results"][0]["title"].startswith("ECAD"))[-1]
    result = call.params["results"][0]
    assert result["input_message_content"]["parse_mode"] == "HTML"
    assert "2007" in result["input_message_content"]["message_text"]


def test_survives_a_500_from_get_updates(bot: RunningBot) -> None:
    bot.api.fail_next("getUpdates", 500, "Internal Server Error")
    _, reply = bot.ask("Шта је AVEC?")
    assert "Нишкој Бањи" in reply.params["text"]


def test_retries_a_429_with_retry_after(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    chat_id, reply = bot.ask("Где је седиште НАЛЕД-а?")
    assert "Београду" in reply.params["text"]
    sent = [c for c in bot.api.calls_of("sendMessage") if c.params.get("chat_id") == chat_id]
    assert [c.ok for c in sent] == [False, True]  # refused once, then retried after retry_after
    assert sent[1].at - sent[0].at >= 0.9


def test_resends_an_answer_the_bot_api_failed_with_a_5xx(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", 502, "Bad Gateway")
    chat_id, reply = bot.ask("sajt energy cities")
    assert "energy-cities.eu" in reply.params["text"]
    sent = [c for c in bot.api.calls_of("sendMessage") if c.params.get("chat_id") == chat_id]
    assert [c.ok for c in sent] == [False, True]  # nothing lost, nothing doubled
    assert sent[1].at - sent[0].at >= 0.9
    assert "retrying" in bot.logs()


def test_unknown_method_answers_like_telegram() -> None:
    with FakeBotApi() as api:
        request = urllib.request.Request(f"{api.base_url}{TOKEN}/noSuchMethod", data=b"", method="POST")
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=5)
        assert error.value.code == 404
        assert json.loads(error.value.read())["ok"] is False


def test_run_without_a_token_explains_and_exits_2() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "python -m bot chat" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def _post(url: str, body: dict[str, object], secret: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_webhook_mode_checks_the_secret_and_answers_updates() -> None:
    port, secret = free_port(), "s3cret-Token_1"
    settings = {
        "WEBHOOK_URL": "https://bot.example.org/telegram/hook",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": secret,
    }
    with FakeBotApi() as api, running_bot(api, settings, ready="setWebhook") as bot:
        webhook = api.calls_of("setWebhook")[0].params
        assert webhook["url"] == settings["WEBHOOK_URL"] and webhook["secret_token"] == secret
        assert not api.calls_of("getUpdates")
        hook = f"http://127.0.0.1:{port}/telegram/hook"
        intruder, citizen = new_chat_id(), new_chat_id()
        assert _post(hook, {"update_id": 1, "message": api.message(intruder, text="Шта је ECAD?")}, "wrong") == 403
        assert _post(hook, {"update_id": 2, "message": api.message(citizen, text="Шта је ECAD?")}, secret) == 200
        with closing(sqlite3.connect(database_path(bot.data_dir))) as database:  # in the inbox before the 200
            assert database.execute("SELECT update_id FROM inbox").fetchall() == [(2,)]
        assert "ECAD" in bot.reply_to(citizen).params["text"]
        assert not [c for c in api.calls_of("sendMessage") if c.params.get("chat_id") == intruder]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as health:
            assert json.load(health)["status"] == "ok"
        probe = subprocess.run(
            [sys.executable, "-m", "bot", "healthcheck"],
            cwd=PROJECT_ROOT, env={**os.environ, **settings}, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert probe.returncode == 0 and '"knowledge_version"' in probe.stdout
    failed = subprocess.run(  # the bot has stopped: the port no longer answers
        [sys.executable, "-m", "bot", "healthcheck", "--timeout", "1"],
        cwd=PROJECT_ROOT, env={**os.environ, **settings}, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert failed.returncode == 1 and str(port) in failed.stderr


def test_an_unusable_data_directory_is_explained_at_start(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    env = bot_environment(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "http://127.0.0.1:9/bot", "BOT_DATA_DIR": str(blocker)}
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "BOT_DATA_DIR" in result.stderr and "Traceback" not in result.stderr and TOKEN not in result.stderr
