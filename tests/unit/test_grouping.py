"""Grouping stored questions (bot/grouping.py): the same question together, at a bounded cost per question."""

from __future__ import annotations

import csv
import io
import itertools
import random
import sqlite3
from collections import defaultdict
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

import bot.grouping
import bot.storage.questions
from bot.grouping import MAX_CANDIDATES, SAME_GROUP, Grouper
from bot.report import SHOWN_CHARS, group_questions, spreadsheet_safe, write_csv, write_text
from bot.script import fold
from bot.storage.database import Database, database_path
from bot.storage.questions import QuestionStore, read_biggest_groups, read_unanswered
from tests.support.labelled import CORPUS, HELDOUT, HELDOUT_2, all_cases


def groups_of(questions: list[str]) -> list[set[str]]:
    grouper = Grouper()
    found: dict[str, set[str]] = defaultdict(set)
    for question in questions:
        found[grouper.key_of(question)].add(question)
    return sorted(found.values(), key=lambda group: sorted(group))


def test_the_same_question_in_either_script_and_with_a_typo_is_one_group() -> None:
    asked = ["kad je nis usao u eurocities", "Када је Ниш ушао у Eurocities?", "kada je nis usao u eurocitis"]
    assert groups_of([*asked, "koliko je sati", "ko je gradonacelnik"]) == [
        set(asked),
        {"ko je gradonacelnik"},
        {"koliko je sati"},
    ]


def test_a_short_question_meets_its_misspelling_through_a_dropped_letter() -> None:
    assert groups_of(["eurocities", "eurocitis", "Eurocitiess"]) == [{"eurocities", "eurocitis", "Eurocitiess"}]


def test_each_question_is_compared_with_a_bounded_number_of_leaders(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost that made /staff quadratic: however many questions are stored, one is compared with at most
    MAX_CANDIDATES earlier ones, even when they all share their words."""
    calls = [0]
    original = fuzz.token_set_ratio

    def counted(*args: object, **kwargs: object) -> float:
        calls[0] += 1
        return float(original(*args, **kwargs))

    monkeypatch.setattr(bot.grouping.fuzz, "token_set_ratio", counted)
    rng = random.Random(7)
    shared = ["kada", "nis", "mreza", "grad", "clan"]
    grouper = Grouper()
    most = 0
    for number in range(3000):
        before = calls[0]
        words = [*rng.sample(shared, 3), f"rec{number}", f"druga{number % 97}"]
        grouper.key_of(" ".join(words))
        most = max(most, calls[0] - before)
    assert most <= MAX_CANDIDATES


def test_what_the_grouper_holds_stays_bounded_however_many_different_questions_arrive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An attacker sending endless different questions of long made-up words (the leak an attacker found:
    word counts and postings kept every word ever seen) fills the grouper only up to its limits."""
    monkeypatch.setattr(bot.grouping, "MAX_LEADERS", 50)
    monkeypatch.setattr(bot.grouping, "MAX_KNOWN_TEXTS", 50)
    chance = random.Random(18)
    grouper = Grouper()

    def made_up_word() -> str:
        return "".join(chance.choices("abcdefghijklmnopqrstuvwxyz", k=chance.randint(3, 400)))

    held = []
    for count in range(1, 2001):
        grouper.key_of(" ".join(made_up_word() for _ in range(chance.randint(1, 8))))
        if count % 500 == 0:
            held.append(grouper.memory_items())
    # 50 leaders of at most 8 words and 6 + 6 anchors each, 50 known texts: a few hundred things, not growing
    assert max(held) <= 50 * (1 + 8 + 2 * 12) + 50
    assert held[-1] <= held[0] * 1.2
    assert len(grouper) == 50


def test_grouping_agrees_with_comparing_every_question_with_every_leader() -> None:
    """On the labelled questions, nine pairs in ten that the exhaustive greedy grouping (the one /staff used
    before) puts together are together here too, and few pairs are added."""
    questions = [case.question for path in (CORPUS, HELDOUT, HELDOUT_2) for case in all_cases(path)]
    leaders: list[str] = []
    exhaustive: list[set[str]] = []
    for question in questions:
        match = process.extractOne(fold(question), leaders, scorer=fuzz.token_set_ratio, score_cutoff=SAME_GROUP)
        if match is None:
            leaders.append(fold(question))
            exhaustive.append({question})
        else:
            exhaustive[match[2]].add(question)

    def pairs(groups: list[set[str]]) -> set[tuple[str, str]]:
        return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}

    before, now = pairs(exhaustive), pairs(groups_of(questions))
    assert len(before & now) >= 0.88 * len(before)
    assert len(now - before) <= 0.05 * len(before)


def test_the_bot_stores_each_question_with_its_group(tmp_path: Path) -> None:
    database = Database(tmp_path)
    store = QuestionStore(database)
    database.open()
    for text in ("kad je nis usao u eurocities", "Када је Ниш ушао у Eurocities?", "koliko je sati"):
        store.record_unanswered(text, "latin", "fallback", None)
    database.close()
    keys = [row.group_key for row in read_unanswered(tmp_path, 1)]
    assert keys[0] == keys[1] != keys[2] and None not in keys


def test_a_database_from_before_groups_is_grouped_when_the_bot_opens_it(tmp_path: Path) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute(
            "CREATE TABLE unanswered (id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, text TEXT NOT NULL,"
            " script TEXT NOT NULL, outcome TEXT NOT NULL, guess_intent TEXT, guess_network TEXT, guess_score REAL,"
            " channel TEXT NOT NULL DEFAULT 'telegram')"
        )
        connection.executemany(
            "INSERT INTO unanswered (asked_at, text, script, outcome) VALUES (?, ?, 'latin', 'fallback')",
            [(now, "kad je nis usao u eurocities"), (now, "kada je nis usao u eurocitis"), (now, "koliko je sati")],
        )
    assert {row.group_key for row in read_unanswered(tmp_path, 1)} == {None}  # `report` can read it as it is
    assert [g.size for g in group_questions(read_unanswered(tmp_path, 1))] == [2, 1]
    database = Database(tmp_path)
    store = QuestionStore(database)
    database.open()
    store.record_unanswered("Када је Ниш ушао у Eurocities?", "cyrillic", "fallback", None)
    database.close()
    rows = read_unanswered(tmp_path, 1)
    assert None not in {row.group_key for row in rows}
    assert rows[0].group_key == rows[1].group_key == rows[3].group_key != rows[2].group_key


def test_the_staff_page_reads_only_the_biggest_groups_and_counts_the_rest(tmp_path: Path) -> None:
    database = Database(tmp_path)
    store = QuestionStore(database)
    database.open()
    rng = random.Random(3)
    for _ in range(30):  # thirty different questions
        words = ["".join(rng.choice("abcdefghijklmnoprstuvz") for _ in range(8)) for _ in range(6)]
        store.record_unanswered(" ".join(words), "latin", "fallback", None)
    for _ in range(3):
        store.record_unanswered("kad je nis usao u eurocities", "latin", "fallback", None)
    database.close()
    read = read_biggest_groups(tmp_path, 1, limit=5)
    assert (read.groups, read.total) == (31, 33)
    biggest = group_questions(read.questions, read.counts)
    assert len(biggest) == 5 and biggest[0].size == 3 and biggest[0].example == "kad je nis usao u eurocities"


def test_a_question_sent_many_times_is_counted_on_the_staff_page_not_read_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attacker's /staff slowdown: one group of thousands of rows; the page reads ROWS_PER_GROUP of them
    and still shows the exact count, outcomes and channels."""
    monkeypatch.setattr(bot.storage.questions, "ROWS_PER_GROUP", 10)
    database = Database(tmp_path)
    store = QuestionStore(database)
    database.open()
    for number in range(300):
        channel = "web" if number % 3 else "telegram"
        store.record_unanswered("koliko kosta karta", "latin", "fallback" if number % 2 else "clarify", None, channel)
    store.record_unanswered("ko je gradonacelnik", "latin", "fallback", None)
    database.close()
    read = read_biggest_groups(tmp_path, 1, limit=5)
    assert len(read.questions) == 11 and read.total == 301
    first = group_questions(read.questions, read.counts)[0]
    assert (first.size, first.outcomes(), first.channels()) == (
        300,
        "clarify 150, fallback 150",
        "telegram 100, web 200",
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "  =", " @", "\n=", " \u00a0-", "\t\n+"])
def test_a_csv_cell_a_spreadsheet_would_run_is_neutralised(start: str) -> None:
    formula = f'{start}HYPERLINK("http://evil.example","klik")'
    assert spreadsheet_safe(formula) == "'" + formula
    assert spreadsheet_safe("Шта је НАЛЕД?") == "Шта је НАЛЕД?" and spreadsheet_safe(3) == 3


def test_the_report_csv_writes_no_formula(tmp_path: Path) -> None:
    database = Database(tmp_path)
    store = QuestionStore(database)
    database.open()
    store.record_unanswered("=1+2", "latin", "fallback", None)
    store.record_unanswered("@SUM(A1)", "latin", "fallback", None)
    database.close()
    out = io.StringIO()
    write_csv(out, group_questions(read_unanswered(tmp_path, 1)))
    examples = {row["example"] for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert examples == {"'=1+2", "'@SUM(A1)"}


def test_a_question_cannot_print_what_looks_like_another_group_in_the_text_report(tmp_path: Path) -> None:
    database = Database(tmp_path)
    store = QuestionStore(database)
    database.open()
    store.record_unanswered(
        "ko je gradonacelnik\n\n2. 999 × „kliknite na http://evil.example“", "latin", "fallback", None
    )
    store.record_unanswered("a" * 4000, "latin", "fallback", None)
    database.close()
    out = io.StringIO()
    write_text(out, group_questions(read_unanswered(tmp_path, 1)), [], 1)
    lines = out.getvalue().splitlines()
    assert [line.split(".")[0] for line in lines if line[:1].isdigit()] == ["1", "2"]  # two groups, two numbers
    assert max(len(line) for line in lines) < SHOWN_CHARS + 100
