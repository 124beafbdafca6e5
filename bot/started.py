"""A started engine kept on disk, so that `python -m bot ask` and `chat` start as fast as before the classifier.

Reading and checking the files, then building the engine (the name index, the
trained model) takes about 90 ms; unpickling the engine built from the same
files by the same code takes about 15.  The key is what shaped it:
the knowledge file and the intent files (their bytes), the source of `bot/`
(each file's size and time: a change writes it), the libraries that build the
indexes and the Python version, so a change to any of them builds afresh (and
keeps that one instead).
Only a file this user wrote and nobody else can write is read (a pickle runs
what it names); anything wrong with it is only a slower start.  The servers do
not use it: they load and watch the files (bot/reloader.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

from bot.engine import Engine
from bot.files import replace_file
from bot.loader import load_bundle

log = logging.getLogger(__name__)
KEPT = 2  # the newest few engines: the files of today and of the last edit
LIBRARIES = ("cyrtranslit", "rapidfuzz")  # what shapes the built engine besides bot/ (imported with it already)
CODE = Path(__file__).resolve().parent


def started_engine(knowledge: Path, intents: Path, cache_dir: Path) -> Engine:
    """The engine for these files: kept from an earlier start, or loaded and built (raises `ProblemsFound`, which
    also says why a file cannot be read)."""
    try:
        path: Path | None = cache_dir / f"engine-{_key(knowledge, intents)}.pickle"
    except OSError:  # a file missing or unreadable: loading says so in its own words
        path = None
    engine = _read(path) if path is not None else None
    if engine is not None:
        return engine
    engine = Engine(load_bundle(knowledge, intents)[0], model_cache=cache_dir)
    if path is not None:
        _write(path, engine)
    return engine


def _key(knowledge: Path, intents: Path) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:  # an upgrade rewrites their files (the engine's indexes are built with them)
        module = sys.modules.get(library)
        where = getattr(module, "__file__", None)
        if where:
            digest.update(f"{library} {getattr(module, '__version__', '')} {os.stat(where).st_mtime_ns}".encode())
    for source in sorted(CODE.rglob("*.py")):  # the code by its size and time (reading it all took 10 ms)
        facts = source.stat()
        digest.update(f"\0{source}\0{facts.st_size}\0{facts.st_mtime_ns}".encode())
    data = [knowledge, *sorted(p for p in intents.rglob("*") if p.is_file() and not p.name.startswith("."))]
    for path in data:  # the files staff edit by their bytes: an edit that keeps size and time still counts
        digest.update(b"\0" + str(path).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def _read(path: Path) -> Engine | None:
    try:
        with path.open("rb") as kept:
            facts = os.fstat(kept.fileno())
            if facts.st_uid != os.getuid() or facts.st_mode & 0o022:
                return None  # someone else could have written it
            engine = pickle.load(kept)
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged or foreign file: built afresh
        log.info("kept engine %s not used: %s", path.name, error)
        return None
    return engine if isinstance(engine, Engine) else None


def _write(path: Path, engine: Engine) -> None:
    try:
        replace_file(path, pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL), mode=0o600)
        kept = sorted(path.parent.glob("engine-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)
    except Exception as error:  # a slower next start only; what cannot be pickled raises many kinds
        log.info("could not keep the engine in %s: %s", path.parent, error)
