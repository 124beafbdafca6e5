"""Replace a file at once: a reader (the bot's file watcher, the health check) sees the old or the new text,
never half of it, and a crash while writing leaves only a hidden partial file beside it."""

from __future__ import annotations

import os
from pathlib import Path


def replace_file(path: Path, content: bytes) -> None:
    """Write `content` to a hidden file beside `path`, then rename it over `path`. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")  # hidden: `*.yml` globs do not see it
    partial.write_bytes(content)
    partial.replace(path)
