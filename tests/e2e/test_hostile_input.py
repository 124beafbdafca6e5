"""One bad request never costs anyone else (issue 18): hostile text, through every door, loses nothing.

The attack that once emptied the database: `{"question": "\\ud800 otrov"}`, a lone
surrogate, which is valid JSON.  It is cleaned where it enters (bot/text.py); and
should a row that cannot be written ever reach the database, the writer sets that
row aside and writes every other one.  Tested on the writer itself, through the
web API, through the fake Bot API, and with arbitrary JSON (hypothesis).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.storage.database import Changes, Database, Statement, database_path
from bot.storage.questions import QuestionStore, read_feedback, read_unanswered
from bot.text import MAX_CHARS, clean
from tests.support.bot_process import running_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.web_server import WebServer, web_server

ATTACK = b'{"question": "\\ud800 otrov"}'  # exactly the request of issue 18
JSON = {"Content-Type": "application/json"}


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def stored_texts(data_dir: Path) -> list[str]:
    return [row.text for row in read_unanswered(data_dir, days=1)]


# Cleaning ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "cleaned"),
    [
        ("\ud800 otrov", "\ufffd otrov"),
        ("a\udfffb\ud83d", "a\ufffdb\ufffd"),
        ("Шта је\u202e НАЛЕД\u2066?\u2069", "Шта је НАЛЕД?"),  # bidi override and isolate
        ("ECAD\u200b-у\ufeff", "ECAD-у"),  # zero-width space, byte order mark
        ("kad\x00 je\x1b[31m nis\x7f\x85 usao", "kad je[31m nis usao"),
        ("prvi red\r\ndrugi\rtreci\tkraj", "prvi red\ndrugi\ntreci kraj"),
        ("c\u030c", "č"),  # NFC: one letter, however it was typed
        ("\ufdd0\U0010ffff", "\ufffd\ufffd"),  # noncharacters
        ("👨\u200d👩\u200d👧 здраво", "👨\u200d👩\u200d👧 здраво"),  # the joiner emoji need stays
        ("ni\u200cs u\u200d ecad", "nis u ecad"),  # …but a joiner inside a word only splits it
        ("ecad\U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065", "ecad"),  # hidden tag text
        (
            "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",
            "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",
        ),
        ("❤\ufe0f\ufe01\ufe02\ufe03 nis\U000e0100\U000e0101", "❤\ufe0f nis"),  # one selector; a run hides bytes
        ("\u3164\u2800\u115f\uffa0 \u034f", " "),  # blanks that look like nothing
        ("prvi\u2028drugi\u2029treci", "prvi\ndrugi\ntreci"),
        ("x\u0301\u0302\u0303\u0304\u0305\u0306y", "x\u0301\u0302\u0303y"),  # no zalgo towers
    ],
)
def test_text_is_cleaned_where_it_enters(received: str, cleaned: str) -> None:
    assert clean(received) == cleaned
    clean(received).encode("utf-8")  # writable anywhere


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=[]), max_size=50))
def test_any_text_comes_out_utf8_writable_and_without_controls(received: str) -> None:
    cleaned = clean(received)
    cleaned.encode("utf-8")
    assert not any(ord(char) < 32 and char != "\n" for char in cleaned)
    assert not any(char in cleaned for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
    assert clean(cleaned) == cleaned


def test_a_long_text_is_cut_to_the_longest_message_a_citizen_writes() -> None:
    assert len(clean("ниш " * 5000)) == MAX_CHARS


# The database writer -----------------------------------------------------------


class Rows:
    """A part that stages whatever rows a test gives it."""

    schema = "CREATE TABLE IF NOT EXISTS row (value);"

    def __init__(self, database: Database):
        self.pending: list[Statement] = []
        self.database = database
        database.register(self)

    def add(self, *values: Any) -> None:
        self.pending.append(("INSERT INTO row (value) VALUES (?)", [(value,) for value in values]))
        self.database.changed()

    def load(self, connection: sqlite3.Connection) -> None:
        pass

    def take(self, everything: bool) -> Changes:
        taken, self.pending = self.pending, []
        return Changes(taken, lambda: self.pending.extend(taken))

    def upkeep(self) -> list[Statement]:
        return []

    def staged(self) -> int:
        return len(self.pending)


def test_a_row_that_cannot_be_written_is_set_aside_and_the_rest_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(tmp_path)
    rows = Rows(database)
    store = QuestionStore(database)
    database.open()
    try:
        store.record_unanswered("Колико кошта карта?", "cyrillic", "fallback", None)
        rows.add("prvi", "\ud800 otrov", 2**70, "treci")  # a lone surrogate; an integer SQLite cannot hold
        store.record_feedback("about", "naled", helpful=True)
        assert database.saved().result(timeout=5)
        health = database.health()
    finally:
        database.close()
    with closing(sqlite3.connect(database_path(tmp_path))) as connection:
        assert connection.execute("SELECT value FROM row ORDER BY rowid").fetchall() == [("prvi",), ("treci",)]
    assert stored_texts(tmp_path) == ["Колико кошта карта?"]
    assert [(f.intent, f.helpful) for f in read_feedback(tmp_path, 1)] == [("about", 1)]
    assert health.ok and health.set_aside == 2 and health.unsaved == 0
    set_aside = [r.getMessage() for r in caplog.records if "set aside" in r.getMessage()]
    assert len(set_aside) == 2 and all("row" in line and "otrov" not in line for line in set_aside)


# Through the web API ------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[WebServer]:
    with web_server({"WEB_TRUST_PROXY": "on", "WEB_QUOTA": "0"}) as running:
        yield running


def health(server: WebServer) -> dict[str, Any]:
    reply = server.request("GET", "/healthz")
    assert reply.status == 200
    status: dict[str, Any] = reply.json
    return status


def test_the_surrogate_attack_costs_no_other_citizen_anything(server: WebServer) -> None:
    for attacker in ("10.0.0.1", "10.0.0.2"):
        reply = server.request("POST", "/api/ask", ATTACK, JSON | {"X-Forwarded-For": attacker})
        assert reply.status == 200 and reply.json["question"] == "\ufffd otrov"
    citizens = [f"Колико кошта карта за утакмицу број {n}?" for n in range(5)]
    for number, question in enumerate(citizens):
        server.ask(question, client=f"10.1.0.{number}")
        given = server.ask("Шта је НАЛЕД?", client=f"10.1.0.{number}").json
        vote = {"conversation": given["conversation"], "answer_id": given["answer_id"], "helpful": True}
        headers = JSON | {"X-Forwarded-For": f"10.1.0.{number}"}
        assert server.request("POST", "/api/rate", json.dumps(vote).encode(), headers).status == 204
        server.request("POST", "/api/ask", ATTACK, JSON | {"X-Forwarded-For": "10.0.0.1"})
    wait_until(lambda: set(citizens) <= set(stored_texts(server.data_dir)))
    wait_until(lambda: sum(f.helpful for f in read_feedback(server.data_dir, 1)) >= 5)
    assert "\ufffd otrov" in stored_texts(server.data_dir)
    status = health(server)
    assert status["status"] == "ok" and status["storage"]["set_aside"] == 0
    assert "UnicodeEncodeError" not in server.logs() and "Traceback" not in server.logs()


# Through Telegram ------------------------------------------------------------------


def test_a_lone_surrogate_from_telegram_is_answered_and_loses_nothing() -> None:
    with FakeBotApi() as api, running_bot(api) as bot:
        chat, reply = bot.ask("\ud800 otrov")
        assert reply.ok  # answered (the fallback), not lost to an encoding error
        _, other = bot.ask("Колико кошта карта за утакмицу?")
        assert other.ok
        wait_until(lambda: "Колико кошта карта за утакмицу?" in stored_texts(bot.data_dir))
        assert "\ufffd otrov" in stored_texts(bot.data_dir)
        bot.api.push_callback(chat, "v:1:about:naled")
        wait_until(lambda: bool(read_feedback(bot.data_dir, 1)))
        assert "UnicodeEncodeError" not in bot.logs() and "Traceback" not in bot.logs()


# Arbitrary JSON ----------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
api_bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "question": json_values | st.text(max_size=200),
            "conversation": json_values | st.text(alphabet="abcXYZ09_-", min_size=1, max_size=70),
            "answer_id": json_values,
            "helpful": json_values,
            "intent": json_values,
            "network": json_values,
        },
    ).map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


def test_any_body_gets_an_answer_or_a_sentence_never_a_500_and_nothing_is_lost(server: WebServer) -> None:
    """Arbitrary JSON, bytes and text to both endpoints: each is answered (200, 204) or refused with a sentence
    (400, 409); afterwards a citizen's question is still stored and the storage is healthy."""

    @settings(derandomize=True, max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(["/api/ask", "/api/rate"]), body=api_bodies)
    def post(path: str, body: bytes) -> None:
        reply = server.request("POST", path, body, JSON | {"X-Forwarded-For": "10.2.0.1"})
        assert reply.status in (200, 204, 400, 409), reply.body
        if reply.status >= 400:
            assert reply.json["error"].endswith(".")

    post()
    question = "Колико кошта улазница за концерт после свега?"
    server.ask(question, client="10.3.0.1")
    wait_until(lambda: question in stored_texts(server.data_dir))
    status = health(server)
    assert status["status"] == "ok" and status["storage"]["unsaved"] == 0 and status["storage"]["set_aside"] == 0
    assert "Traceback" not in server.logs() and "ERROR" not in server.logs()
