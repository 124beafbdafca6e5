"""`restore` in-process: it keeps a copy of every file it is about to write over, then writes the version back.

tests/e2e/test_versions.py runs the command as staff do (a subprocess); this one calls it directly, so the
mutation bench (bench/mutation.py) sees it too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import staff
from bot.intents import intent_files
from bot.loader import load_bundle
from bot.versions import Versions, content_version
from tests.support.staff_files import copy_real_files, edit

OLD_SEAT, NEW_SEAT = "Седиште НАЛЕД-а је у Београду", "Седиште НАЛЕД-а је у Новом Саду"


class Files:
    def __init__(self, root: Path):
        copy_real_files(root)
        self.knowledge = root / "knowledge" / "networks.yaml"
        self.intents = root / "intents"
        self.data = root / "data"
        self.versions = Versions(self.data / "versions")
        self.backups = self.data / "backups"

    def keep(self) -> str:
        """Keep the files as they are now, as a good load does."""
        version = content_version(self.knowledge, self.intents)
        bundle, _ = load_bundle(self.knowledge, self.intents)
        assert self.versions.save(version, self.knowledge, intent_files(self.intents), bundle) is not None
        return version

    def now(self) -> dict[str, bytes]:
        return {"networks.yaml": self.knowledge.read_bytes()} | {
            f"intents/{path.name}": path.read_bytes() for path in intent_files(self.intents)
        }


def backed_up(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_restore_backs_up_every_current_file_then_writes_the_version_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    first = files.keep()
    kept_files = files.now()
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    edit(files.intents / "conversation.yml", "      - Здраво\n", "      - Здраво\n      - Добро вече свима у граду\n")
    (files.intents / "extra.yml").write_text("nlu: []\n", encoding="utf-8")  # a file the version does not have
    before = files.now()

    assert staff.restore(files.versions, first[:5], files.knowledge, files.intents, files.backups, yes=True) == 0

    (backup,) = files.backups.iterdir()
    assert backed_up(backup) == before  # the knowledge file and every intents file, as they were
    assert f"сачуване су у {backup}" in capsys.readouterr().out
    assert content_version(files.knowledge, files.intents) == first
    assert files.now() == kept_files
    assert (files.intents / "extra.yml.bak").read_bytes() == b"nlu: []\n"


def test_restore_of_the_version_on_disk_writes_nothing_and_backs_nothing_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    first = files.keep()
    before = files.now()
    assert staff.restore(files.versions, first, files.knowledge, files.intents, files.backups, yes=True) == 0
    assert "нема шта да се врати" in capsys.readouterr().out
    assert files.now() == before and not files.backups.exists()
