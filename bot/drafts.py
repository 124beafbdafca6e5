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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
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

    @property
    def base_knowledge(self) -> Path:
        """The live knowledge file as it was when the draft was made (the preview's "before" reads it)."""
        return self.folder / "base" / "knowledge" / self.knowledge_name

    @property
    def base_intents(self) -> Path:
        return self.folder / "base" / "intents"

    def check(self) -> tuple[Bundle, list[Problem]]:
        return check_files(self.knowledge, self.intents)

    def here(self, message: str) -> str:
        """A problem in the draft named by the live file it will be: `intents/taught.yml:7:…`."""
        return message.replace(f"{self.folder}/", "")


@contextmanager
def drafted(knowledge: Path, intents: Path, based_on: str | None = None) -> Iterator[Draft]:
    """A draft of the live files, removed afterwards; `based_on`: the version the person saw (Conflict if not)."""
    with tempfile.TemporaryDirectory(prefix="nis-draft-") as folder:
        draft = Draft(Path(folder), "", knowledge.name)
        for target_knowledge, target_intents in (
            (draft.base_knowledge, draft.base_intents),
            (draft.knowledge, draft.intents),
        ):
            target_knowledge.parent.mkdir(parents=True)
            target_intents.mkdir(parents=True)
            if knowledge.exists():
                shutil.copy2(knowledge, target_knowledge)
            for path in intent_files(intents):
                shutil.copy2(path, target_intents / path.name)
        # The version of what was copied (not of the live files a moment later: an edit may land in between).
        base = content_version(draft.base_knowledge, draft.base_intents)
        if based_on is not None and based_on != base:
            raise Conflict(based_on, base)
        yield replace(draft, base_version=base)


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


def publish(draft: Draft, knowledge: Path, intents: Path, data_dir: Path, record: Callable[[str], None]) -> str:
    """Write the draft's changed files over the live ones and `record` the new live version (the audit trail),
    both under the one-writer lock, so the trail lists saves in the order they were written.  Raises Conflict,
    OSError (nothing recorded when the files were not written)."""
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
        version = content_version(knowledge, intents)
        record(version)
        return version
