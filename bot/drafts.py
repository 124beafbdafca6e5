"""A staff edit is tried on a copy of the live files first: checked, previewed, and only then written over the
live files, each file at once, so the running bot reloads it like any edit.

An edit names the version it was based on; when the live files have changed since (someone else saved), the
write is refused (`Conflict`) rather than undoing the other person's change.  One edit writes at a time, in
this process and in any other (`./mreze teach` while the server runs): a lock file in the data folder.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.files import replace_file
from bot.intents import intent_files
from bot.loader import Bundle, check_files
from bot.versions import content_version
from bot.yamlsource import Problem

LOCK_FILE = ".staff-edit.lock"


class Conflict(Exception):
    """The live files are no longer the version the edit was based on."""

    def __init__(self, based_on: str, live: str):
        super().__init__(f"based on {based_on}, live is {live}")
        self.based_on, self.live = based_on, live


@dataclass(frozen=True)
class Draft:
    """Copies of the knowledge file and the intents folder, in a folder of their own, to edit and check."""

    folder: Path
    base_version: str  # the live version these copies were made from
    knowledge_name: str

    @property
    def knowledge(self) -> Path:
        return self.folder / "knowledge" / self.knowledge_name

    @property
    def intents(self) -> Path:
        return self.folder / "intents"

    @property
    def version(self) -> str:
        return content_version(self.knowledge, self.intents)

    def check(self) -> tuple[Bundle, list[Problem]]:
        return check_files(self.knowledge, self.intents)


@contextmanager
def drafted(knowledge: Path, intents: Path, based_on: str | None = None) -> Iterator[Draft]:
    """A draft of the live files, removed afterwards; `based_on`: the version the person saw (Conflict if not)."""
    live = content_version(knowledge, intents)
    if based_on is not None and based_on != live:
        raise Conflict(based_on, live)
    with tempfile.TemporaryDirectory(prefix="nis-draft-") as folder:
        draft = Draft(Path(folder), live, knowledge.name)
        draft.knowledge.parent.mkdir()
        draft.intents.mkdir()
        if knowledge.exists():
            shutil.copy2(knowledge, draft.knowledge)
        for path in intent_files(intents):
            shutil.copy2(path, draft.intents / path.name)
        yield draft


@contextmanager
def one_writer(data_dir: Path) -> Iterator[None]:
    """Held while an edit checks the live version and writes: one edit at a time, across processes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def publish(draft: Draft, knowledge: Path, intents: Path, data_dir: Path) -> str:
    """Write the draft's changed files over the live ones; the new live version.  Raises Conflict, OSError."""
    with one_writer(data_dir):
        live = content_version(knowledge, intents)
        if live != draft.base_version:
            raise Conflict(draft.base_version, live)
        if not knowledge.exists() or draft.knowledge.read_bytes() != knowledge.read_bytes():
            replace_file(knowledge, draft.knowledge.read_bytes())
        for path in intent_files(draft.intents):
            target = intents / path.name
            if not target.exists() or path.read_bytes() != target.read_bytes():
                replace_file(target, path.read_bytes())
        return content_version(knowledge, intents)
