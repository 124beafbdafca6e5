"""Shared fixtures: the real knowledge and intents, loaded once per test session.

Tests live in two folders: `tests/unit/` (in-process, fast: `pytest tests/unit`)
and `tests/e2e/` (they start a bot, a server or a browser); each test is marked
`unit` or `e2e` by its folder, so `-m "not e2e"` works too.  One trained model
serves the whole run (tests/support/models.py).  At the end of the run the
understanding scores are printed side by side: the corpus (tuned on) next to the
held-out set (never tuned on).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.loader import Bundle, load_bundle
from tests.support.models import SHARED_MODELS

TESTS = Path(__file__).parent

UNDERSTANDING: dict[str, Any] = {}  # set name -> grading report, filled by the corpus and held-out tests
SCORES: dict[str, tuple[int, float, float]] = {}  # set name -> (questions, fully correct, confidently wrong)


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    loaded, _warnings = load_bundle()
    return loaded


def pytest_configure(config: pytest.Config) -> None:
    """The controller (or a run without xdist) makes the run's model folder, unless one is given (bench/mutation.py
    gives one for all its runs); xdist workers and the bots tests start inherit it through the environment."""
    if SHARED_MODELS not in os.environ:
        os.environ[SHARED_MODELS] = tempfile.mkdtemp(prefix="nis-bot-test-models-")
        config.stash[_MADE_MODELS] = Path(os.environ[SHARED_MODELS])


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(_MADE_MODELS, None)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)
        del os.environ[SHARED_MODELS]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else ""
        if folder in ("unit", "e2e"):
            item.add_marker(folder)


_MADE_MODELS = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def engine(bundle: Bundle) -> Engine:
    """The project's engine, its model trained once for the whole run (tests/support/models.py)."""
    return Engine(bundle, Path(os.environ[SHARED_MODELS]))


def _scores() -> dict[str, tuple[int, float, float]]:
    found = {name: (len(r.grades), r.accuracy, r.confidently_wrong_rate) for name, r in UNDERSTANDING.items()}
    return SCORES | found


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist each worker grades some sets: it hands its scores to the controller, which prints."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["understanding"] = _scores()


@pytest.hookimpl(optionalhook=True)  # an xdist hook, as the two below
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than the cores this process may use. The end-to-end tests spend much of their
    time waiting on a bot process or a rate limit; a third worker uses the core meanwhile (2 cores: 117 s → 110 s
    for the whole suite, a fourth worker no faster)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`-n` without `--dist`: work stealing, so a worker that runs out takes tests from the other and the
    slow end-to-end tests do not leave a core idle at the end (on 2 cores, 2 workers: 126 s → 117 s)."""
    if config.getoption("dist") != "load":
        return None  # a `--dist` given on the command line is kept
    from xdist.scheduler import WorkStealingScheduling

    return WorkStealingScheduling(config, log)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: `-p no:xdist` runs without it
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
