"""Copies of the real `knowledge/` and `intents/` for tests that edit them the way staff would."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.loader import PROJECT_ROOT


def copy_real_files(root: Path) -> Path:
    """Copy `knowledge/` and `intents/` into `root`; return `root`."""
    shutil.copytree(PROJECT_ROOT / "knowledge", root / "knowledge")
    shutil.copytree(PROJECT_ROOT / "intents", root / "intents")
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old`, and move the file's time on so even a coarse clock sees the edit."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
