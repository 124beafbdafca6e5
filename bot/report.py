"""`python -m bot report`: the questions citizens asked that the bot could not answer, grouped.

Questions are folded (script, case, diacritics) and put in one group when their
words mostly agree, so `kad je nis usao u eurocities` and `Када је Ниш ушао у
Eurocities?` count together (bot/grouping.py; the bot stores each question with
its group's key).  Biggest groups come first: those are the phrasings or facts
worth adding; a group the bot answers now (taught since) is marked „✓ бот сада одговара“, and a question whose
answer got 👎 on the web page is a group too (`unhelpful`).  Feedback (👍/👎) per answer follows.
In the CSV, a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
first, or after any white space: a line break, a no-break space) is written
with an apostrophe before it, as OWASP advises.  In the text report each question stands on one line (its line breaks
and runs of spaces become one space, and it is cut at `SHOWN_CHARS`), so no
question can print what looks like another group.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TextIO

from bot.engine import Engine
from bot.exit_codes import EXIT_OK, EXIT_PROBLEMS
from bot.grouping import Grouper
from bot.loader import load_bundle
from bot.recording import UNHELPFUL
from bot.settings import Settings
from bot.storage.database import database_path
from bot.storage.questions import FeedbackCount, GroupCounts, Unanswered, read_feedback, read_unanswered
from bot.yamlsource import ProblemsFound

SHOWN_VARIANTS = 3
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHOWN_CHARS = 300


@dataclass
class Group:
    """Unanswered questions that read alike, with their counts, shown to staff as one line."""

    questions: list[Unanswered] = field(default_factory=list)
    counts: GroupCounts | None = None  # counted by the database when only the newest questions were read (/staff)

    @property
    def size(self) -> int:
        return self.counts.size if self.counts else len(self.questions)

    @property
    def example(self) -> str:
        """The most frequent wording in the group."""
        return Counter(q.text for q in self.questions).most_common(1)[0][0]

    def variants(self) -> list[str]:
        others = Counter(q.text for q in self.questions if q.text != self.example)
        return [text for text, _ in others.most_common(SHOWN_VARIANTS)]

    def guess(self) -> str:
        guesses = Counter((q.guess_intent, q.guess_network) for q in self.questions if q.guess_intent)
        if not guesses:
            return "—"
        (intent, network), _ = guesses.most_common(1)[0]
        return f"{intent} / {network}" if network else str(intent)

    def outcome_counts(self) -> Counter[str]:
        return Counter(self.counts.outcomes) if self.counts else Counter(q.outcome for q in self.questions)

    def outcomes(self) -> str:
        """What the bot did with the group's questions: `clarify 1, fallback 2`."""
        return _tally(self.outcome_counts())

    def channels(self) -> str:
        """Where the group's questions came from: `telegram 3, web 1`."""
        return _tally(Counter(self.counts.channels) if self.counts else Counter(q.channel for q in self.questions))

    @property
    def last_asked(self) -> str:
        return max(q.asked_at for q in self.questions)


def group_questions(questions: list[Unanswered], counts: dict[str, GroupCounts] | None = None) -> list[Group]:
    """The questions by their group key, biggest group first; questions stored without one (by a bot from
    before groups, not yet reopened) are grouped here, beside the groups the keys name.  `counts`: the
    database's counts of groups whose questions were read only in part (`read_biggest_groups`)."""
    grouper = Grouper()
    if any(question.group_key is None for question in questions):
        for question in questions:
            if question.group_key is not None:
                grouper.learn(question.text, question.group_key)
    groups: dict[str, Group] = {}
    for question in questions:
        key = question.group_key if question.group_key is not None else grouper.key_of(question.text)
        groups.setdefault(key, Group(counts=(counts or {}).get(key))).questions.append(question)
    return sorted(groups.values(), key=lambda g: (-g.size, g.example))


def answered_now(engine: Engine, group: Group) -> str:
    """How the bot answers the group's question now, when that is news (a lesson or an edit since): an answer to
    an unanswered group; another answer than the 👎-rated one for a rated group.  Empty otherwise."""
    from bot.preview import reading

    answer = engine.answer(group.example)
    if answer.rule == "taught":  # taught since, as a meaning or as not our topic
        return f"научено: {'није наша тема' if answer.intent == 'fallback' else reading(answer)}"
    if answer.unanswered:
        return ""
    now = reading(answer)
    rated = group.outcome_counts().get(UNHELPFUL, 0) == group.size
    return "" if rated and now == group.guess() else now


def write_text(
    out: TextIO,
    groups: list[Group],
    feedback: list[FeedbackCount],
    days: float,
    totals: tuple[int, int] | None = None,
    now: Callable[[Group], str] | None = None,
) -> None:
    """The report; `totals` (questions, groups) when `groups` are only the biggest of them (/staff); `now`: how the
    bot answers a group's question today, to mark the groups taught since."""
    questions, all_groups = totals or (sum(g.size for g in groups), len(groups))
    out.write(f"Питања без одговора у последњих {days:g} дана: {questions} (група сличних питања: {all_groups}).\n")
    if all_groups > len(groups):
        out.write(f"Приказане су {len(groups)} највеће групе; све показује python -m bot report.\n")
    for number, group in enumerate(groups, 1):
        out.write(
            f"\n{number}. {group.size} × „{one_line(group.example)}“  ({group.outcomes()}; канал: {group.channels()}; "
            f"најближе: {group.guess()})\n"
        )
        if now is not None and (answered := now(group)):
            out.write(f"     ✓ бот сада одговара: {answered}\n")
        for variant in group.variants():
            out.write(f"     и: „{one_line(variant)}“\n")
    if feedback:
        out.write("\nОцене одговора (👍 / 👎), најлошије прво:\n")
        for row in feedback:
            out.write(f"  {row.intent} / {row.network or '—'}: {row.helpful} / {row.unhelpful}\n")


def _tally(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


def one_line(question: str) -> str:
    """A stored question as the text report shows it: one line of at most SHOWN_CHARS characters."""
    line = " ".join(question.split())
    return line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1] + "…"


def spreadsheet_safe(cell: object) -> object:
    """A text cell that a spreadsheet would run as a formula, with an apostrophe before it (OWASP)."""
    if not isinstance(cell, str):
        return cell
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) or cell.lstrip().startswith(FORMULA_STARTS) else cell


def write_csv(out: TextIO, groups: list[Group]) -> None:
    writer = csv.writer(out)
    writer.writerow(
        ["group", "questions", "example", "other_wordings", "outcomes", "channels", "best_guess", "last_asked"]
    )
    for number, group in enumerate(groups, 1):
        outcomes = group.outcome_counts()
        row = [
            number,
            group.size,
            group.example,
            " | ".join(group.variants()),
            " ".join(f"{name}:{count}" for name, count in sorted(outcomes.items())),
            group.channels(),
            group.guess(),
            group.last_asked,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])


def report_command(settings: Settings, days: float, as_csv: bool) -> int:
    """`python -m bot report`: the groups of questions not answered (marked when answered now), and ratings."""
    database = database_path(settings.data_dir)
    if not database.exists():
        print(
            f"База {database} не постоји: бот овде није примио ниједно питање. Питања су у бази бота који ради; "
            "на серверу: docker exec nis-bot python -m bot report (или поставите BOT_DATA_DIR на фасциклу бота).",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(f"База: {database}", file=sys.stderr)  # stderr, so that --csv stays a clean CSV
    groups = group_questions(read_unanswered(settings.data_dir, days))
    if as_csv:
        write_csv(sys.stdout, groups)
        return EXIT_OK
    try:  # the groups the bot answers now (taught since) are marked
        engine = Engine(load_bundle(settings.knowledge, settings.intents)[0], model_cache=settings.model_cache)
        now: Callable[[Group], str] | None = partial(answered_now, engine)
    except ProblemsFound:
        now = None
    write_text(sys.stdout, groups, read_feedback(settings.data_dir, days), days, now=now)
    return EXIT_OK
