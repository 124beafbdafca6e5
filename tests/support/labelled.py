"""The labelled question sets and how answers are graded against them.

Two sets in one format: the corpus (`tests/corpus/questions.yaml`), which the
engine is tuned on, and the held-out set (`tests/heldout/questions.yaml`),
which it never is.  Shared by the intent tests and `bench/`, so both read the
same questions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rapidfuzz import fuzz

from bot.engine import Conversation, Engine
from bot.intents import PLACEHOLDER, Example
from bot.loader import Bundle
from bot.questionsets import CORPUS, HELDOUT, HELDOUT_2, NOT_ANSWERS, TUNING, VALIDATION, Case, load_cases
from bot.script import fold

__all__ = ["CORPUS", "HELDOUT", "HELDOUT_2", "TUNING", "VALIDATION", "Case", "load_cases"]
ADMISSION = "nemamo"  # folded start of every "we do not know" sentence in intents/responses.yml


def _holds(text: str, fact: str) -> bool:
    """Whether the folded answer holds the folded fact.  The sets' writers were told that folding turns
    punctuation into spaces; `fold` joins the letters around a hyphen (`ECAD-у` → `ecadu`), so the answer is
    also read with its hyphens as spaces (`Euro-méditerranéennes` → `euro mediterraneennes`)."""
    wanted = fold(fact)
    return wanted in fold(text) or wanted in fold(text.replace("-", " "))


class Answered(Protocol):
    """What grading reads of an answer, whoever gave it (the engine or the peer in bench/)."""

    @property
    def intent(self) -> str: ...
    @property
    def network(self) -> str | None: ...
    @property
    def text(self) -> str: ...


class Asker(Protocol):
    def ask(self, question: str) -> Answered: ...


@dataclass
class Grade:
    case: Case
    answer: Answered

    @property
    def got(self) -> str:
        a = self.answer
        return a.intent if a.intent in NOT_ANSWERS else f"{a.intent}/{a.network or '-'}"

    @property
    def label_ok(self) -> bool:
        return self.got == self.case.label

    @property
    def missing_facts(self) -> list[str]:
        return [f for f in self.case.facts if not _holds(self.answer.text, f)]

    @property
    def unwanted(self) -> list[str]:
        """What the answer holds that it must not (a network a filtered list should have left out)."""
        return [f for f in self.case.absent if _holds(self.answer.text, f)]

    @property
    def correct(self) -> bool:
        return self.label_ok and not self.missing_facts and not self.unwanted

    @property
    def confidently_wrong(self) -> bool:
        """Answered as if sure (not a fallback or a question back) and wrong."""
        return self.answer.intent not in NOT_ANSWERS and not self.label_ok


@dataclass
class Report:
    grades: list[Grade] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(g.correct for g in self.grades) / len(self.grades)

    @property
    def confidently_wrong_rate(self) -> float:
        return sum(g.confidently_wrong for g in self.grades) / len(self.grades)

    @property
    def refused_in_scope(self) -> float:
        """Share of the questions we can answer that got a fallback or a question back instead."""
        inside = [g for g in self.grades if g.case.intent not in NOT_ANSWERS]
        return sum(g.answer.intent in NOT_ANSWERS for g in inside) / max(1, len(inside))

    @property
    def out_of_scope_rejected(self) -> float:
        """Share of the out-of-scope questions that got a fallback or a question back, not an answer."""
        out = [g for g in self.grades if g.case.intent == "fallback"]
        return sum(g.answer.intent in NOT_ANSWERS for g in out) / max(1, len(out))

    def render(self, title: str = "intent corpus", misses: bool = True) -> str:
        per_intent: dict[str, list[Grade]] = defaultdict(list)
        for grade in self.grades:
            per_intent[grade.case.intent].append(grade)
        lines = [f"{title}: {len(self.grades)} questions"]
        lines.append(f"{'intent':<12} {'n':>4} {'correct':>8}")
        for intent in sorted(per_intent):
            grades = per_intent[intent]
            share = sum(g.correct for g in grades) / len(grades)
            lines.append(f"{intent:<12} {len(grades):>4} {share:>8.1%}")
        lines.append(f"fully correct: {self.accuracy:.1%}; confidently wrong: {self.confidently_wrong_rate:.1%}")
        confusions = Counter((g.case.label, g.got) for g in self.grades if not g.label_ok)
        if not misses:
            return "\n".join(lines)
        if confusions:
            lines.append("confusions (expected -> got: count):")
            lines.extend(f"  {want} -> {got}: {n}" for (want, got), n in confusions.most_common())
        for grade in self.grades:
            if not grade.correct:
                why = f"got {grade.got}"
                if grade.label_ok:
                    why = f"missing {grade.missing_facts}" if grade.missing_facts else f"holds {grade.unwanted}"
                lines.append(f"  ✗ {grade.case.question!r}: expected {grade.case.label}, {why}")
        return "\n".join(lines)


def grade_all(engine: Engine, path: Path = CORPUS) -> Report:
    return grade(lambda: Conversation(engine), path)


def grade(new_conversation: Callable[[], Asker], path: Path = CORPUS) -> Report:
    """Every single question in a fresh conversation; every dialogue in one conversation."""
    singles, dialogues = load_cases(path)
    report = Report()
    for case in singles:
        report.grades.append(Grade(case, new_conversation().ask(case.question)))
    for dialogue in dialogues:
        conversation = new_conversation()
        for case in dialogue:
            report.grades.append(Grade(case, conversation.ask(case.question)))
    return report


def all_cases(path: Path) -> list[Case]:
    singles, dialogues = load_cases(path)
    return [*singles, *(turn for dialogue in dialogues for turn in dialogue)]


def example_pattern(example: Example) -> re.Pattern[str]:
    """The folded example as a pattern of whole words; `{network}` stands for one to six words (captured)."""
    parts = [re.escape(" ".join(fold(part).split())) for part in example.text.split(PLACEHOLDER)]
    slot = r"(\S+(?: \S+){0,5})"
    return re.compile("^" + " ".join(p for p in _interleave(parts, slot) if p) + "$")


def _interleave(parts: list[str], slot: str) -> list[str]:
    out = [parts[0]]
    for part in parts[1:]:
        out.extend([slot, part])
    return out


def copies_of_examples(
    cases: Iterable[Case], examples: Iterable[Example], names_the_network: Callable[[list[str], Case], bool]
) -> list[tuple[str, str]]:
    """(question, example) pairs where the question is an example with a network's name filled in, or with
    the network left out.

    `names_the_network(words, case)` tells whether the words standing for `{network}`
    are a network's name.  One- and two-word messages without a name (`Здраво`,
    `Hvala vam`) have no other wording, so they may coincide with an example.
    """
    patterns = [(example, example_pattern(example)) for example in examples]
    # A follow-up (`kad je osnovana`) is an example with the network left out: the conversation names it.
    unnamed = {" ".join(fold(e.text.replace(PLACEHOLDER, " ")).split()): e for e in examples if PLACEHOLDER in e.text}
    found = []
    for case in cases:
        folded = " ".join(fold(case.question).split())
        if folded in unnamed and len(folded.split()) > 2:
            found.append((case.question, unnamed[folded].text))
            continue
        for example, pattern in patterns:
            match = pattern.match(folded)
            if match is None:
                continue
            copied = names_the_network(match.group(1).split(), case) if match.groups() else len(folded.split()) > 2
            if copied:
                found.append((case.question, example.text))
                break
    return found


def example_copies(cases: Iterable[Case], engine: Engine, bundle: Bundle) -> list[tuple[str, str]]:
    """`copies_of_examples` where a name is what the engine finds as one whole network name, a
    misspelling of a name of the case's own network, or any name in a question about a network
    that is not in our records."""

    def names_the_network(words: list[str], case: Case) -> bool:
        mentions = engine.finder.find(words)
        if len(mentions) == 1 and (mentions[0].start, mentions[0].end) == (0, len(words)):
            return True
        if case.intent == "membership" and case.network is None:
            return True
        network = bundle.knowledge.by_id.get(case.network or "")
        names = [fold(name) for name in network.names()] if network else []
        return any(len(n.split()) == len(words) and fuzz.ratio(" ".join(words), n) >= 70 for n in names)

    return copies_of_examples(cases, bundle.intents.examples, names_the_network)
