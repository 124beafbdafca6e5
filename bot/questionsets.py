"""The labelled question sets (corpus, held-out, validation, tuning) as data: what each question should get.

They live in `tests/` (each file's head says what it is for and its rules); the
tests and `bench/` grade the engine on them, and `bot/preview.py` re-asks them
before a staff edit goes live, to show the answers the edit would change.  A
deployment without `tests/` simply has none (`label_sets` returns what exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.yamlsource import load_plain

SETS = Path(__file__).resolve().parent.parent / "tests"
CORPUS = SETS / "corpus" / "questions.yaml"
HELDOUT = SETS / "heldout" / "questions.yaml"
# Issue 19's batch: list, reverse look-ups, names, comparisons; written before the engine change it judges.
HELDOUT_2 = SETS / "heldout" / "batch2.yaml"
VALIDATION = SETS / "validation" / "questions.yaml"
# Batches written by others for issue 19, each scored when it arrived and then tuned on (see each file's head).
TUNING = sorted((SETS / "tuning").glob("*.yaml"))
NOT_ANSWERS = ("fallback", "clarify")


@dataclass(frozen=True)
class Case:
    """One labelled question of a question set: the answer it must get (intent, network, facts)."""

    question: str
    intent: str
    network: str | None
    facts: tuple[str, ...] = ()
    dialogue: int | None = None  # index of the dialogue this turn belongs to
    absent: tuple[str, ...] = ()  # what the answer must not hold (a filtered list must leave networks out)
    kind: str = ""  # the kind of question (batch 2: list, reverse, names…), for scores per kind

    @property
    def label(self) -> str:
        return f"{self.intent}/{self.network or '-'}" if self.intent not in NOT_ANSWERS else self.intent


def label_of(intent: str, network: str | None) -> str:
    """`seat/skgo`, `list/-`; a fallback or a question back is just its intent."""
    return intent if intent in NOT_ANSWERS else f"{intent}/{network or '-'}"


def label_sets() -> dict[str, Path]:
    """Every labelled set that is here, by a short name staff can read."""
    named = {"корпус": CORPUS, "издвојени": HELDOUT, "издвојени 2": HELDOUT_2, "валидација": VALIDATION}
    named |= {f"проба {path.stem}": path for path in TUNING}
    return {name: path for name, path in named.items() if path.exists()}


def _parse_label(label: str) -> tuple[str, str | None]:
    intent, _, network = label.strip().partition("/")
    return intent, (None if network in ("", "-") else network)


def load_cases(path: Path = CORPUS) -> tuple[list[Case], list[list[Case]]]:
    data = load_plain(path.read_text(encoding="utf-8"))
    singles: list[Case] = []
    for group in data["questions"]:
        intent, network = _parse_label(group["expect"])
        facts = tuple(str(f) for f in group.get("facts", ()))
        absent = tuple(str(f) for f in group.get("absent", ()))
        kind = str(group.get("kind", ""))
        singles.extend(Case(str(q), intent, network, facts, absent=absent, kind=kind) for q in group["ask"])
    dialogues = []
    for index, turns in enumerate(data.get("dialogues") or []):
        dialogue = []
        for turn in turns:
            question, _, label = turn.rpartition("=>")
            intent, network = _parse_label(label)
            dialogue.append(Case(question.strip(), intent, network, dialogue=index))
        dialogues.append(dialogue)
    return singles, dialogues
