"""One test runs alone, the way an engineer runs it while changing code: no coverage failure, with or without xdist."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.loader import PROJECT_ROOT

ONE_TEST = "tests/unit/test_layering.py::test_the_check_sees_the_imports_it_judges"


@pytest.mark.parametrize("options", [[], ["-p", "no:xdist"]], ids=["plain", "no-xdist"])
def test_a_single_test_runs_alone_and_passes(options: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, ONE_TEST],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout and "FAIL" not in run.stdout + run.stderr, run.stdout + run.stderr
