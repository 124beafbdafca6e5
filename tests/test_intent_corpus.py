"""The labelled corpus: the bot's understanding, measured; CI fails when it drops.

The report (accuracy per intent, confusions, every miss) is printed with the
test run, so a change that breaks understanding shows what it broke.
"""

import pytest

from bot.engine import Engine
from bot.intent_matcher import example_tokens
from bot.loader import Bundle
from bot.script import fold
from tests.labelled import grade_all, load_cases

MIN_FULLY_CORRECT = 0.97
MAX_CONFIDENTLY_WRONG = 0.01


def test_corpus_accuracy(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    report = grade_all(engine)
    with capsys.disabled():
        print("\n" + report.render())
    assert report.accuracy >= MIN_FULLY_CORRECT
    assert report.confidently_wrong_rate <= MAX_CONFIDENTLY_WRONG


def test_corpus_is_big_and_varied() -> None:
    singles, dialogues = load_cases()
    questions = [c.question for c in singles]
    assert len(questions) >= 400
    assert sum(c.intent == "fallback" for c in singles) >= 80
    assert sum(any("а" <= ch <= "ш" for ch in q.lower()) for q in questions) >= 100  # Cyrillic
    assert sum(q.isascii() for q in questions) >= 100  # Latin without diacritics
    assert sum(any(ch in "čćšžđ" for ch in q.lower()) for q in questions) >= 20  # Latin with diacritics
    assert sum(len(d) for d in dialogues) >= 20


def test_corpus_questions_are_not_copies_of_examples(bundle: Bundle) -> None:
    """The corpus tests understanding, not recall of the training phrasings.

    One- and two-word messages (`Здраво`, `Hvala vam`) have no other wording, so they may coincide.
    """
    examples = {" ".join(example_tokens(e.text)) for e in bundle.intents.examples}
    singles, dialogues = load_cases()
    asked = [fold(c.question) for c in [*singles, *(t for d in dialogues for t in d)]]
    copies = [q for q in asked if q in examples and len(q.split()) > 2]
    assert copies == []
