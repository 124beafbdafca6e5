"""BOT_MEMORY_MINUTES is minutes wherever conversation memory is built: Telegram's (kept in the database) and the
web's (in memory, or in the file the web processes share).  A conversation silent for ten minutes goes on; one
silent for longer than the setting starts afresh.  The conversations are aged by writing their time, not by waiting."""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.dialogue import DialogueState
from bot.recording import Recorder, Stats
from bot.reloader import LiveKnowledge
from bot.script import Script
from bot.serving import Serving
from bot.settings import Settings
from bot.status import Status
from bot.storage.conversations import ConversationMemory
from bot.storage.database import Database, Health
from bot.tg.app import BotParts
from bot.web.base import Site
from bot.web.shared import FILE
from tests.support.models import SHARED_MODELS

MINUTES = 30
NALED = DialogueState("naled", "founded", Script.LATIN)
SKGO = DialogueState("skgo", "seat", Script.CYRILLIC)


@pytest.fixture(scope="module")
def live() -> LiveKnowledge:
    return LiveKnowledge(Settings().knowledge, Settings().intents, Path(os.environ[SHARED_MODELS]))


def settings(data_dir: Path, processes: int = 1) -> Settings:
    env = {"BOT_DATA_DIR": str(data_dir), "BOT_MEMORY_MINUTES": str(MINUTES), "WEB_PROCESSES": str(processes)}
    return Settings.from_env(env)


def status() -> Status:
    return Status("v", 6, None, Health(), waiting=0, remembered=0, skipped=0)


def test_telegram_remembers_a_chat_silent_for_ten_minutes_across_a_restart(tmp_path: Path, live: LiveKnowledge) -> None:
    now = time.time()
    for chat, state, silent_minutes in ((42, NALED, 10), (43, SKGO, MINUTES + 1 / 60)):
        then = now - silent_minutes * 60
        database = Database(tmp_path)  # the last run, which wrote each chat's state back then
        ConversationMemory(database, 24 * 3600, clock=functools.partial(float, then)).remember(chat, state)
        database.open()
        database.close()
    serving = Serving.create(settings(tmp_path), live)
    parts = BotParts.create(serving)
    serving.database.open()
    try:
        assert parts.door.state(42) == NALED  # ten minutes are well within thirty
        assert parts.door.state(43) == DialogueState()  # thirty and a second are not
    finally:
        serving.database.close()


@pytest.fixture
def shared_site(tmp_path: Path, live: LiveKnowledge) -> Iterator[Site]:
    yield Site(settings(tmp_path, processes=2), live, Recorder(Stats(), None), status)


def age(data_dir: Path, conversation: str, minutes: float) -> None:
    with closing(sqlite3.connect(data_dir / FILE)) as connection, connection:
        connection.execute("UPDATE conversation SET at = at - ? WHERE id = ?", (minutes * 60, conversation))


def test_the_web_processes_remember_a_conversation_silent_for_ten_minutes(tmp_path: Path, shared_site: Site) -> None:
    conversations = shared_site.door.memory
    recent, old = conversations.get(None)[0], conversations.get(None)[0]
    conversations.remember(recent, NALED)
    conversations.remember(old, SKGO)
    age(tmp_path, recent, 10)
    age(tmp_path, old, MINUTES + 1 / 60)  # thirty minutes and a second
    assert conversations.get(recent) == (recent, NALED)
    assert conversations.get(old)[1] == DialogueState()


def test_one_web_process_keeps_conversations_for_the_minutes_set(tmp_path: Path, live: LiveKnowledge) -> None:
    site = Site(settings(tmp_path), live, Recorder(Stats(), None), status)
    assert site.door.memory.ttl_seconds == MINUTES * 60  # type: ignore[attr-defined]
