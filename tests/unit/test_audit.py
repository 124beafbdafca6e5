"""The audit trail of staff changes (bot/audit.py): appended, read newest first, and what changed since."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import audit
from bot.audit import audit_path


def test_changes_are_appended_and_read_newest_first(tmp_path: Path) -> None:
    assert audit.read(tmp_path, 10) == []
    first = audit.record(tmp_path, "Ана", "naled: size", "aaaa", "bbbb", "200 → 250")
    audit.record(tmp_path, "Марко", "intent seat: +1 пример", "bbbb", "cccc")
    entries = audit.read(tmp_path, 10)
    assert [(e.who, e.what, e.version_before, e.version_after) for e in entries] == [
        ("Марко", "intent seat: +1 пример", "bbbb", "cccc"),
        ("Ана", "naled: size", "aaaa", "bbbb"),
    ]
    assert entries[1] == first and first.detail == "200 → 250"
    assert first.at.tzinfo == UTC and abs(datetime.now(UTC) - first.at) < timedelta(minutes=1)
    assert [e.who for e in audit.read(tmp_path, 1)] == ["Марко"]
    assert stat.S_IMODE(audit_path(tmp_path).stat().st_mode) == 0o600
    assert len(audit_path(tmp_path).read_text(encoding="utf-8").splitlines()) == 2  # one line per change


def test_since_gives_the_changes_after_the_one_that_made_a_version(tmp_path: Path) -> None:
    for who, before, after in [("Ана", "v1", "v2"), ("Марко", "v2", "v3"), ("Ана", "v3", "v2"), ("Јован", "v2", "v4")]:
        audit.record(tmp_path, who, "naled: size", before, after)
    assert [e.who for e in audit.since(tmp_path, "v4")] == []
    assert [e.version_after for e in audit.since(tmp_path, "v2")] == ["v4"]  # the latest time it became v2
    assert [e.version_after for e in audit.since(tmp_path, "v3")] == ["v4", "v2"]
    assert [e.version_after for e in audit.since(tmp_path, "v1")] == ["v4", "v2", "v3", "v2"]  # made on disk
    assert audit.since(tmp_path, "unknown") == []


def test_a_damaged_line_is_skipped_and_the_next_change_starts_a_line_of_its_own(tmp_path: Path) -> None:
    audit.record(tmp_path, "Ана", "naled: size", "v1", "v2")
    with audit_path(tmp_path).open("ab") as file:
        file.write(b'{"at": "2025-01-01T00:00:00+00:00", "who": "\xd0')  # a crash in the middle of a line
    assert [e.who for e in audit.read(tmp_path, 10)] == ["Ана"]
    audit.record(tmp_path, "Марко", "naled: size", "v2", "v3")
    assert [e.who for e in audit.read(tmp_path, 10)] == ["Марко", "Ана"]
    assert [e.who for e in audit.since(tmp_path, "v2")] == ["Марко"]


def test_a_long_trail_is_read_from_its_end_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.fsync", lambda fd: None)  # 600 changes: no need to wait for the disk each time
    for number in range(600):
        audit.record(tmp_path, "Ана", f"naled: size {number}", f"v{number}", f"v{number + 1}", "д" * 150)
    assert audit_path(tmp_path).stat().st_size > 3 * 64 * 1024
    entries = audit.read(tmp_path, 1000)
    assert [e.version_after for e in entries] == [f"v{number}" for number in range(600, 0, -1)]
    assert len(audit.since(tmp_path, "v100")) == 500
