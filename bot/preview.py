"""What an edit would change, before it goes live: the questions we have re-asked of the live files and of the
edited ones, side by side, and the answers that differ, grouped.

Re-asked: every distinct question stored in the database (the unanswered and
asked-back ones: the only questions kept), every taught question, and every
labelled question of the sets in `tests/` (corpus, held-out, validation,
tuning), each in a fresh conversation.  A labelled or taught question knows its
right answer.  An edit may answer more questions freely; one that makes a right
answer wrong, or changes or withdraws an answer that no label says is now right
(`Da li je Niš član UEFA?` asked back about NALED after an alias `МЕГА`), needs an
explicit confirmation.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import Answer, Engine
from bot.loader import Bundle
from bot.questionsets import label_of, label_sets, load_cases
from bot.reasking import Said, Side, answers
from bot.script import Script, to_cyrillic, to_latin
from bot.storage.database import database_path

NEWLY_ANSWERED, CHANGED, NEWLY_REFUSED = "newly_answered", "changed", "newly_refused"
KINDS = (NEWLY_REFUSED, CHANGED, NEWLY_ANSWERED)
SCRIPT_NAMES = {Script.CYRILLIC: "ћирилицом", Script.LATIN: "латиницом"}
HEADINGS = {  # what staff read above each kind, in the shell and on /staff
    NEWLY_ANSWERED: "Сада добијају одговор",
    CHANGED: "Мења се одговор",
    NEWLY_REFUSED: "Више не добијају одговор (или бот пита назад)",
}
STORED, TAUGHT = "сачувано", "научено"
MAX_STORED = 10_000  # stored questions a preview re-asks: the newest (bench/diff_bench.py: 7.7 s with these)


@dataclass(frozen=True)
class Asked:
    """A question a preview asks: its text, where it comes from and its right answer when that is known."""

    text: str
    source: str  # where the question comes from: the database, the taught file, a labelled set
    expected: str | None = None  # its right answer (`seat/skgo`, `fallback`), when known


@dataclass(frozen=True)
class Change:
    """A question whose answer an edit changes: the answer before and after."""

    asked: Asked
    before: Said
    after: Said

    @property
    def kind(self) -> str:
        if self.before.unanswered and not self.after.unanswered:
            return NEWLY_ANSWERED
        if self.after.unanswered and not self.before.unanswered:
            return NEWLY_REFUSED
        return CHANGED

    @property
    def was_right(self) -> bool:
        return _right(self.before, self.asked.expected)

    @property
    def now_right(self) -> bool:
        return _right(self.after, self.asked.expected)

    @property
    def risky(self) -> bool:
        """A right answer made wrong, or an answer given before that now names another intent or network or
        is withdrawn, where no label says the new one is right.  A new wording of the same answer (a fact
        edited) and a question back that asks differently are not."""
        if self.was_right:
            return not self.now_right
        was_answer = not self.before.unanswered
        return was_answer and not self.now_right and _label(self.before) != _label(self.after)


@dataclass
class Preview:
    """What an edit does to the answers: how many questions were asked and those whose answer changed."""

    asked: int
    changes: list[Change] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def risky(self) -> list[Change]:
        return [change for change in self.changes if change.risky]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.risky)


def _right(answer: Said, expected: str | None) -> bool:
    """The answer its label wants; for a question not ours (`fallback`), any answer that is not one and ties it to
    no network (a plain question back included): nothing false was said or suggested."""
    if expected is None:
        return False
    return _label(answer) == expected or (expected == "fallback" and answer.unanswered and not answer.networks)


def _label(answer: Said) -> str:
    return label_of(answer.intent, answer.network)


def reading(answer: Said | Answer) -> str:
    """An answer as the audit trail and `report` name it: `seat / skgo`, `fallback`."""
    return f"{answer.intent} / {answer.network}" if answer.network else answer.intent


def readable(engine: Engine, answer: Said) -> str:
    """An answer as staff read it in a preview: the question it answers (`Где је седиште СКГО?`), „не зна“, or
    „пита назад“, with the network it points at."""
    named = [engine.networks[n].display_name for n in answer.networks if n in engine.networks]
    about = f" ({', '.join(named)})" if named else ""
    if answer.intent == "fallback":
        return f"не зна одговор{about}"
    if answer.intent == "clarify":
        return f"пита назад{about}"
    network = engine.networks.get(answer.network or "")
    asked = engine.renderer.question(answer.intent, network) if answer.intent in engine.responses else ""
    return f"одговор: {asked}" if asked.strip() else f"одговор ({answer.intent}){about}"


def same_reading(change: Change) -> bool:
    """The same intent and network, another text: a fact reworded, a list grown."""
    return _label(change.before) == _label(change.after) and change.before.networks == change.after.networks


def _differs(before: Said, after: Said) -> bool:
    return (before.intent, before.networks, before.text) != (after.intent, after.networks, after.text)


def questions_to_ask(data_dir: Path | None, bundles: Iterable[Bundle]) -> list[Asked]:
    """The questions an edit is judged on, each once (a labelled one keeps its label)."""
    found: dict[str, Asked] = {}
    for name, path in label_sets().items():
        singles, _ = load_cases(path)
        for case in singles:
            found.setdefault(case.question, Asked(case.question, name, case.label))
    for bundle in bundles:
        for example in bundle.intents.examples:
            if example.taught:  # a set's own label wins: re-teaching a labelled question must show what it breaks
                found.setdefault(
                    example.text, Asked(example.text, TAUGHT, label_of(example.intent, example.network or None))
                )
    for text in stored_questions(data_dir) if data_dir else ():
        found.setdefault(text, Asked(text, STORED))
    return list(found.values())


def stored_questions(data_dir: Path, limit: int = MAX_STORED) -> list[str]:
    """The distinct question texts in the database, the most often asked first (then the most recent), at most
    `limit` (none when there is no database yet).  Citizens' questions are many and cheap to send: a preview
    must not grow with them (30,000 made-up ones made one take 98 s), and one-off junk must not push out what
    many asked."""
    path = database_path(data_dir)
    if not path.exists():
        return []
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, ValueError):
        return []
    try:
        most_asked = "SELECT text FROM unanswered GROUP BY text ORDER BY COUNT(*) DESC, MAX(id) DESC LIMIT ?"
        rows = connection.execute(most_asked, (limit,))
        return [text for (text,) in rows]
    except sqlite3.Error:
        return []
    finally:
        connection.close()


def compare(before: Side, after: Side, asked: list[Asked], kept: Path | None, model_cache: Path | None) -> Preview:
    """Ask every question of both versions (`bot/reasking.py`: kept answers, a process per core) and keep the
    answers that differ."""
    texts = [question.text for question in asked]
    old, new = answers(before, texts, kept, model_cache), answers(after, texts, kept, model_cache)
    preview = Preview(len(asked))
    for question, was, now in zip(asked, old, new, strict=True):
        if _differs(was, now):
            preview.changes.append(Change(question, was, now))
    return preview


def kept_answers(data_dir: Path) -> Path:
    """Where the answers of each version are kept between previews."""
    return data_dir / "previews"


def answer_in_both_scripts(engine: Engine, question: str) -> tuple[Answer, Answer]:
    """The answer a citizen would get writing the question in Cyrillic, and in Latin."""

    return engine.answer(to_cyrillic(question)), engine.answer(to_latin(question))
