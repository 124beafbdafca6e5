"""The labelled corpus: the bot's understanding, measured; CI fails when it drops.

The report (accuracy per intent, confusions, every miss) is printed with the
test run, so a change that breaks understanding shows what it broke.  The
corpus is what the engine is tuned on; `test_heldout` measures what it was not.
"""

import pytest

from bot.engine import Engine
from bot.loader import Bundle
from tests.conftest import UNDERSTANDING
from tests.support.labelled import (
    ADMISSION,
    CORPUS,
    HELDOUT,
    TUNING,
    VALIDATION,
    all_cases,
    example_copies,
    grade_all,
    load_cases,
)

MIN_FULLY_CORRECT = 0.97
MAX_CONFIDENTLY_WRONG = 0.01


def test_corpus_accuracy(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    report = grade_all(engine)
    UNDERSTANDING["corpus"] = report
    with capsys.disabled():
        print("\n" + report.render())
    assert report.accuracy >= MIN_FULLY_CORRECT
    assert report.confidently_wrong_rate <= MAX_CONFIDENTLY_WRONG


# Issue 19's tuning batches (scored on arrival, then tuned on, like the corpus): a point below what each reached.
TUNING_FULLY_CORRECT = {  # a point below what each set reaches (2026-12-06, ninth session)
    "issue19": 0.965,
    "issue19-b": 0.969,
    "issue19-c": 0.95,
    "issue19-d": 0.923,
    "issue19-e": 0.962,
    "issue19-f": 0.951,
    "issue19-g": 0.938,
    "issue19-h": 0.92,
    "issue19-i": 0.944,
    "issue19-j": 0.954,
    "issue19-k": 0.95,
    "issue19-l": 0.951,
    "issue19-m": 0.965,  # 88.6 % on arrival; tuned on in the fourth session
    "issue19-n": 0.93,  # 78.8 % on arrival; tuned on in the fourth session
    "issue19-o": 0.962,  # 83.9 % on arrival; tuned on from the fifth session
    "issue19-p": 0.935,  # 81.9 % on arrival; tuned on from the fifth session
    "issue19-q": 0.958,  # 93.7 % on arrival (560bf72); blind in the fifth session, tuned on from the sixth
    "issue19-r": 0.978,  # 91.6 % on arrival (560bf72); blind in the fifth session, tuned on from the sixth
    "issue19-s": 0.937,  # 90.2 % on arrival (19196f6); blind in the fifth session, tuned on from the sixth
    "issue19-t": 0.939,  # 82.9 % on arrival (07db6d2); tuned on from later in the sixth session
    "issue19-u": 0.935,  # 79.7 % on arrival (07db6d2); 81.4 % blind at fa536f7; tuned on from then
    "issue19-v": 0.92,  # 84.0 % on arrival (da34fe6; 81.8 % at 07db6d2); blind in session 6, tuned on from session 7
    "issue19-w": 0.926,  # 86.4 % on arrival (da34fe6; 84.3 % at 07db6d2); blind in session 6, tuned on from session 7
    "issue19-x": 0.925,  # 89.7 % on arrival (cc77a19); blind in session 7 (91.0 % at its end), tuned on from session 8
    "issue19-y": 0.904,  # 83.7 % on arrival (cc77a19); blind in session 7 (84.6 % at its end), tuned on from session 8
    "issue19-z": 0.946,  # 86.1 % on arrival (2fcd072); blind in session 8 (88.7 % at its end), tuned on from session 9
    "issue19-zb": 0.932,  # 86.7 % on arrival (2fcd072); blind in session 8 (88.9 % at its end), tuned on from session 9
    "issue19-aa": 0.887,  # 89.7 % on arrival (965abed, the ninth session's start); not tuned on (aggregates only)
    "issue19-ab": 0.887,  # 89.7 % on arrival (965abed); not tuned on (aggregates only)
}


@pytest.mark.parametrize("path", TUNING, ids=[path.stem for path in TUNING])
def test_tuning_batch_accuracy(path, engine: Engine) -> None:
    report = grade_all(engine, path)
    UNDERSTANDING[f"tuning {path.stem}"] = report
    assert report.accuracy >= TUNING_FULLY_CORRECT[path.stem]


def test_validation_set_is_graded_and_not_copied(engine: Engine, bundle: Bundle) -> None:
    """The set bench/tune_thresholds.py chooses the thresholds on: written apart, no example copies;
    its score is shown in the summary, not gated (it is not tuned on, and not a target)."""
    UNDERSTANDING["validation"] = grade_all(engine, VALIDATION)
    assert example_copies(all_cases(VALIDATION), engine, bundle) == []
    assert len(all_cases(VALIDATION)) >= 80


def test_corpus_is_big_and_varied() -> None:
    singles, dialogues = load_cases()
    questions = [c.question for c in singles]
    assert len(questions) >= 400
    assert sum(c.intent == "fallback" for c in singles) >= 80
    assert sum(any("а" <= ch <= "ш" for ch in q.lower()) for q in questions) >= 100  # Cyrillic
    assert sum(q.isascii() for q in questions) >= 100  # Latin without diacritics
    assert sum(any(ch in "čćšžđ" for ch in q.lower()) for q in questions) >= 20  # Latin with diacritics
    assert sum(len(d) for d in dialogues) >= 20


def test_no_question_is_an_example_with_a_name_filled_in(engine: Engine, bundle: Bundle) -> None:
    """The corpus tests understanding, not recall of the training phrasings."""
    assert example_copies(all_cases(CORPUS), engine, bundle) == []


@pytest.mark.parametrize("path", [CORPUS, HELDOUT, VALIDATION], ids=["corpus", "heldout", "validation"])
def test_every_answerable_question_requires_its_fact(path, bundle: Bundle) -> None:
    """The website is in every answer about a network, so it proves nothing but for `link`;
    where the knowledge file lacks the fact, the answer must admit it."""
    singles, _ = load_cases(path)
    websites = {n.website.split("//")[-1].removeprefix("www.") for n in bundle.knowledge.networks}
    for case in singles:
        if case.intent in ("fallback", "clarify"):
            continue
        substantive = [f for f in case.facts if not any(site in f for site in websites)]
        assert substantive or case.intent == "link", case.question
        response = bundle.intents.responses[case.intent]
        network = bundle.knowledge.by_id.get(case.network or "")
        if response.fact and network and response.fact not in network.facts:
            assert ADMISSION in case.facts, case.question
