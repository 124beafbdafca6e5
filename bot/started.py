"""A started engine kept on disk, so that `python -m bot ask` and `chat` start as fast as before the classifier.

Reading and checking the files, then building the engine (the name index, the
trained model) takes about 90 ms; unpickling the engine built from the same
files by the same code takes about 6 (the collector off meanwhile; the model's
rows of weights are made as questions need them, not pickled).  The key is what shaped it:
the knowledge file and the intent files (their bytes), the source of `bot/`
(each file's size and time: a change writes it), the libraries that build the
indexes and the Python version, so a change to any of them builds afresh (and
keeps that one instead).
Only a file this user wrote and nobody else can write is read (a pickle runs
what it names); anything wrong with it is only a slower start.  The servers do
not use it: they load and watch the files (bot/reloader.py).
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from bot.engine import Engine
from bot.files import replace_file
from bot.loader import load_bundle

if TYPE_CHECKING:
    import logging

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
    """A change detector, not a signature (who may have written a kept file is checked when it is read): CRC-32
    and Adler-32 of all that shaped the engine, 64 bits from zlib; hashlib would load OpenSSL, 3 ms of the start."""
    parts = [sys.version.encode()]
    for library in LIBRARIES:  # an upgrade rewrites their files (the engine's indexes are built with them)
        module = sys.modules.get(library)
        where = getattr(module, "__file__", None)
        if where:
            parts.append(f"{library} {getattr(module, '__version__', '')} {os.stat(where).st_mtime_ns}".encode())
    for source, facts in _sources(str(CODE)):  # the code by its size and time (reading it all took 10 ms)
        parts.append(f"\0{source}\0{facts.st_size}\0{facts.st_mtime_ns}".encode())
    data = [knowledge, *sorted(p for p in intents.rglob("*") if p.is_file() and not p.name.startswith("."))]
    for path in data:  # the files staff edit by their bytes: an edit that keeps size and time still counts
        parts += [b"\0" + str(path).encode() + b"\0", path.read_bytes()]
    everything = b"".join(parts)
    return f"{zlib.crc32(everything):08x}{zlib.adler32(everything):08x}"


def _sources(folder: str) -> list[tuple[str, os.stat_result]]:
    """Every `.py` file under `folder` with its stat, in a stable order (os.scandir: a third of pathlib's rglob)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir() and entry.name != "__pycache__":
                found += _sources(entry.path)
            elif entry.name.endswith(".py"):
                found.append((entry.path, entry.stat()))
    return sorted(found)


def _read(path: Path) -> Engine | None:
    try:
        with path.open("rb") as kept:
            facts = os.fstat(kept.fileno())
            if facts.st_uid != os.getuid() or facts.st_mode & 0o022:
                return None  # someone else could have written it
            engine = _unpickled(kept)
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged or foreign file: built afresh
        _log().info("kept engine %s not used: %s", path.name, error)
        return None
    return engine if isinstance(engine, Engine) else None


def _unpickled(kept: BinaryIO) -> object:
    """Unpickle with the collector off: every object made is kept, so a collection on the way only costs time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(kept)
    finally:
        if was_on:
            gc.enable()


def _write(path: Path, engine: Engine) -> None:
    try:
        replace_file(path, pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL), mode=0o600)
        kept = sorted(path.parent.glob("engine-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)
    except Exception as error:  # a slower next start only; what cannot be pickled raises many kinds
        _log().info("could not keep the engine in %s: %s", path.parent, error)


def _log() -> logging.Logger:
    import logging  # only on a failure: a start that goes well does without it (2 ms)

    return logging.getLogger(__name__)
