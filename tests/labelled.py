"""The labelled question corpus (`tests/corpus/questions.yaml`) and how answers are graded against it.

Shared by the intent tests and `bench/`, so both read the same questions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import Answer, Conversation, Engine
from bot.script import fold

CORPUS = Path(__file__).parent / "corpus" / "questions.yaml"
NOT_ANSWERS = ("fallback", "clarify")


@dataclass(frozen=True)
class Case:
    question: str
    intent: str
    network: str | None
    facts: tuple[str, ...] = ()
    dialogue: int | None = None  # index of the dialogue this turn belongs to

    @property
    def label(self) -> str:
        return f"{self.intent}/{self.network or '-'}" if self.intent not in NOT_ANSWERS else self.intent


def _parse_label(label: str) -> tuple[str, str | None]:
    intent, _, network = label.strip().partition("/")
    return intent, (None if network in ("", "-") else network)


def load_cases(path: Path = CORPUS) -> tuple[list[Case], list[list[Case]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    singles = []
    for group in data["questions"]:
        intent, network = _parse_label(group["expect"])
        facts = tuple(str(f) for f in group.get("facts", ()))
        singles.extend(Case(str(q), intent, network, facts) for q in group["ask"])
    dialogues = []
    for index, turns in enumerate(data["dialogues"]):
        dialogue = []
        for turn in turns:
            question, _, label = turn.rpartition("=>")
            intent, network = _parse_label(label)
            dialogue.append(Case(question.strip(), intent, network, dialogue=index))
        dialogues.append(dialogue)
    return singles, dialogues


@dataclass
class Grade:
    case: Case
    answer: Answer

    @property
    def got(self) -> str:
        a = self.answer
        return a.intent if a.intent in NOT_ANSWERS else f"{a.intent}/{a.network or '-'}"

    @property
    def label_ok(self) -> bool:
        return self.got == self.case.label

    @property
    def missing_facts(self) -> list[str]:
        text = fold(self.answer.text)
        return [f for f in self.case.facts if fold(f) not in text]

    @property
    def correct(self) -> bool:
        return self.label_ok and not self.missing_facts

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

    def render(self) -> str:
        per_intent: dict[str, list[Grade]] = defaultdict(list)
        for grade in self.grades:
            per_intent[grade.case.intent].append(grade)
        lines = [f"intent corpus: {len(self.grades)} questions"]
        lines.append(f"{'intent':<12} {'n':>4} {'correct':>8}")
        for intent in sorted(per_intent):
            grades = per_intent[intent]
            share = sum(g.correct for g in grades) / len(grades)
            lines.append(f"{intent:<12} {len(grades):>4} {share:>8.1%}")
        lines.append(f"fully correct: {self.accuracy:.1%}; confidently wrong: {self.confidently_wrong_rate:.1%}")
        confusions = Counter((g.case.label, g.got) for g in self.grades if not g.label_ok)
        if confusions:
            lines.append("confusions (expected -> got: count):")
            lines.extend(f"  {want} -> {got}: {n}" for (want, got), n in confusions.most_common())
        for grade in self.grades:
            if not grade.correct:
                why = f"missing {grade.missing_facts}" if grade.label_ok else f"got {grade.got}"
                lines.append(f"  ✗ {grade.case.question!r}: expected {grade.case.label}, {why}")
        return "\n".join(lines)


def grade_all(engine: Engine, path: Path = CORPUS) -> Report:
    singles, dialogues = load_cases(path)
    report = Report()
    for case in singles:
        report.grades.append(Grade(case, engine.answer(case.question)))
    for dialogue in dialogues:
        conversation = Conversation(engine)
        for case in dialogue:
            report.grades.append(Grade(case, conversation.ask(case.question)))
    return report
