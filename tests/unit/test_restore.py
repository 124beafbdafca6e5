"""`restore` in-process: it keeps a copy of every file it is about to write over, then writes the version back.

tests/e2e/test_versions.py runs the command as staff do (a subprocess); this one calls it directly, so the
mutation bench (bench/mutation.py) sees it too.
"""

from __future__ import annotations

import getpass
import hashlib
import io
import json
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import audit, shell_files
from bot import versions as versions_module
from bot.intents import intent_files
from bot.loader import check_files, load_bundle
from bot.versions import Snapshot, Versions, changes, content_version, counts
from bot.yamlsource import display_path
from tests.support.staff_files import copy_real_files, edit

OLD_SEAT, NEW_SEAT = "Седиште НАЛЕД-а је у Београду", "Седиште НАЛЕД-а је у Новом Саду"
RESPONSE_INTENT = "joined"
RESPONSE_EDIT = (
    "    question: Када је Ниш приступио мрежи {short}?\n",
    "    question: Од када је Ниш у мрежи {short}?\n",
)


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

    assert shell_files.restore(files.versions, first[:5], files.knowledge, files.intents, files.backups, yes=True) == 0

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
    assert shell_files.restore(files.versions, first, files.knowledge, files.intents, files.backups, yes=True) == 0
    assert "нема шта да се врати" in capsys.readouterr().out
    assert files.now() == before and not files.backups.exists()


# What a kept version records ---------------------------------------------------


def kept(files: Files, parent: str | None = None) -> Snapshot:
    version = content_version(files.knowledge, files.intents)
    bundle, _ = load_bundle(files.knowledge, files.intents)
    snapshot = files.versions.save(version, files.knowledge, intent_files(files.intents), bundle, parent=parent)
    assert snapshot is not None
    return snapshot


def test_a_version_records_a_fingerprint_per_network_and_intent_that_changes_with_it_alone(tmp_path: Path) -> None:
    files = Files(tmp_path)
    first = kept(files)
    assert all(re.fullmatch(r"[0-9a-f]{12}", f) for f in [*first.networks.values(), *first.intents.values()])
    assert re.fullmatch(r"[0-9a-f]{10}", first.version) and re.fullmatch(r"[0-9a-f]{12}", first.other)
    bundle, _ = load_bundle(files.knowledge, files.intents)
    assert set(first.networks) == {network.id for network in bundle.knowledge.networks}
    assert set(first.intents) == {e.intent for e in bundle.intents.examples} | set(bundle.intents.responses)
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    seat = kept(files, parent=first.version)
    assert {n for n in first.networks if first.networks[n] != seat.networks[n]} == {"naled"}
    assert (seat.intents, seat.other) == (first.intents, first.other)
    edit(files.intents / "networks.yml", "      - Када је основан {network}?\n", "      - Кад је основан {network}?\n")
    example = kept(files, parent=seat.version)
    assert {i for i in seat.intents if seat.intents[i] != example.intents[i]} == {"founded"}
    assert (example.networks, example.other) == (seat.networks, seat.other)
    edit(files.intents / "responses.yml", *RESPONSE_EDIT)
    response = kept(files, parent=example.version)
    assert {i for i in example.intents if example.intents[i] != response.intents[i]} == {RESPONSE_INTENT}
    edit(files.intents / "web.yml", "  send: Пошаљи\n", "  send: Питај\n")
    web = kept(files, parent=response.version)
    assert web.other != response.other and (web.networks, web.intents) == (response.networks, response.intents)
    assert (seat.parent, example.parent, response.parent, web.parent) == (
        first.version,
        seat.version,
        example.version,
        response.version,
    )


def test_a_fingerprint_depends_on_the_content_not_its_order() -> None:
    assert versions_module._fingerprint({"a": 1, "b": ["č", 2]}) == versions_module._fingerprint(
        {"b": ["č", 2], "a": 1}
    )
    assert versions_module._fingerprint({"a": 1}) != versions_module._fingerprint({"a": 2})
    assert versions_module._fingerprint({1, 2}) == versions_module._fingerprint([1, 2])  # sets as lists
    expected = hashlib.sha256(json.dumps({"š": [1]}, ensure_ascii=False).encode()).hexdigest()[:12]
    assert versions_module._fingerprint({"š": (1,)}) == expected


def test_loading_a_version_again_keeps_when_it_was_first_kept_and_on_what(tmp_path: Path) -> None:
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    second = kept(files, parent=first.version)
    again = kept(files, parent="something-else")  # loaded again later, answering after another version
    assert (again.version, again.saved_at, again.parent) == (second.version, second.saved_at, first.version)
    assert again.loaded_at >= second.loaded_at and again.loaded_at.tzinfo is UTC
    assert json.loads((again.folder / "version.json").read_text(encoding="utf-8"))["parent"] == first.version
    assert kept(files, parent=second.version).parent == first.version
    fresh = Files(tmp_path / "other")
    own = content_version(fresh.knowledge, fresh.intents)
    assert kept(fresh, parent=own).parent is None  # a version is not its own parent


def test_history_is_in_the_order_versions_were_first_kept_and_before_follows_the_parent(tmp_path: Path) -> None:
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    second = kept(files, parent=first.version)
    edit(files.knowledge, NEW_SEAT, OLD_SEAT)  # taken back by hand: the first version's text, loaded again
    again = kept(files, parent=second.version)
    assert again.version == first.version
    assert [s.version for s in files.versions.history()] == [second.version, first.version]
    assert [s.version for s in files.versions.all()] == [first.version, second.version]  # the most recently loaded
    assert files.versions.before(second) == files.versions.history()[1]
    assert files.versions.before(files.versions.history()[1]) is None  # the oldest kept: nothing before it
    orphan = replace(second, parent="0123456789")
    assert files.versions.before(orphan) is None  # its parent is gone: never another version in its place
    meta = json.loads((second.folder / "version.json").read_text(encoding="utf-8"))
    del meta["parent"]  # kept before parents were recorded: the one kept just before it is taken
    (second.folder / "version.json").write_text(json.dumps(meta), encoding="utf-8")
    legacy = files.versions.history()[0]
    assert legacy.parent is None and files.versions.before(legacy) == files.versions.history()[1]
    assert files.versions.before(replace(second, version="not-kept", parent=None)) is None


def test_a_half_written_copy_is_not_a_version_and_one_that_lost_its_description_is_made_again(tmp_path: Path) -> None:
    files = Files(tmp_path)
    first = kept(files)
    (files.versions.folder / f".{first.version}.123.456").mkdir()  # a crash while copying
    (files.versions.folder / "stray.txt").write_text("not a version", encoding="utf-8")
    assert [s.version for s in files.versions.all()] == [first.version]
    (first.folder / "version.json").unlink()
    again = kept(files)
    assert again.version == first.version and again.knowledge.read_bytes() == files.knowledge.read_bytes()
    assert [s.version for s in files.versions.all()] == [first.version]


def test_a_version_kept_by_another_process_meanwhile_stands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = Files(tmp_path)
    version = content_version(files.knowledge, files.intents)
    bundle, _ = load_bundle(files.knowledge, files.intents)
    theirs = Files(tmp_path / "theirs")
    real_read = Versions._read
    calls = [0]

    def read(folder: Path) -> Snapshot | None:
        calls[0] += 1
        if calls[0] == 2 and folder.name == version:  # between the first look and the rename
            shutil.copytree(theirs.versions.folder / version, folder)
        return real_read(folder)

    ours_first = kept(theirs)
    assert ours_first.version == version
    monkeypatch.setattr(Versions, "_read", staticmethod(read))
    saved = files.versions.save(version, files.knowledge, intent_files(files.intents), bundle, parent="abc")
    assert saved is not None and saved.saved_at == ours_first.saved_at and saved.parent is None
    assert [p.name for p in files.versions.folder.iterdir()] == [version]  # our copy went


def test_a_folder_that_cannot_hold_versions_is_logged_and_the_version_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files = Files(tmp_path)
    files.versions.folder.parent.mkdir(parents=True, exist_ok=True)
    files.versions.folder.write_text("a file where the folder should be", encoding="utf-8")
    version = content_version(files.knowledge, files.intents)
    bundle, _ = load_bundle(files.knowledge, files.intents)
    assert files.versions.save(version, files.knowledge, intent_files(files.intents), bundle) is None
    (said,) = [r.getMessage() for r in caplog.records]
    assert said.startswith(f"could not keep version {version} in {files.versions.folder}: [Errno ")


def test_the_version_of_files_names_each_and_a_missing_one(tmp_path: Path) -> None:
    files = Files(tmp_path)
    version = content_version(files.knowledge, files.intents)
    assert content_version(files.knowledge, files.intents) == version and len(version) == 10
    (files.intents / "extra.yml").write_text("nlu: []\n", encoding="utf-8")
    assert content_version(files.knowledge, files.intents) != version
    digest = hashlib.sha256()
    for path in [tmp_path / "gone.yaml", *intent_files(files.intents)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"\0missing")
    assert content_version(tmp_path / "gone.yaml", files.intents) == digest.hexdigest()[:10]


def test_changes_without_a_content_change_say_so(tmp_path: Path) -> None:
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, "    website: https://naled.rs\n", "    website: https://naled.rs  # checked\n")
    second = kept(files, parent=first.version)
    difference = changes(first, second)
    assert difference.fields == () and difference.describe() == "без измена садржаја (само размаци или коментари)"
    everything = changes(None, first)
    assert len(everything.fields) == len(everything.labels) > 5


# What `validate` and `versions` say, whole -------------------------------------


def test_validate_says_the_files_are_fine_with_their_version_and_what_they_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    bundle, problems = check_files(files.knowledge, files.intents)
    warnings = [str(p) for p in problems]
    assert shell_files.validate(files.knowledge, files.intents) == 0
    version = content_version(files.knowledge, files.intents)
    assert capsys.readouterr().out == "".join(f"{w}\n" for w in warnings) + (
        f"\nУ реду: {display_path(files.knowledge)} и {display_path(files.intents)} су исправни"
        f" (упозорења: {len(warnings)}).\n"
        f"Верзија {version}: {shell_files.describe_counts(counts(bundle))}.\n"
        "Кад је бот учита, исту верзију показују /stats и порука администраторима.\n"
    )


def test_validate_lists_each_problem_and_says_the_bot_will_not_load_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    edit(files.knowledge, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
    edit(files.knowledge, "    website: https://www.skgo.org\n", "    webiste: https://www.skgo.org\n")
    _, problems = check_files(files.knowledge, files.intents)
    errors = [p for p in problems if p.is_error]
    assert len(errors) >= 2
    assert shell_files.validate(files.knowledge, files.intents) == 1
    version = content_version(files.knowledge, files.intents)
    assert capsys.readouterr().out == "".join(f"{p}\n" for p in problems) + (
        f"\nПронађено грешака: {len(errors)}, упозорења: {len(problems) - len(errors)} (верзија {version}).\n"
        "Бот неће учитати ове датотеке док се грешке не исправе; до тада одговара из последње исправне верзије.\n"
    )


def test_versions_without_any_says_where_it_looked_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    assert shell_files.list_versions(files.versions, files.knowledge, files.intents, files.data) == 0
    assert capsys.readouterr().out == (
        f"У {files.versions.folder} нема сачуваних верзија.\n"
        "Бот чува верзију сваки пут кад исправно учита датотеке; покрените га бар једном.\n"
        "Ако бот ради на серверу, команду покрените тамо: docker exec nis-bot python -m bot versions\n"
    )


def test_versions_lists_each_with_who_saved_it_what_it_changed_and_the_files_on_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    second = kept(files, parent=first.version)
    audit.record(files.data, "marija", "измена на /staff", first.version, second.version)
    edit(files.knowledge, "    website: https://naled.rs\n", "    website: https://naled.org\n")
    third = kept(files, parent="0123456789")  # made on a version no longer kept
    edit(files.knowledge, NEW_SEAT, OLD_SEAT)  # saved, not loaded: no kept version
    on_disk = content_version(files.knowledge, files.intents)
    assert shell_files.list_versions(files.versions, files.knowledge, files.intents, files.data) == 0

    def when(snapshot: Snapshot) -> str:
        return f"{snapshot.saved_at:%Y-%m-%d %H:%M:%S} UTC"

    def holds(snapshot: Snapshot) -> str:
        return f"    {shell_files.describe_counts(dict(snapshot.counts))}\n"

    assert capsys.readouterr().out == (
        f"Сачуване исправне верзије, најновија измена прва ({files.versions.folder}):\n\n"
        f"{third.version}  учитана {when(third)}\n{holds(third)}"
        "    измене: не виде се (верзија на којој је направљена више није сачувана)\n"
        f"{second.version}  учитана {when(second)}, сачувао/ла marija\n{holds(second)}"
        "    измене: naled: seat\n"
        f"{first.version}  учитана {when(first)}\n{holds(first)}"
        "    најстарија сачувана верзија\n"
        f"\nДатотеке на диску (верзија {on_disk}) нису ниједна од ових: измењене су после последњег учитавања.\n"
        f"\n{shell_files.RESTORE_HINT}\n"
    )
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)  # the third version's text again
    assert shell_files.list_versions(files.versions, files.knowledge, files.intents) == 0  # no audit trail given
    listed = capsys.readouterr().out
    assert f"{third.version}  учитана {when(third)}  ← исто што је сада на диску\n" in listed
    assert f"{second.version}  учитана {when(second)}\n" in listed
    assert "нису ниједна од ових" not in listed


# Asking, and choosing a version -------------------------------------------------


class Typed(io.StringIO):
    """What staff type at a question; `interrupt`: they press Ctrl-C instead."""

    def __init__(self, text: str = "", interrupt: bool = False):
        super().__init__(text)
        self.interrupt = interrupt

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if self.interrupt:
            raise KeyboardInterrupt
        return super().readline()


@pytest.mark.parametrize(
    ("typed", "yes", "said"),
    [
        ("d\n", True, "Да ли? "),
        ("Да\n", True, "Да ли? "),
        ("  y \n", True, "Да ли? "),
        ("YES\n", True, "Да ли? "),
        ("\n", False, "Да ли? "),
        ("не\n", False, "Да ли? "),
        ("d", True, "Да ли? \n"),  # no Enter (the input ended): the next line starts on a line of its own
        ("", False, "Да ли? \n"),
    ],
)
def test_a_question_takes_only_a_yes_as_yes(
    typed: str, yes: bool, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert shell_files.confirmed("Да ли? ", Typed(typed)) is yes
    assert capsys.readouterr().out == said


def test_ctrl_c_at_a_question_is_a_no(capsys: pytest.CaptureFixture[str]) -> None:
    assert shell_files.confirmed("Да ли? ", Typed(interrupt=True)) is False
    assert capsys.readouterr().out == "Да ли? \n"


def test_a_version_is_chosen_by_its_first_characters_and_only_when_they_name_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    first = kept(files)
    original = files.knowledge.read_text(encoding="utf-8")
    starts = {first.version[0]}
    for number in range(16):  # 17 versions: two of them start with the same of 16 hex digits
        files.knowledge.write_text(f"# измена {number}\n{original}", encoding="utf-8")
        version = kept(files, parent=first.version).version
        if version[0] in starts:
            shared = version[0]
            break
        starts.add(version[0])
    names = ", ".join(s.version for s in files.versions.find(shared))
    for command, run in (("restore", shell_files.restore), ("undo", shell_files.undo)):
        assert run(files.versions, "zz", files.knowledge, files.intents, files.backups) == 1
        assert capsys.readouterr().out == "Нема сачуване верзије која почиње са „zz“. Списак: ./mreze versions\n"
        assert run(files.versions, "  ", files.knowledge, files.intents, files.backups) == 1
        assert "Нема сачуване верзије која почиње са „  “." in capsys.readouterr().out
        assert run(files.versions, shared, files.knowledge, files.intents, files.backups) == 2
        assert capsys.readouterr().out == (
            f"Више верзија почиње са „{shared}“: {names}. Откуцајте више знакова: ./mreze {command} …\n"
        )
    assert shell_files.restore(files.versions, f" {first.version[:5]} ", files.knowledge, files.intents, files.backups,
                         yes=True) == 0  # fmt: skip
    assert content_version(files.knowledge, files.intents) == first.version


def test_restore_says_what_it_takes_back_when_the_files_on_disk_cannot_be_read_or_differ_only_in_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    first = kept(files)
    original = files.knowledge.read_text(encoding="utf-8")
    files.knowledge.write_text(original + "\n# a comment\n", encoding="utf-8")
    assert (
        shell_files.restore(files.versions, first.version, files.knowledge, files.intents, files.backups, yes=True) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith(
        f"Враћање верзије {first.version} поништава и све што је измењено после ње:\n"
        "  само размаке и коментаре: садржај на диску је исти као у тој верзији\n"
        f"Враћена је верзија {first.version} ("
    )
    files.knowledge.write_text("networks: [\n", encoding="utf-8")  # not YAML at all
    assert (
        shell_files.restore(files.versions, first.version, files.knowledge, files.intents, files.backups, yes=True) == 0
    )
    assert capsys.readouterr().out.startswith(
        f"Враћање верзије {first.version} поништава и све што је измењено после ње:\n"
        "  датотеке на диску сада не могу да се прочитају (грешка у облику), па се не види шта се поништава\n"
    )
    assert files.knowledge.read_text(encoding="utf-8") == original


# Undo, and what restore and undo leave behind ---------------------------------------

ALIAS = "      - Конференција градова и општина\n"
NEW_ALIAS = "      - Стална конференција градова\n"


def test_undo_says_in_full_what_it_took_back_and_records_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, ALIAS, ALIAS + NEW_ALIAS)
    aliased = kept(files, parent=first.version)
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    seat = kept(files, parent=aliased.version)
    assert shell_files.undo(files.versions, aliased.version[:5], files.knowledge, files.intents, files.backups) == 0
    (backup,) = files.backups.iterdir()
    assert capsys.readouterr().out == (
        f"Поништена је измена верзије {aliased.version}: skgo: aliases.\n"
        "Ништа друго у датотекама није дирано, ни коментари.\n"
        f"Датотеке какве су биле пре поништавања сачуване су у {backup}.\n"
        "Бот који ради учитава их сам за неколико секунди.\n"
    )
    text = files.knowledge.read_text(encoding="utf-8")
    assert NEW_ALIAS not in text and NEW_SEAT in text
    (entry,) = audit.read(files.data, 10)
    assert (entry.what, entry.version_before, entry.version_after) == (
        f"поништена измена {aliased.version}: skgo: aliases",
        seat.version,
        content_version(files.knowledge, files.intents),
    )
    assert entry.who == getpass.getuser()


def test_undo_refusals_name_the_versions_to_use_instead(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = Files(tmp_path)
    first = kept(files)
    assert shell_files.undo(files.versions, first.version, files.knowledge, files.intents, files.backups) == 1
    assert capsys.readouterr().out == (
        f"Измена верзије {first.version} не може да се поништи сама: она је најстарија сачувана, па се не види шта "
        f"је она изменила. Целу верзију враћа: ./mreze restore {first.version[:5]}\n"
    )
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    seat = kept(files, parent=first.version)
    edit(files.knowledge, NEW_SEAT, "Седиште НАЛЕД-а је у Нишу")
    again = kept(files, parent=seat.version)
    assert shell_files.undo(files.versions, seat.version, files.knowledge, files.intents, files.backups) == 1
    assert capsys.readouterr().out == (
        f"Измена верзије {seat.version} није поништена: naled: seat — касније га је мењала и верзија {again.version}"
        f" (учитана {again.saved_at:%Y-%m-%d %H:%M:%S} UTC). Поништите прво њу (./mreze undo {again.version[:5]})"
        f" или вратите целу ранију верзију: ./mreze restore {first.version[:5]}.\n"
    )
    edit(files.knowledge, "Седиште НАЛЕД-а је у Нишу", "Седиште НАЛЕД-а је у Крагујевцу")  # on disk, not kept
    assert shell_files.undo(files.versions, again.version, files.knowledge, files.intents, files.backups) == 1
    assert capsys.readouterr().out == (
        f"Измена верзије {again.version} није поништена: naled: seat — после ње је то поље поново измењено у"
        " датотекама на диску. Вратите га руком или целу ранију верзију: ./mreze restore"
        f" {seat.version[:5]}.\n"
    )
    assert not files.backups.exists()


def test_undo_of_an_added_intents_file_sets_it_aside_as_bak(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = Files(tmp_path)
    first = kept(files)
    extra = files.intents / "extra.yml"
    extra.write_text("nlu:\n  - intent: greeting\n    examples:\n      - Добар дан свима\n", encoding="utf-8")
    added = kept(files, parent=first.version)
    assert shell_files.undo(files.versions, added.version, files.knowledge, files.intents, files.backups) == 0
    assert not extra.exists() and (files.intents / "extra.yml.bak").exists()
    assert content_version(files.knowledge, files.intents) == first.version
    capsys.readouterr()


def test_restore_records_who_restored_what(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    before = content_version(files.knowledge, files.intents)
    assert (
        shell_files.restore(files.versions, first.version, files.knowledge, files.intents, files.backups, yes=True) == 0
    )
    (entry,) = audit.read(files.data, 10)
    assert (entry.who, entry.what, entry.version_before, entry.version_after) == (
        getpass.getuser(),
        f"враћена верзија {first.version}",
        before,
        first.version,
    )
    capsys.readouterr()


class EditsWhileAsked(io.StringIO):
    """A terminal at whose question someone else saves the files, and then staff answer yes."""

    def __init__(self, path: Path):
        super().__init__("d\n")
        self.path = path

    def isatty(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        edit(self.path, OLD_SEAT, "Седиште НАЛЕД-а је у Суботици")
        return super().readline()


def test_restore_writes_nothing_over_files_changed_while_it_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, "    website: https://naled.rs\n", "    website: https://naled.org\n")
    stream = EditsWhileAsked(files.knowledge)
    assert shell_files.restore(files.versions, first.version, files.knowledge, files.intents, files.backups,
                         answers=stream) == 1  # fmt: skip
    said = capsys.readouterr().out.splitlines()[-1]
    assert said == (
        f"Да ли да вратим верзију {first.version} и поништим ове измене? [d/N] "  # the answer's Enter is not echoed
        "Верзија није враћена: датотеке су се у међувремену промениле (измењене су руком). Покрените команду поново."
    )
    assert "Суботици" in files.knowledge.read_text(encoding="utf-8") and not files.backups.exists()


def test_only_the_newest_backups_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shell_files, "KEEP", 2)
    files = Files(tmp_path)
    first = kept(files)
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    second = kept(files, parent=first.version)
    made = []
    for target in (first, second, first):
        assert shell_files.restore(files.versions, target.version, files.knowledge, files.intents, files.backups,
                             yes=True) == 0  # fmt: skip
        made.append(max(files.backups.iterdir()))
    left = sorted(files.backups.iterdir())
    assert left == made[1:]  # the newest two: names are UTC times, in order
    for folder in left:
        stamp = datetime.strptime(folder.name, "%Y-%m-%dT%H-%M-%S.%fZ").replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - stamp) < timedelta(hours=1)
    capsys.readouterr()


def test_moving_an_answer_in_its_file_changes_no_fingerprint(tmp_path: Path) -> None:
    files = Files(tmp_path)
    first = kept(files)
    text = (files.intents / "responses.yml").read_text(encoding="utf-8")
    (files.intents / "responses.yml").write_text("# a comment on top moves every line\n\n" + text, encoding="utf-8")
    moved = kept(files, parent=first.version)
    assert moved.version != first.version
    assert (moved.networks, moved.intents, moved.other) == (first.networks, first.intents, first.other)


def test_a_copy_left_half_made_with_its_description_is_still_not_a_version(tmp_path: Path) -> None:
    files = Files(tmp_path)
    first = kept(files)
    partial = files.versions.folder / f".{first.version}.99.99"
    shutil.copytree(first.folder, partial)  # a crash after writing version.json, before the rename
    assert [s.folder for s in files.versions.all()] == [first.folder]


def test_a_version_kept_before_parents_were_recorded_follows_the_one_kept_before_it(tmp_path: Path) -> None:
    files = Files(tmp_path)
    made = [kept(files)]
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    made.append(kept(files, parent=made[-1].version))
    edit(files.knowledge, NEW_SEAT, "Седиште НАЛЕД-а је у Нишу")
    made.append(kept(files, parent=made[-1].version))
    middle = made[1]
    meta = json.loads((middle.folder / "version.json").read_text(encoding="utf-8"))
    del meta["parent"]
    (middle.folder / "version.json").write_text(json.dumps(meta), encoding="utf-8")
    history = files.versions.history()
    assert [s.version for s in history] == [s.version for s in reversed(made)]
    assert files.versions.before(history[1]) == history[2]  # the one kept before it, not after
