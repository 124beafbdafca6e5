"""The last good versions of the files staff edit, kept so that no edit can take the bot down for good.

Every time the bot loads `knowledge/` and `intents/` without an error it keeps
a copy of exactly those bytes in `BOT_DATA_DIR/versions/<version>/`, with a
`version.json` that says when it was first and last loaded.  `versions` lists
them in the order they were first kept and says what each changed field by
field (`naled: seat`), from the kept files themselves (bot/fields.py).  A bot
that starts with broken files answers from the most recently loaded copy;
`restore` writes a chosen one back, `undo` takes back one change (bot/undo.py).
The `KEEP` most recently loaded versions are kept.

A copy is written into a hidden folder and renamed into place, so a crash
leaves no half version; a folder that cannot be written to is logged and
skipped: keeping old versions must never stop the bot from answering.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.fields import Field, FileData, describe, differences, label, read_files, value_at
from bot.files import replace_file
from bot.intents import intent_files
from bot.loader import Bundle

log = logging.getLogger(__name__)

KEEP = 20
META = "version.json"
KNOWLEDGE_FILE = Path("knowledge") / "networks.yaml"
INTENTS_DIR = Path("intents")
OTHER = "*"  # the fingerprint of what is neither a network nor an intent: layouts, language lists, page texts


@dataclass(frozen=True)
class Snapshot:
    """One kept version: where its files are, when it was first and last loaded, what it holds."""

    version: str
    folder: Path
    saved_at: datetime
    loaded_at: datetime
    networks: Mapping[str, str]  # id -> fingerprint
    intents: Mapping[str, str]  # intent -> fingerprint
    other: str
    counts: Mapping[str, int]  # networks, facts, intents, examples
    parent: str | None = None  # the version answering when this one was first loaded: what its edit changed

    @property
    def knowledge(self) -> Path:
        return self.folder / KNOWLEDGE_FILE

    @property
    def intents_dir(self) -> Path:
        return self.folder / INTENTS_DIR


@dataclass(frozen=True)
class Changes:
    """What differs between two versions, field by field (bot/fields.py)."""

    fields: tuple[Field, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        """In Serbian, for `versions`: „naled: seat, size; нова мрежа eurocities; networks.yml: founded −1 пример“."""
        return describe(self.labels) or "без измена садржаја (само размаци или коментари)"


def changes(older: Snapshot | None, newer: Snapshot) -> Changes:
    """What `newer` changed in `older` (everything it holds when there is no older one)."""
    old = snapshot_files(older) if older else {}
    new = snapshot_files(newer)
    found = differences(old, new)
    return Changes(tuple(found), tuple(label(field, value_at(old, field), value_at(new, field)) for field in found))


def snapshot_files(snapshot: Snapshot) -> FileData:
    """The data of a kept version's files (read once per version: a version's files never change)."""
    return _read_kept(snapshot.folder, snapshot.version)


@lru_cache(maxsize=2 * KEEP)
def _read_kept(folder: Path, version: str) -> FileData:
    return read_files(folder / KNOWLEDGE_FILE, folder / INTENTS_DIR)


class Versions:
    """The kept versions in one folder (`BOT_DATA_DIR/versions`)."""

    def __init__(self, folder: Path, keep: int = KEEP):
        self.folder = folder
        self.keep = keep

    def save(
        self, version: str, knowledge: Path, intent_files: Iterable[Path], bundle: Bundle, parent: str | None = None
    ) -> Snapshot | None:
        """Keep these files as `version` (or note that it was loaded again); None when it could not be written.
        `parent`: the version answering before this one, kept the first time only (what the edit was made on)."""
        now = datetime.now(UTC)
        target = self.folder / version
        try:
            existing = self._read(target)
            if existing is not None:
                self._write_meta(target, _meta(version, bundle, existing.saved_at, now, existing.parent))
                return self._read(target)
            partial = self.folder / f".{version}.{os.getpid()}.{threading.get_ident()}"
            shutil.rmtree(partial, ignore_errors=True)
            (partial / INTENTS_DIR).mkdir(parents=True)
            (partial / KNOWLEDGE_FILE).parent.mkdir(parents=True)
            shutil.copyfile(knowledge, partial / KNOWLEDGE_FILE)
            for path in intent_files:
                shutil.copyfile(path, partial / INTENTS_DIR / path.name)
            if content_version(partial / KNOWLEDGE_FILE, partial / INTENTS_DIR) != version:
                shutil.rmtree(partial)  # edited while being copied: the next load will keep the new text
                return None
            self._write_meta(partial, _meta(version, bundle, now, now, parent if parent != version else None))
            if (kept := self._read(target)) is not None:  # another process kept it meanwhile: theirs stands
                shutil.rmtree(partial, ignore_errors=True)
                return kept
            shutil.rmtree(target, ignore_errors=True)  # a copy whose version.json was lost is made again
            partial.rename(target)
            self._prune()
            return self._read(target)
        except OSError as error:
            log.warning("could not keep version %s in %s: %s", version, self.folder, error)
            return None

    def all(self) -> list[Snapshot]:
        """Every kept version, the most recently loaded first (the bot falls back on the first that loads)."""
        try:
            folders = [path for path in self.folder.iterdir() if path.is_dir() and not path.name.startswith(".")]
        except OSError:
            return []
        found = [snapshot for folder in folders if (snapshot := self._read(folder)) is not None]
        return sorted(found, key=lambda s: (s.loaded_at, s.saved_at), reverse=True)

    def history(self) -> list[Snapshot]:
        """Every kept version in the order the edits were made, the newest first: loading a version again (after a
        `restore`, or an edit taken back by hand) neither moves it nor changes what `versions` says it changed."""
        return sorted(self.all(), key=lambda s: s.saved_at, reverse=True)

    def before(self, snapshot: Snapshot) -> Snapshot | None:
        """The version `snapshot`'s edit was made on: its parent; None when that is no longer kept (never another
        version in its place).  A version kept before parents were recorded has the one kept just before it."""
        history = self.history()
        if snapshot.parent is not None:
            return next((s for s in history if s.version == snapshot.parent), None)
        index = history.index(snapshot) if snapshot in history else len(history)
        return history[index + 1] if index + 1 < len(history) else None

    def find(self, prefix: str) -> list[Snapshot]:
        """The versions whose name starts with `prefix` (staff may type only the first few characters)."""
        return [snapshot for snapshot in self.all() if snapshot.version.startswith(prefix.strip())]

    def _prune(self) -> None:
        for old in self.all()[self.keep :]:
            shutil.rmtree(old.folder, ignore_errors=True)

    @staticmethod
    def _write_meta(folder: Path, meta: dict[str, Any]) -> None:
        replace_file(folder / META, json.dumps(meta, ensure_ascii=False, indent=1).encode())

    @staticmethod
    def _read(folder: Path) -> Snapshot | None:
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            return Snapshot(
                version=meta["version"],
                folder=folder,
                saved_at=datetime.fromisoformat(meta["saved_at"]),
                loaded_at=datetime.fromisoformat(meta["loaded_at"]),
                networks=meta["networks"],
                intents=meta["intents"],
                other=meta["other"],
                counts=meta["counts"],
                parent=meta.get("parent"),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _meta(
    version: str, bundle: Bundle, saved_at: datetime, loaded_at: datetime, parent: str | None = None
) -> dict[str, Any]:
    networks = {network.id: _fingerprint(_network_content(network)) for network in bundle.knowledge.networks}
    book = bundle.intents
    intents: dict[str, list[Any]] = {}
    for example in book.examples:
        intents.setdefault(example.intent, []).append(example.line or example.text)
    for name, response in book.responses.items():
        intents.setdefault(name, []).append({k: v for k, v in asdict(response).items() if k != "position"})
    other = [book.layout, asdict(book.language), book.telegram, book.commands, book.card_buttons, book.web]
    return {
        "version": version,
        "saved_at": saved_at.isoformat(),
        "loaded_at": loaded_at.isoformat(),
        "networks": networks,
        "intents": {name: _fingerprint(content) for name, content in intents.items()},
        "other": _fingerprint(other),
        "counts": counts(bundle),
        "parent": parent,
    }


def counts(bundle: Bundle) -> dict[str, int]:
    """What a version holds, for `validate`'s summary and `versions`."""
    book = bundle.intents
    return {
        "networks": len(bundle.knowledge.networks),
        "facts": sum(len(network.facts) for network in bundle.knowledge.networks),
        "intents": len({example.intent for example in book.examples} | set(book.responses)),
        "examples": len(book.examples),
    }


def _network_content(network: Any) -> list[Any]:
    facts = {key: [fact.text, fact.source] for key, fact in sorted(network.facts.items())}
    names = [network.name, network.original_name, network.acronym, network.aliases]
    return [*names, network.website, network.sources, facts]


def _fingerprint(content: object) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=list)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def content_version(knowledge: Path, intents: Path) -> str:
    """A short hash of the files' contents: the same text gives the same version, wherever the files are."""
    digest = hashlib.sha256()
    for path in [knowledge, *intent_files(intents)]:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()[:10]
