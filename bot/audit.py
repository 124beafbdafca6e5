"""The audit trail of staff changes: who changed what, when, and from which content version to which.

One JSON object per line in `BOT_DATA_DIR/audit.jsonl`, appended with a single
write and then flushed and fsynced, never rewritten.  JSON Lines rather than the
SQLite database: the trail must be kept when the database is unavailable or
being repaired (bot/storage handles faults by carrying on without it), an
append-only text file is the plainest record there is (`tail`, `grep`, a
backup copies it as it is), and staff changes are a few a day, so no index is
needed.  A line that does not parse (the last one, cut short by a crash) is
skipped, not a crash; a new line after it still starts on a line of its own.

Versions are short content hashes, as `bot.versions.content_version` makes them.
`read` and `since` read the file backwards, from its end, as far as they need.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

AUDIT_FILE = "audit.jsonl"
_BLOCK = 64 * 1024


@dataclass(frozen=True)
class Entry:
    """One change staff saved: when, who, what, and the versions before and after it."""

    at: datetime  # UTC
    who: str  # the signed-in name (bot/web/gate.py `session_name`)
    what: str  # e.g. „naled: size“, „intent seat: +1 пример“
    version_before: str
    version_after: str
    detail: str = ""


def audit_path(data_dir: Path) -> Path:
    return data_dir / AUDIT_FILE


def record(data_dir: Path, who: str, what: str, version_before: str, version_after: str, detail: str = "") -> Entry:
    """Append one change to the trail (flushed to disk before it returns) and return it. Raises OSError."""
    entry = Entry(datetime.now(UTC), who, what, version_before, version_after, detail)
    line = json.dumps(
        {
            "at": entry.at.isoformat(),
            "who": who,
            "what": what,
            "version_before": version_before,
            "version_after": version_after,
            "detail": detail,
        },
        ensure_ascii=False,
    )
    path = audit_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        cut_short = size > 0 and os.pread(fd, 1, size - 1) != b"\n"  # a crash mid-line: do not glue onto it
        os.write(fd, ("\n" if cut_short else "").encode() + line.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def read(data_dir: Path, limit: int) -> list[Entry]:
    """The last `limit` changes, newest first."""
    found: list[Entry] = []
    for entry in _newest_first(audit_path(data_dir)):
        if len(found) >= limit:
            break
        found.append(entry)
    return found


def since(data_dir: Path, version: str) -> list[Entry]:
    """The changes made after the content became `version`, newest first: [] when none were, and also when
    `version` is not in the trail (the files were edited on disk, or never through the web): compare the
    current version with `version` to tell those apart."""
    found: list[Entry] = []
    for entry in _newest_first(audit_path(data_dir)):
        if entry.version_after == version:
            return found
        found.append(entry)
        if entry.version_before == version:
            return found
    return []


def _newest_first(path: Path) -> Iterator[Entry]:
    for line in _lines_backwards(path):
        try:
            item = json.loads(line)
            yield Entry(
                datetime.fromisoformat(item["at"]),
                str(item["who"]),
                str(item["what"]),
                str(item["version_before"]),
                str(item["version_after"]),
                str(item.get("detail", "")),
            )
        except (ValueError, KeyError, TypeError):
            continue  # cut short by a crash, or damaged: skipped


def _lines_backwards(path: Path) -> Iterator[bytes]:
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return
    with file:
        end = file.seek(0, os.SEEK_END)
        rest = b""  # the start of a line whose beginning is in an earlier block
        while end > 0:
            start = max(0, end - _BLOCK)
            file.seek(start)
            lines = (file.read(end - start) + rest).split(b"\n")
            end = start
            rest = lines.pop(0) if start > 0 else b""
            for line in reversed(lines):
                if line.strip():
                    yield line
