"""The held-out set: understanding measured on questions the engine was never tuned on.

`tests/heldout/questions.yaml` was committed before the engine it judges and
none of its phrasings may stand in `intents/`.  The gate below is the best
score reached so far: a change that understands less fails CI, and a change
that understands more raises the gate (docs/understanding.md, "Measuring understanding honestly").

The report shows totals and rates per intent, never the questions missed:
reading them is how a held-out set quietly becomes a training set.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.loader import Bundle
from tests.conftest import UNDERSTANDING
from tests.support.labelled import HELDOUT, HELDOUT_2, all_cases, example_copies, grade_all, load_cases

BEST_FULLY_CORRECT = 0.95
MAX_CONFIDENTLY_WRONG = 0.01
# Issue 19's batch, written before the change it judges: scored 47.5 % then, 95.5 % now (the ninth session);
# gated a point below what it reached (the rule), its confidently wrong and refused at the limits,
# which it reached (1.0 %, 2.9 % of the answerable).
BATCH_2_FULLY_CORRECT = 0.945
BATCH_2_CONFIDENTLY_WRONG = 0.01
BATCH_2_REFUSED = 0.03


def test_heldout_accuracy(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    report = grade_all(engine, HELDOUT)
    UNDERSTANDING["held-out"] = report
    with capsys.disabled():
        print("\n" + report.render("held-out set", misses=False))
    fully_correct, confidently_wrong = report.accuracy, report.confidently_wrong_rate  # a failure shows numbers only
    assert fully_correct >= BEST_FULLY_CORRECT
    assert confidently_wrong <= MAX_CONFIDENTLY_WRONG


def test_heldout_batch_2_accuracy(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    report = grade_all(engine, HELDOUT_2)
    UNDERSTANDING["held-out 2"] = report
    with capsys.disabled():
        print("\n" + report.render("held-out batch 2", misses=False))
    fully_correct, confidently_wrong = report.accuracy, report.confidently_wrong_rate  # numbers only
    refused = report.refused_in_scope
    assert fully_correct >= BATCH_2_FULLY_CORRECT
    assert confidently_wrong <= BATCH_2_CONFIDENTLY_WRONG
    assert refused <= BATCH_2_REFUSED


def test_heldout_is_big_and_varied() -> None:
    singles, dialogues = load_cases(HELDOUT)
    cases = all_cases(HELDOUT)
    assert len(cases) >= 250
    assert sum(c.intent == "fallback" for c in cases) >= 60
    assert sum(any("а" <= ch <= "ш" for ch in c.question.lower()) for c in singles) >= 60  # Cyrillic
    assert sum(c.question.isascii() for c in singles) >= 60  # Latin without diacritics
    assert len(dialogues) >= 5


@pytest.mark.parametrize("path", [HELDOUT, HELDOUT_2], ids=["heldout", "batch2"])
def test_no_heldout_phrasing_stands_in_intents(path, engine: Engine, bundle: Bundle) -> None:
    """An example with a name filled in, in either script or misspelt, is a leak: the set would
    then measure recall of the training phrasings, not understanding."""
    assert example_copies(all_cases(path), engine, bundle) == []
