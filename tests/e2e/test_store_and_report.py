"""The unanswered-questions database and `python -m bot report` over it."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.loader import PROJECT_ROOT
from bot.report import group_questions, write_csv, write_text
from bot.storage.database import Database, database_path
from bot.storage.questions import QuestionStore, read_feedback, read_unanswered

QUESTIONS = [
    ("kad je nis usao u eurocities", "latin"),
    ("Када је Ниш ушао у Eurocities?", "cyrillic"),
    ("kada je nis usao u eurocitis", "latin"),
    ("koliko je sati", "latin"),
]


def open_store(data_dir: Path, retention_days: int = 180) -> tuple[Database, QuestionStore]:
    database = Database(data_dir)
    store = QuestionStore(database, retention_days)
    database.open()
    return database, store


def fill(data_dir: Path) -> None:
    database, store = open_store(data_dir)
    for text, script in QUESTIONS:
        store.record_unanswered(text, script, "fallback", ("joined", None, 0.41))
    store.record_feedback("seat", "naled", helpful=True)
    store.record_feedback("seat", "naled", helpful=False)
    store.record_feedback("seat", "naled", helpful=False)
    database.close()


def test_stores_the_question_and_the_guess_but_nothing_about_the_person(tmp_path: Path) -> None:
    fill(tmp_path)
    rows = read_unanswered(tmp_path, days=1)
    first = rows[0]
    assert (first.text, first.script, first.outcome, first.guess_intent, first.guess_score) == (
        "kad je nis usao u eurocities",
        "latin",
        "fallback",
        "joined",
        0.41,
    )
    with sqlite3.connect(database_path(tmp_path)) as connection:
        columns = {
            row[1] for table in ("unanswered", "feedback") for row in connection.execute(f"PRAGMA table_info({table})")
        }
    assert not {c for c in columns if any(word in c for word in ("user", "chat", "name"))}


def test_old_rows_are_deleted_after_the_retention_period(tmp_path: Path) -> None:
    fill(tmp_path)
    old = (datetime.now(UTC) - timedelta(days=181)).isoformat(timespec="seconds")
    with sqlite3.connect(database_path(tmp_path)) as connection:
        connection.execute(
            "INSERT INTO unanswered (asked_at, text, script, outcome) VALUES (?, 'стара', 'cyrillic', 'fallback')",
            (old,),
        )
    assert len(read_unanswered(tmp_path, days=365)) == len(QUESTIONS) + 1
    open_store(tmp_path, retention_days=180)[0].close()
    assert [r.text for r in read_unanswered(tmp_path, days=365)] == [text for text, _ in QUESTIONS]


def test_writes_queued_from_many_threads_all_arrive(tmp_path: Path) -> None:
    import threading

    database, store = open_store(tmp_path)
    writers = [
        threading.Thread(
            target=lambda n=n: [
                store.record_unanswered(f"питање {n}/{i}", "cyrillic", "clarify", None) for i in range(50)
            ]
        )
        for n in range(8)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    database.close()
    assert len(read_unanswered(tmp_path, days=1)) == 400


def test_report_groups_the_same_question_across_scripts_and_typos(tmp_path: Path) -> None:
    fill(tmp_path)
    groups = group_questions(read_unanswered(tmp_path, days=30))
    assert [g.size for g in groups] == [3, 1]
    assert groups[0].guess() == "joined"
    out = io.StringIO()
    write_text(out, groups, read_feedback(tmp_path, days=30), days=30)
    text = out.getvalue()
    assert "Питања без одговора у последњих 30 дана: 4 (група сличних питања: 2)" in text
    assert text.index("3 ×") < text.index("1 × „koliko je sati“")
    assert "seat / naled: 1 / 2" in text


def test_report_as_csv_has_one_row_per_group(tmp_path: Path) -> None:
    fill(tmp_path)
    out = io.StringIO()
    write_csv(out, group_questions(read_unanswered(tmp_path, days=30)))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["group"], r["questions"]) for r in rows] == [("1", "3"), ("2", "1")]
    assert rows[1]["example"] == "koliko je sati"


def test_report_command_reads_the_data_directory(tmp_path: Path) -> None:
    fill(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "BOT_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--days", "7", "--csv"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.splitlines()[0].startswith("group,questions,example")
    assert len(result.stdout.splitlines()) == 3
    empty = subprocess.run(
        [sys.executable, "-m", "bot", "report"],
        cwd=PROJECT_ROOT, env={**env, "BOT_DATA_DIR": str(tmp_path / "none")}, capture_output=True, text=True,
    )  # fmt: skip
    assert empty.returncode == 1 and not empty.stdout  # no database here: say so rather than "0 questions"
    assert str(tmp_path / "none" / "questions.sqlite3") in empty.stderr and "docker exec" in empty.stderr


def test_a_database_from_before_the_web_channel_gets_its_column_and_old_rows_count_as_telegram(
    tmp_path: Path,
) -> None:
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute(
            "CREATE TABLE unanswered (id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, text TEXT NOT NULL,"
            " script TEXT NOT NULL, outcome TEXT NOT NULL, guess_intent TEXT, guess_network TEXT, guess_score REAL)"
        )
        connection.execute(
            "INSERT INTO unanswered (asked_at, text, script, outcome) VALUES (?, 'од пре', 'cyrillic', 'fallback')",
            (datetime.now(UTC).isoformat(timespec="seconds"),),
        )
    database, store = open_store(tmp_path)  # the running bot adds the column as it opens the file
    store.record_unanswered("са сајта", "cyrillic", "fallback", None, "web")
    database.close()
    rows = read_unanswered(tmp_path, days=1)
    assert [(q.text, q.channel) for q in rows] == [("од пре", "telegram"), ("са сајта", "web")]
    out = io.StringIO()
    write_text(out, group_questions(rows), [], 1)
    assert "(fallback 1; канал: telegram 1; најближе: —)" in out.getvalue()
    assert "(fallback 1; канал: web 1; најближе: —)" in out.getvalue()


def test_a_stored_question_is_read_back_without_bidi_or_control_characters(tmp_path: Path) -> None:
    """A row written before text was cleaned at the door (or by another program) cannot reorder what /staff and
    `report` show: `\u202e` would show `ECAD` as `DACE`."""
    fill(tmp_path)
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute(
            "INSERT INTO unanswered (asked_at, text, script, outcome) VALUES (?, ?, 'latin', 'fallback')",
            (datetime.now(UTC).isoformat(timespec="seconds"), "sta je \u202eDACE\u202c\x07 ?"),
        )
    assert "sta je DACE ?" in [row.text for row in read_unanswered(tmp_path, days=1)]
