"""Asking thousands of questions of one version of the files, fast enough for staff to wait for: what
`bot/preview.py` compares.

Two things make it fast.  The answers of a version are kept on disk
(`BOT_DATA_DIR/previews/`, one file per version and code), so the live side of
a preview is read, not asked, whenever that version was previewed or saved
before (a saved edit's answers are the next edit's "before").  What is not kept
is asked by a process per core (`spawn`: a fresh interpreter loading the files
and the cached model, never a fork of a server with threads), each taking an
equal part.  A handful of questions is asked in this process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path

from bot.engine import Answer, Engine
from bot.files import replace_file
from bot.questionsets import NOT_ANSWERS

log = logging.getLogger(__name__)
PARALLEL_FROM = 1500  # questions: fewer are asked here (a process costs ~1 s to start)
MAX_PROCESSES = 4
KEPT_FILES = 6  # versions whose answers are kept


@dataclass(frozen=True)
class Said:
    """What a preview compares of an answer."""

    intent: str
    network: str | None
    networks: tuple[str, ...]
    text: str

    @property
    def unanswered(self) -> bool:
        return self.intent in NOT_ANSWERS

    @classmethod
    def of(cls, answer: Answer) -> Said:
        return cls(answer.intent, answer.network, answer.networks, answer.text)


@dataclass(frozen=True)
class Side:
    """One version of the files: where they are, their version, and an engine built from them."""

    knowledge: Path
    intents: Path
    version: str
    engine: Engine


def answers(side: Side, texts: Sequence[str], kept: Path | None, model_cache: Path | None) -> list[Said]:
    """Every question's answer in a fresh conversation, from the kept answers where there are any."""
    known = _read(kept, side.version)
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    if missing:
        known |= dict(zip(missing, _ask(side, missing, model_cache), strict=True))
        _write(kept, side.version, known)
    return [known[text] for text in texts]


def _ask(side: Side, texts: list[str], model_cache: Path | None) -> list[Said]:
    processes = min(MAX_PROCESSES, os.cpu_count() or 1)
    if len(texts) < PARALLEL_FROM or processes < 2:
        return [Said.of(side.engine.answer(text)) for text in texts]
    parts = [texts[index::processes] for index in range(processes)]
    where = (str(side.knowledge), str(side.intents), str(model_cache) if model_cache else None)
    try:
        with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
            asked = list(pool.map(_ask_part, [where] * processes, parts))
    except (BrokenProcessPool, OSError) as error:  # no processes to be had: slower, but the same answers
        log.warning("asking in %d processes failed (%s); asking here", processes, error)
        return [Said.of(side.engine.answer(text)) for text in texts]
    said: dict[str, Said] = {}
    for part, results in zip(parts, asked, strict=True):
        said |= {text: Said(intent, network, tuple(networks), answer) for text, (intent, network, networks, answer)
                 in zip(part, results, strict=True)}  # fmt: skip
    return [said[text] for text in texts]


def _ask_part(where: tuple[str, str, str | None], texts: list[str]) -> list[tuple[str, str | None, list[str], str]]:
    """In a worker process: load the files (and the model the parent trained) and answer `texts`."""
    from bot.loader import load_bundle

    knowledge, intents, model_cache = where
    engine = Engine(load_bundle(Path(knowledge), Path(intents))[0], Path(model_cache) if model_cache else None)
    return [(a.intent, a.network, list(a.networks), a.text) for a in map(engine.answer, texts)]


@cache
def code_version() -> str:
    """A hash of the bot's own code: kept answers are thrown away when the code that gave them changes."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _path(kept: Path, version: str) -> Path:
    return kept / f"{version}-{code_version()}.json"


def _read(kept: Path | None, version: str) -> dict[str, Said]:
    if kept is None:
        return {}
    try:
        rows = json.loads(_path(kept, version).read_text(encoding="utf-8"))
        return {
            text: Said(intent, network, tuple(networks), answer) for text, intent, network, networks, answer in rows
        }
    except (OSError, ValueError, TypeError):
        return {}


def _write(kept: Path | None, version: str, said: dict[str, Said]) -> None:
    """Keep the answers (the newest KEPT_FILES versions); a failure only costs the next preview time."""
    if kept is None:
        return
    rows = [[text, s.intent, s.network, list(s.networks), s.text] for text, s in said.items()]
    try:
        # Citizens' questions: readable by the bot's user only, as the database should be.
        replace_file(_path(kept, version), json.dumps(rows, ensure_ascii=False).encode(), mode=0o600)
        for old in sorted(kept.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[KEPT_FILES:]:
            old.unlink(missing_ok=True)
    except OSError as error:
        log.warning("could not keep the answers of version %s: %s", version, error)
