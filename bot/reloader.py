"""The knowledge the running bot answers from, and its replacement when staff edit the files.

`LiveKnowledge.check()` is cheap (a `stat` per file) and is called every few
seconds.  A change is loaded once the files have stopped changing for one check,
so a half-saved file is not read; a load that fails keeps the last good engine
and reports the problems, once per broken version.  The engine is replaced by
one assignment, so every update is answered wholly by the old or the new one.

Every good load is kept in `Versions`; a start with broken files answers from
the newest kept version instead of refusing, and says so (`rejected`) until the
files on disk load again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot import metrics
from bot.engine import ANSWER_CACHE, Engine
from bot.intents import intent_files
from bot.loader import Bundle, load_bundle
from bot.versions import Versions, content_version
from bot.yamlsource import Problem, ProblemsFound

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]
MAX_PROBLEMS_LOGGED = 15


@dataclass(frozen=True)
class Reload:
    """What a reload did: `ok` with the new version, or the problems that kept the old one."""

    ok: bool
    version: str
    problems: tuple[Problem, ...] = ()


@dataclass
class LiveKnowledge:
    """The engine the servers answer with, rebuilt when the files change and kept when an edit is broken."""

    knowledge: Path
    intents: Path
    model_cache: Path | None = None  # where the trained classifier is kept between starts
    versions: Versions | None = None  # where good versions are kept, and found when the files are broken
    answer_cache: int = ANSWER_CACHE  # answers each engine keeps (BOT_ANSWER_CACHE)
    engine: Engine = field(init=False)
    version: str = field(init=False)
    loaded_at: datetime = field(init=False)
    rejected: Reload | None = field(init=False, default=None)  # the files on disk, when they do not load
    from_kept_version: bool = field(init=False, default=False)  # started from `versions`, not from the files
    last_reload: Reload = field(init=False)  # what the last load of the files did (the staff page shows it)
    last_reload_at: datetime = field(init=False)
    _loaded: Fingerprint = field(init=False)
    _seen: Fingerprint = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)  # the watcher and /reload

    def __post_init__(self) -> None:
        result = self.reload()
        if not result.ok and not self._start_from_kept_version():
            raise ProblemsFound(list(result.problems))

    def _start_from_kept_version(self) -> bool:
        """Serve the newest kept version that still loads; False when there is none."""
        for kept in self.versions.all() if self.versions else []:
            try:
                bundle, _ = load_bundle(kept.knowledge, kept.intents_dir)
            except ProblemsFound:  # kept by an older bot whose checks were more lenient
                log.warning("kept version %s no longer loads; trying an older one", kept.version)
                continue
            self.engine, self.version, self.loaded_at = self._engine(bundle), kept.version, kept.loaded_at
            self.from_kept_version = True
            return True
        return False

    def _engine(self, bundle: Bundle) -> Engine:
        return Engine(bundle, self.model_cache, answer_cache=self.answer_cache)

    def trouble(self) -> str | None:
        """One sentence when the files on disk are not what answers (for the status file), else None."""
        if self.rejected is None:
            return None
        return (
            f"датотеке на диску (верзија {self.rejected.version}) имају грешака: {len(self.rejected.problems)}; "
            f"бот одговара из последње исправне верзије {self.version}"
        )

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
        self.last_reload = self._try_load(content_version(self.knowledge, self.intents))
        self.last_reload_at = datetime.now(UTC)
        metrics.RELOADS.labels("good" if self.last_reload.ok else "refused").inc()
        return self.last_reload

    def _try_load(self, version: str) -> Reload:
        try:
            bundle, warnings = load_bundle(self.knowledge, self.intents)
        except ProblemsFound as problems:
            self.rejected = Reload(False, version, tuple(problems.problems))
            return self.rejected
        engine = self._engine(bundle)  # trains the classifier when the examples changed
        # What this edit was made on: the version answering, or at a start the one the last run loaded last.
        answering = getattr(self, "version", None)
        if answering is None and self.versions is not None:
            answering = next((kept.version for kept in self.versions.all()), None)
        self.engine, self.version, self.loaded_at = engine, version, datetime.now(UTC)
        self.rejected, self.from_kept_version = None, False
        if self.versions is not None:
            self.versions.save(version, self.knowledge, intent_files(self.intents), bundle, parent=answering)
        return Reload(True, version, tuple(warnings))


async def watch(live: LiveKnowledge, every: float, tell: Callable[[Reload], Awaitable[None]]) -> None:
    """Look for edited files every `every` seconds until cancelled; log each reload and `tell` about it."""
    while True:
        await asyncio.sleep(every)
        try:
            result = await asyncio.to_thread(live.check)
        except Exception:  # a watcher that dies would silently stop reloads
            log.exception("checking the knowledge files failed")
            continue
        if result is not None:
            log_reload(result)
            await tell(result)


def log_reload(result: Reload) -> None:
    if result.ok:
        log.info("knowledge loaded: version %s, %d warning(s)", result.version, len(result.problems))
    else:
        details = "; ".join(str(p) for p in result.problems[:MAX_PROBLEMS_LOGGED])
        log.error("edited knowledge rejected, keeping the last good version: %s", details)
