"""Shared fixtures: the real knowledge and intents, loaded once per test session.

At the end of the run the understanding scores are printed side by side: the
corpus (tuned on) next to the held-out set (never tuned on).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine import Engine
from bot.loader import Bundle, load_bundle

UNDERSTANDING: dict[str, Any] = {}  # set name -> grading report, filled by the corpus and held-out tests


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    loaded, _warnings = load_bundle()
    return loaded


@pytest.fixture(scope="session")
def engine(bundle: Bundle) -> Engine:
    return Engine(bundle)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not UNDERSTANDING:
        return
    terminalreporter.section("understanding")
    terminalreporter.write_line(f"{'set':<10} {'questions':>9} {'fully correct':>14} {'confidently wrong':>18}")
    for name, report in sorted(UNDERSTANDING.items()):
        terminalreporter.write_line(
            f"{name:<10} {len(report.grades):>9} {report.accuracy:>14.1%} {report.confidently_wrong_rate:>18.1%}"
        )
