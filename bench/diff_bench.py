"""How long staff wait for "what would this change": a lesson previewed against 10,000 stored questions plus
the labelled sets (issue 20's target: ≤ 10 s on this machine).

    .venv/bin/python bench/diff_bench.py [--stored 10000]

The stored questions are made-up but realistic: words of the corpus questions
shuffled into 4–14-word questions, all distinct, so none is cheap.  Prints the
wall time of the preview (both engines answering every question) and of the save.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.editing import Files, try_edit
from bot.loader import PROJECT_ROOT
from bot.questionsets import CORPUS, load_cases
from bot.storage.database import database_path
from bot.storage.questions import SCHEMA
from bot.teaching import Teach


def stored_questions(count: int, seed: int = 20) -> list[str]:
    words = [w for case in load_cases(CORPUS)[0] for w in case.question.split()]
    rng, found = random.Random(seed), set[str]()
    while len(found) < count:
        found.add(" ".join(rng.choice(words) for _ in range(rng.randint(4, 14))))
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(PROJECT_ROOT / "knowledge", root / "knowledge")
        shutil.copytree(PROJECT_ROOT / "intents", root / "intents")
        data = root / "data"
        data.mkdir()
        with sqlite3.connect(database_path(data)) as db:
            db.executescript(SCHEMA)
            db.executemany(
                "INSERT INTO unanswered (asked_at, text, script, outcome)"
                " VALUES ('2026-12-01', ?, 'latin', 'fallback')",
                [(text,) for text in stored_questions(args.stored)],
            )
        files = Files(root / "knowledge" / "networks.yaml", root / "intents", data, data / "versions", data / "m")
        lesson = Teach.of("Šta je bio MEGA program?", "about", "naled")
        started = time.perf_counter()
        first = try_edit(files, Teach.of("Da li je Niš član Interpole?", "fallback"))
        first_seconds = time.perf_counter() - started  # trains, asks both versions
        started = time.perf_counter()
        outcome = try_edit(files, lesson)  # the live version's answers are kept now
        preview_seconds = time.perf_counter() - started
        assert outcome.preview is not None
        started = time.perf_counter()
        saved = try_edit(files, lesson, based_on=outcome.based_on, save=True, confirmed=True, who="bench")
        save_seconds = time.perf_counter() - started
        print(f"stored questions: {args.stored:,}; asked of both engines: {outcome.preview.asked:,}")
        print(f"first preview of this version (trains, asks both sides): {first_seconds:.1f} s")
        print(f"preview: {preview_seconds:.1f} s ({len(outcome.preview.changes)} answers change); target ≤ 10 s")
        assert first.preview is not None
        print(f"save after the preview (confirmed, no second preview): {save_seconds:.2f} s -> {saved.saved_as}")


if __name__ == "__main__":
    main()
