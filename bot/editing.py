"""One staff edit, from the shell or the browser, the same way: tried on a draft of the files, checked,
previewed against the live files, and written only when nothing stops it.

What can stop it: a problem in the edit or in the files it would produce (the
validator's line-numbered sentences), someone else's save since the edit began
(`Conflict`: the audit trail says who changed what), or answers it would change
for the worse (`Preview.needs_confirmation`) without the person confirming.  A
saved edit is kept as a version and recorded in the audit trail with its author.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot import audit
from bot.drafts import Conflict, Draft, drafted, publish
from bot.engine import Engine
from bot.intents import intent_files
from bot.loader import Bundle, load_bundle
from bot.preview import Preview, compare, kept_answers, questions_to_ask
from bot.reasking import Side
from bot.settings import Settings
from bot.versions import Versions
from bot.yamlsource import ProblemsFound

__all__ = ["Conflict", "Edit", "Files", "Outcome", "try_edit"]


class Edit(Protocol):
    def problems(self, bundle: Bundle) -> list[str]:
        """Why the edit cannot be made on these files (none: it can be tried)."""

    def apply(self, draft: Draft) -> None: ...

    def describe(self) -> str:
        """What it changes, for the audit trail and the version list (`naled: size`, `научено: „…“`)."""


@dataclass(frozen=True)
class Files:
    """Where an edit reads and writes: the knowledge file, the intents folder, the data and versions folders."""

    knowledge: Path
    intents: Path
    data_dir: Path
    versions: Path
    model_cache: Path | None = None

    @classmethod
    def of(cls, settings: Settings) -> Files:
        return cls(settings.knowledge, settings.intents, settings.data_dir, settings.versions, settings.model_cache)


@dataclass
class Outcome:
    """What trying an edit gave: its problems, its preview, the engines before and after, the version saved."""

    based_on: str  # the live version the edit was made on
    problems: list[str] = field(default_factory=list)
    preview: Preview | None = None
    before: Engine | None = None
    after: Engine | None = None
    saved_as: str | None = None  # the new live version, when saved
    edited_version: str = ""  # the version of the edited files: what a confirmation of the preview names
    warnings: list[str] = field(default_factory=list)  # the validator's warnings the edit brings (not blocking)

    @property
    def needs_confirmation(self) -> bool:
        return self.preview is not None and self.preview.needs_confirmation


def try_edit(
    files: Files,
    edit: Edit,
    *,
    based_on: str | None = None,
    save: bool = False,
    confirmed: bool = False,
    previewed: str | None = None,
    who: str = "",
) -> Outcome:
    """Try `edit`; with `save`, write it when nothing stops it.

    `confirmed`: the person accepts the answers it changes for the worse; from the browser with `previewed`, the
    version of the edited files they saw the preview of (an edit changed after its preview is previewed again,
    and needs confirming again); from the shell (`--yes`) without.  Raises Conflict when the live files are no
    longer `based_on`, OSError when they cannot be written."""
    with drafted(files.knowledge, files.intents, based_on) as draft:
        outcome = Outcome(draft.base_version)
        try:
            live, live_warnings = load_bundle(draft.base_knowledge, draft.base_intents)
        except ProblemsFound as found:
            outcome.problems = [
                "Датотеке на диску већ имају грешку, па измена не може да се проба: прво је исправите "
                "(./mreze validate).",
                *(draft.here(str(problem)) for problem in found.problems),
            ]
            return outcome
        outcome.problems = edit.problems(live)
        if outcome.problems:
            return outcome
        edit.apply(draft)
        outcome.edited_version = draft.version
        if outcome.edited_version == draft.base_version:
            outcome.problems = ["Нема измене: датотеке би остале исте."]
            return outcome
        edited, problems = draft.check()
        if errors := [draft.here(str(problem)) for problem in problems if problem.is_error]:
            outcome.problems = errors
            return outcome
        known = {warning.message for warning in live_warnings}
        outcome.warnings = [draft.here(str(p)) for p in problems if not p.is_error and p.message not in known]
        seen = confirmed and previewed is not None and previewed == draft.version
        outcome.before = Engine(live, files.model_cache)
        outcome.after = Engine(edited, files.model_cache)
        if not (save and seen):
            before = Side(draft.base_knowledge, draft.base_intents, draft.base_version, outcome.before)
            after = Side(draft.knowledge, draft.intents, draft.version, outcome.after)
            asked = questions_to_ask(files.data_dir, [live, edited])
            outcome.preview = compare(before, after, asked, kept_answers(files.data_dir), files.model_cache)
        accepted = confirmed and previewed in (None, draft.version)
        if save and (accepted or not outcome.needs_confirmation):
            _save(files, edit, draft, edited, outcome, who)
        return outcome


def _save(files: Files, edit: Edit, draft: Draft, edited: Bundle, outcome: Outcome, who: str) -> None:
    """Write the draft, record it in the audit trail (in the same lock), and keep it as a version."""
    unrecorded: list[OSError] = []

    def record(version: str) -> None:
        try:
            audit.record(files.data_dir, who, edit.describe(), draft.base_version, version)
        except OSError as error:  # the files are written: say so, and say the history is not
            unrecorded.append(error)

    outcome.saved_as = publish(draft, files.knowledge, files.intents, files.data_dir, record)
    if unrecorded:
        outcome.problems.append(
            f"Измена је сачувана, али није уписана у историју измена ({unrecorded[0]}); јавите администратору."
        )
    versions = Versions(files.versions)
    versions.save(outcome.saved_as, files.knowledge, intent_files(files.intents), edited, parent=draft.base_version)


def changes_since(files: Files, version: str) -> str:
    """The sentence for a refused save: who changed what since `version`."""
    later = audit.since(files.data_dir, version)
    if not later:
        return "Датотеке је у међувремену неко изменио (руком или командом), па ваша измена није уписана."
    told = "; ".join(f"{entry.who or 'непознато ко'} ({entry.at:%Y-%m-%d %H:%M} UTC): {entry.what}" for entry in later)
    return f"У међувремену су датотеке измењене, па ваша измена није уписана: {told}."
