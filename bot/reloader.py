"""The knowledge the running bot answers from, and its replacement when staff edit the files.

`LiveKnowledge.check()` is cheap (a `stat` per file) and is called every few
seconds.  A change is loaded once the files have stopped changing for one check,
so a half-saved file is not read; a load that fails keeps the last good engine
and reports the problems, once per broken version.  The engine is replaced by
one assignment, so every update is answered wholly by the old or the new one.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.engine import Engine
from bot.intents import intent_files
from bot.loader import load_bundle
from bot.yamlsource import Problem, ProblemsFound

Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Reload:
    """What a reload did: `ok` with the new version, or the problems that kept the old one."""

    ok: bool
    version: str
    problems: tuple[Problem, ...] = ()


@dataclass
class LiveKnowledge:
    knowledge: Path
    intents: Path
    model_cache: Path | None = None  # where the trained classifier is kept between starts
    engine: Engine = field(init=False)
    version: str = field(init=False)
    loaded_at: datetime = field(init=False)
    _loaded: Fingerprint = field(init=False)
    _seen: Fingerprint = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)  # the watcher and /reload

    def __post_init__(self) -> None:
        result = self.reload()
        if not result.ok:
            raise ProblemsFound(list(result.problems))

    def files(self) -> list[Path]:
        return [self.knowledge, *intent_files(self.intents)]

    def fingerprint(self) -> Fingerprint:
        found = []
        for path in self.files():
            try:
                stat = path.stat()
            except OSError:
                found.append((str(path), -1, -1))
            else:
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def check(self) -> Reload | None:
        """Reload when the files changed and have been still since the last check; None when nothing to do."""
        with self._lock:
            now = self.fingerprint()
            settled, self._seen = now == self._seen, now
            if now == self._loaded or not settled:
                return None
            return self._load(now)

    def reload(self) -> Reload:
        """Load the files now. On success the new engine answers from the next update on."""
        with self._lock:
            return self._load(self.fingerprint())

    def _load(self, fingerprint: Fingerprint) -> Reload:
        self._loaded = self._seen = fingerprint  # a broken version is reported once, not at every check
        version = content_version(self.files())
        try:
            bundle, warnings = load_bundle(self.knowledge, self.intents)
        except ProblemsFound as problems:
            return Reload(False, version, tuple(problems.problems))
        engine = Engine(bundle, self.model_cache)  # trains the classifier when the examples changed
        self.engine, self.version, self.loaded_at = engine, version, datetime.now(UTC)
        return Reload(True, version, tuple(warnings))


def content_version(files: list[Path]) -> str:
    """A short hash of the files' contents: the same text gives the same version."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()[:10]
