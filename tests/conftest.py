"""Shared fixtures: the real knowledge and intents, loaded once per test session.

At the end of the run the understanding scores are printed side by side: the
corpus (tuned on) next to the held-out set (never tuned on).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.loader import Bundle, load_bundle

UNDERSTANDING: dict[str, Any] = {}  # set name -> grading report, filled by the corpus and held-out tests
SCORES: dict[str, tuple[int, float, float]] = {}  # set name -> (questions, fully correct, confidently wrong)


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    loaded, _warnings = load_bundle()
    return loaded


@pytest.fixture(scope="session")
def engine(bundle: Bundle) -> Engine:
    # bench/mutation.py runs the tests once per mutant: it points this at one folder so that each run loads
    # the trained model instead of training it again. A normal run trains, so a stale model is never used.
    cache = os.environ.get("BOT_TEST_MODEL_CACHE")
    return Engine(bundle, Path(cache) if cache else None)


def _scores() -> dict[str, tuple[int, float, float]]:
    found = {name: (len(r.grades), r.accuracy, r.confidently_wrong_rate) for name, r in UNDERSTANDING.items()}
    return SCORES | found


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist each worker grades some sets: it hands its scores to the controller, which prints."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["understanding"] = _scores()


def pytest_testnodedown(node: Any, error: Any) -> None:
    SCORES.update(getattr(node, "workeroutput", {}).get("understanding", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    scores = _scores()
    if not scores:
        return
    terminalreporter.section("understanding")
    terminalreporter.write_line(f"{'set':<18} {'questions':>9} {'fully correct':>14} {'confidently wrong':>18}")
    for name, (questions, correct, wrong) in sorted(scores.items()):
        terminalreporter.write_line(f"{name:<18} {questions:>9} {correct:>14.1%} {wrong:>18.1%}")
