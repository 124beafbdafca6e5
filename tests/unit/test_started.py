"""The engine `ask` and `chat` start from (bot/started.py): kept only for the very files it was built from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import started
from bot.started import started_engine
from bot.yamlsource import ProblemsFound
from tests.support.staff_files import copy_real_files, edit


def kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("engine-*.pickle"))


def test_a_kept_engine_serves_the_same_files_and_an_edit_builds_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = copy_real_files(tmp_path), tmp_path / "models"
    knowledge, intents = root / "knowledge" / "networks.yaml", root / "intents"
    first = started_engine(knowledge, intents, cache)
    (path,) = kept(cache)
    assert path.stat().st_mode & 0o777 == 0o600
    with monkeypatch.context() as patched:  # the same files: read from the kept one, nothing loaded
        patched.setattr(started, "load_bundle", lambda *_: pytest.fail("loaded the files again"))
        again = started_engine(knowledge, intents, cache)
    assert again.answer("Где је седиште СКГО?").text == first.answer("Где је седиште СКГО?").text
    edit(knowledge, "Седиште НАЛЕД-а је у Београду", "Седиште НАЛЕД-а је у Новом Саду")
    edited = started_engine(knowledge, intents, cache)
    assert "Новом Саду" in edited.answer("Где је седиште НАЛЕД-а?").text
    assert len(kept(cache)) == 2


def test_a_file_someone_else_could_have_written_or_a_damaged_one_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = copy_real_files(tmp_path), tmp_path / "models"
    knowledge, intents = root / "knowledge" / "networks.yaml", root / "intents"
    started_engine(knowledge, intents, cache)
    (path,) = kept(cache)
    os.chmod(path, 0o666)
    assert started._read(path) is None  # writable by others: a pickle runs what it names
    path.write_bytes(b"not a pickle")
    os.chmod(path, 0o600)
    assert started._read(path) is None
    assert started_engine(knowledge, intents, cache).answer("Шта је НАЛЕД?").network == "naled"  # built again


def test_a_missing_knowledge_file_is_a_problem_reported_not_a_traceback(tmp_path: Path) -> None:
    root = copy_real_files(tmp_path)
    with pytest.raises(ProblemsFound):
        started_engine(root / "knowledge" / "missing.yaml", root / "intents", tmp_path / "models")
