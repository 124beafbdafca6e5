"""Last good versions: kept at every good load, served when the files break, listed and restored by staff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.loader import PROJECT_ROOT, load_bundle
from bot.reloader import LiveKnowledge
from bot.versions import Versions, changes, content_version
from bot.yamlsource import ProblemsFound
from tests.support.bot_process import bot_environment
from tests.support.staff_files import copy_real_files, edit

OLD_SEAT, NEW_SEAT = "Седиште НАЛЕД-а је у Београду", "Седиште НАЛЕД-а је у Новом Саду"
SEAT_QUESTION = "Где је седиште НАЛЕД-а?"


class Files:
    def __init__(self, root: Path):
        self.root = root
        self.knowledge = root / "knowledge" / "networks.yaml"
        self.intents = root / "intents"
        self.versions = Versions(root / "data" / "versions")

    def live(self) -> LiveKnowledge:
        return LiveKnowledge(self.knowledge, self.intents, None, self.versions)

    def break_them(self) -> None:
        edit(self.knowledge, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")

    def staff(self, *command: str) -> subprocess.CompletedProcess[str]:
        env = bot_environment(
            {
                "BOT_KNOWLEDGE": str(self.knowledge),
                "BOT_INTENTS": str(self.intents),
                "BOT_DATA_DIR": str(self.root / "data"),
            }
        )
        return subprocess.run(
            [sys.executable, "-m", "bot", *command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
        )


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(copy_real_files(tmp_path))


def seat(live: LiveKnowledge) -> str:
    return live.engine.answer(SEAT_QUESTION).text


def test_a_good_load_keeps_exactly_the_files_it_loaded(files: Files) -> None:
    live = files.live()
    (kept,) = files.versions.all()
    assert kept.version == live.version
    assert kept.knowledge.read_bytes() == files.knowledge.read_bytes()
    for path in files.intents.glob("*.yml"):
        assert (kept.intents_dir / path.name).read_bytes() == path.read_bytes()


def test_a_start_with_broken_files_answers_from_the_newest_good_version(files: Files) -> None:
    files.live()
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    newest = files.live().version
    files.break_them()
    live = files.live()
    assert NEW_SEAT in seat(live)
    assert live.version == newest and live.from_kept_version
    assert live.rejected is not None and any("webiste" in str(p) for p in live.rejected.problems)
    trouble = live.trouble()
    assert trouble is not None and newest in trouble and live.rejected.version in trouble
    edit(files.knowledge, "    webiste: https://naled.rs\n", "    website: https://naled.rs\n")  # staff mend it
    assert live.reload().ok and live.rejected is None and live.trouble() is None
    assert live.version == content_version(files.knowledge, files.intents)


def test_a_first_start_with_broken_files_refuses_in_one_sentence(files: Files) -> None:
    files.break_them()
    with pytest.raises(ProblemsFound):
        files.live()
    env = bot_environment(
        {
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "TELEGRAM_API_URL": "http://127.0.0.1:9/bot",
            "BOT_KNOWLEDGE": str(files.knowledge),
            "BOT_INTENTS": str(files.intents),
            "BOT_DATA_DIR": str(files.root / "data"),
        }
    )
    started = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode == 1
    first = started.stderr.splitlines()[0]
    assert first.startswith("Бот није покренут") and "исправна верзија још није сачувана" in first
    assert "webiste" in started.stderr


def test_a_kept_version_that_no_longer_loads_is_passed_over(files: Files) -> None:
    first = files.live().version
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    files.live()
    newest = files.versions.all()[0]
    newest.knowledge.write_text("networks: [\n", encoding="utf-8")
    files.break_them()
    live = files.live()
    assert live.version == first and OLD_SEAT in seat(live)


def test_only_the_twenty_newest_versions_are_kept(files: Files) -> None:
    bundle, _ = load_bundle(files.knowledge, files.intents)
    original = files.knowledge.read_text(encoding="utf-8")
    saved = []
    for number in range(23):
        files.knowledge.write_text(f"# измена {number}\n{original}", encoding="utf-8")
        version = content_version(files.knowledge, files.intents)
        assert files.versions.save(version, files.knowledge, sorted(files.intents.glob("*.yml")), bundle)
        saved.append(version)
    assert [kept.version for kept in files.versions.all()] == saved[::-1][:20]


def test_a_folder_that_cannot_hold_versions_does_not_stop_the_bot(files: Files) -> None:
    blocked = files.root / "data" / "versions"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the versions folder should be", encoding="utf-8")
    live = files.live()
    assert OLD_SEAT in seat(live) and files.versions.all() == []


def test_changes_name_the_networks_and_intents_that_differ(files: Files) -> None:
    files.live()
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    edit(files.intents / "networks.yml", "      - Када је основан {network}?\n", "")
    files.live()
    newer, older = files.versions.all()
    difference = changes(older, newer)
    assert difference.describe() == "naled: seat; networks.yml: founded −1 пример"


def test_an_edit_of_the_web_pages_texts_is_a_change_too(files: Files) -> None:
    files.live()
    edit(files.intents / "web.yml", "  send: Пошаљи\n", "  send: Питај\n")
    files.live()
    newer, older = files.versions.all()
    assert changes(older, newer).describe() == "web.yml: send"


def test_versions_lists_what_changed_and_marks_the_files_on_disk(files: Files) -> None:
    first = files.live().version
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    second = files.live().version
    listed = files.staff("versions")
    assert listed.returncode == 0
    text = listed.stdout
    assert text.index(second) < text.index(first)  # the newest first
    assert f"{second}  учитана" in text and "← исто што је сада на диску" in text.split(first)[0]
    assert "измене: naled: seat" in text
    assert "./mreze undo ВЕРЗИЈА" in text and "./mreze restore ВЕРЗИЈА" in text


def test_restore_writes_a_version_back_and_keeps_the_replaced_files(files: Files) -> None:
    first = files.live().version
    good_text = files.knowledge.read_bytes()
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    files.live()
    files.break_them()
    broken_text = files.knowledge.read_bytes()
    (files.intents / "extra.yml").write_text("nlu: []\n", encoding="utf-8")  # a file the version did not have
    restored = files.staff("restore", "--yes", first[:5])
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"Враћена је верзија {first}" in restored.stdout
    assert files.knowledge.read_bytes() == good_text
    assert not (files.intents / "extra.yml").exists() and (files.intents / "extra.yml.bak").exists()
    assert content_version(files.knowledge, files.intents) == first
    (backup,) = (files.root / "data" / "backups").iterdir()
    assert (backup / "networks.yaml").read_bytes() == broken_text
    checked = files.staff("validate")
    assert checked.returncode == 0 and f"Верзија {first}:" in checked.stdout


def test_restore_refuses_an_unknown_version_and_one_that_no_longer_loads(files: Files) -> None:
    version = files.live().version
    unknown = files.staff("restore", "zzzz")
    assert unknown.returncode == 1 and "Нема сачуване верзије" in unknown.stdout
    (kept,) = files.versions.all()
    kept.knowledge.write_text("networks: [\n", encoding="utf-8")
    files.break_them()
    before = files.knowledge.read_bytes()
    refused = files.staff("restore", version)
    assert refused.returncode == 1 and "није враћена" in refused.stdout
    assert files.knowledge.read_bytes() == before


def test_validate_ends_with_the_version_and_what_it_holds(files: Files) -> None:
    live = files.live()
    checked = files.staff("validate")
    assert checked.returncode == 0
    document = yaml.safe_load(files.knowledge.read_text(encoding="utf-8"))
    networks = document["networks"]
    facts = sum(len(network.get("facts") or {}) for network in networks)
    version_line = checked.stdout.strip().splitlines()[-2]
    assert version_line.startswith(f"Верзија {live.version}: мрежа {len(networks)}, чињеница {facts}, намера ")
    assert "примера питања" in version_line


def test_report_names_the_database_or_says_where_to_run_it(files: Files) -> None:
    missing = files.staff("report")
    assert missing.returncode == 1
    assert str(files.root / "data" / "questions.sqlite3") in missing.stderr and "docker exec" in missing.stderr
    from bot.storage.database import Database

    database = Database(files.root / "data")
    database.open()
    database.close()
    found = files.staff("report")
    assert found.returncode == 0 and f"База: {files.root / 'data' / 'questions.sqlite3'}" in found.stderr


def test_a_kept_version_whose_description_was_lost_is_kept_again(files: Files) -> None:
    version = files.live().version
    (kept,) = files.versions.all()
    (kept.folder / "version.json").unlink()
    assert files.versions.all() == []
    files.live()
    (again,) = files.versions.all()
    assert again.version == version and again.knowledge.read_bytes() == files.knowledge.read_bytes()
