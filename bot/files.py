"""Replace a file at once: a reader (the bot's file watcher, the health check) sees the old or the new text,
never half of it, and a crash while writing leaves only a hidden partial file beside it."""

from __future__ import annotations

import os
from pathlib import Path


def replace_file(path: Path, content: bytes, mode: int | None = None) -> None:
    """Write `content` to a hidden file beside `path` (a name of its own: two threads or processes writing the
    same file never share one), flush it to disk, then rename it over `path`; `mode`: its permissions (default:
    the old file's, or 0644). Raises OSError."""
    import tempfile  # here: reading commands (`ask`) import this module and never write

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # hidden: `*.yml` globs skip it
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes it 0600: keep the mode the file had (staff and the bot may be different users)
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(partial, mode)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
