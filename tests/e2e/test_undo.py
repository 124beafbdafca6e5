"""Taking edits back: `undo` one change field by field, `restore` only after listing and confirming what it undoes,
an identical re-save that leaves the list alone, and `versions | head -1` without a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import shell_files
from bot.loader import PROJECT_ROOT
from bot.versions import changes, content_version
from tests.e2e.test_versions import NEW_SEAT, OLD_SEAT, Files
from tests.support.bot_process import bot_environment
from tests.support.staff_files import copy_real_files, edit

COMMENT = "    # проверено на сајту НАЛЕД-а\n"
WEBSITE = "    website: https://naled.rs\n"
ALIAS = "      - Конференција градова и општина\n"
NEW_ALIAS = "      - Стална конференција градова\n"
EXAMPLE = "      - Када је основан {network}?\n"


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(copy_real_files(tmp_path))


class Terminal(io.StringIO):
    """What staff type at the [d/N] question."""

    def isatty(self) -> bool:
        return True


def three_changes(files: Files) -> list[str]:
    """The first version, then: naled's seat (and a comment beside it), an alias of skgo, an example less."""
    loaded = [files.live().version]
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    edit(files.knowledge, WEBSITE, COMMENT + WEBSITE)
    loaded.append(files.live().version)
    edit(files.knowledge, ALIAS, ALIAS + NEW_ALIAS)
    loaded.append(files.live().version)
    edit(files.intents / "networks.yml", EXAMPLE, "")
    loaded.append(files.live().version)
    return loaded


def test_versions_name_the_field_each_change_touched(files: Files) -> None:
    three_changes(files)
    listed = files.staff("versions").stdout
    assert "измене: networks.yml: founded −1 пример" in listed
    assert "измене: skgo: aliases" in listed and "измене: naled: seat\n" in listed
    assert listed.index("founded −1") < listed.index("skgo: aliases") < listed.index("naled: seat")


def test_undo_takes_back_the_middle_change_and_nothing_else(files: Files) -> None:
    _, _, middle, _ = three_changes(files)
    knowledge = files.knowledge.read_text(encoding="utf-8")
    examples = (files.intents / "networks.yml").read_bytes()
    undone = files.staff("undo", middle[:5])
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert f"Поништена је измена верзије {middle}: skgo: aliases." in undone.stdout
    # byte for byte the files as they were, the one alias less: the comments and the other two edits stay
    assert files.knowledge.read_text(encoding="utf-8") == knowledge.replace(NEW_ALIAS, "")
    assert (files.intents / "networks.yml").read_bytes() == examples
    assert COMMENT in knowledge and knowledge.startswith("# Мреже и удружења градова")
    (backup,) = (files.root / "data" / "backups").iterdir()
    assert (backup / "networks.yaml").read_text(encoding="utf-8") == knowledge
    assert files.staff("validate").returncode == 0


def test_undo_puts_back_a_fact_and_an_example_as_they_were_written(files: Files) -> None:
    first, seat, _, example = three_changes(files)
    assert files.staff("undo", seat[:5]).returncode == 0
    assert files.staff("undo", example[:5]).returncode == 0
    original = (PROJECT_ROOT / "knowledge" / "networks.yaml").read_text(encoding="utf-8")
    assert files.knowledge.read_text(encoding="utf-8") == original.replace(WEBSITE, COMMENT + WEBSITE).replace(
        ALIAS, ALIAS + NEW_ALIAS
    )
    assert (files.intents / "networks.yml").read_bytes() == (PROJECT_ROOT / "intents" / "networks.yml").read_bytes()
    assert content_version(files.knowledge, files.intents) != first


def test_undo_is_refused_when_a_later_change_touched_the_same_field(files: Files) -> None:
    files.live()
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    seat = files.live().version
    edit(files.knowledge, NEW_SEAT, "Седиште НАЛЕД-а је у Нишу")
    again = files.live().version
    before = files.knowledge.read_bytes()
    refused = files.staff("undo", seat[:5])
    assert refused.returncode == 1
    assert refused.stdout.startswith(f"Измена верзије {seat} није поништена: naled: seat — ")
    assert f"касније га је мењала и верзија {again}" in refused.stdout and f"./mreze undo {again[:5]}" in refused.stdout
    assert files.knowledge.read_bytes() == before and not (files.root / "data" / "backups").exists()


def test_undo_is_refused_when_the_field_was_edited_again_on_disk(files: Files) -> None:
    files.live()
    edit(files.knowledge, ALIAS, ALIAS + NEW_ALIAS)
    alias = files.live().version
    edit(files.knowledge, NEW_ALIAS, "      - СКГО Србије\n")  # saved, not yet loaded by the bot
    refused = files.staff("undo", alias[:5])
    assert refused.returncode == 1 and "skgo: aliases" in refused.stdout
    assert "поново измењено у датотекама на диску" in refused.stdout


def test_undo_puts_a_removed_network_back_in_its_place(files: Files) -> None:
    original = files.knowledge.read_text(encoding="utf-8")
    avec = original[original.index("  - id: avec\n") : original.index("  - id: ecad\n")]
    files.live()
    edit(files.knowledge, avec, "")
    removed = files.live().version
    assert changes(*files.versions.history()[1::-1]).describe() == "обрисана мрежа avec"
    edit(files.knowledge, ALIAS, ALIAS + NEW_ALIAS)
    files.live()
    assert files.staff("undo", removed[:5]).returncode == 0
    assert files.knowledge.read_text(encoding="utf-8") == original.replace(ALIAS, ALIAS + NEW_ALIAS)


def test_undo_that_would_leave_errors_writes_nothing(files: Files) -> None:
    original = files.knowledge.read_text(encoding="utf-8")
    avec = original[original.index("  - id: avec\n") : original.index("  - id: ecad\n")]
    files.live()
    edit(files.knowledge, avec, "")
    removed = files.live().version
    edit(files.knowledge, ALIAS, ALIAS + "      - АВЕК\n")  # skgo now has avec's alias
    files.live()
    before = files.knowledge.read_bytes()
    refused = files.staff("undo", removed[:5])
    assert refused.returncode == 1 and "датотеке би после тога имале грешке" in refused.stdout
    assert "„АВЕК“" in refused.stdout and files.knowledge.read_bytes() == before


def test_undo_of_the_oldest_version_says_to_restore_it(files: Files) -> None:
    first = files.live().version
    refused = files.staff("undo", first[:5])
    assert refused.returncode == 1 and "најстарија сачувана" in refused.stdout
    assert f"./mreze restore {first[:5]}" in refused.stdout


def test_restore_lists_the_later_changes_and_refuses_without_confirmation(files: Files) -> None:
    first, seat, _, _ = three_changes(files)
    edit(files.knowledge, "    members: 250\n", "    members: 260\n")  # saved, not yet loaded
    before = files.knowledge.read_bytes()
    refused = files.staff("restore", first[:5])
    assert refused.returncode == 2
    lines = refused.stdout.splitlines()
    assert lines[0] == f"Враћање верзије {first} поништава и све што је измењено после ње:"
    assert lines[1].startswith(f"  {seat} (учитана ") and lines[1].endswith("): naled: seat")
    assert lines[2].endswith("): skgo: aliases") and lines[3].endswith("): networks.yml: founded −1 пример")
    assert lines[4] == "  датотеке на диску, измењене после последњег учитавања: ecad: members"
    assert lines[5].startswith("Верзија није враћена") and f"--yes: ./mreze restore --yes {first[:5]}" in lines[5]
    assert files.knowledge.read_bytes() == before
    restored = files.staff("restore", "--yes", first[:5])
    assert restored.returncode == 0 and content_version(files.knowledge, files.intents) == first


def test_restore_asks_at_a_terminal(files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    first = files.live().version
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    files.live()
    backups = files.root / "data" / "backups"
    arguments = (files.versions, first[:5], files.knowledge, files.intents, backups)
    assert shell_files.restore(*arguments, answers=Terminal("\n")) == 1  # Enter: the default, no
    assert NEW_SEAT in files.knowledge.read_text(encoding="utf-8")
    said = capsys.readouterr().out
    assert f"Да ли да вратим верзију {first} и поништим ове измене? [d/N] " in said and "Ништа није враћено" in said
    assert shell_files.restore(*arguments, answers=Terminal("д\n")) == 0
    assert content_version(files.knowledge, files.intents) == first


def test_loading_a_kept_version_again_neither_moves_it_nor_redescribes_it(files: Files) -> None:
    first = files.live().version
    original = files.knowledge.read_bytes()
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    second = files.live().version
    files.knowledge.write_bytes(original)  # taken back by hand: the first version's exact text
    assert files.live().version == first
    assert [kept.version for kept in files.versions.history()] == [second, first]
    newer, older = files.versions.history()
    assert changes(older, newer).describe() == "naled: seat"
    listed = files.staff("versions").stdout
    assert listed.index(second) < listed.index(first) and "измене: naled: seat" in listed
    assert f"{first}  учитана" in listed and "← исто што је сада на диску" in listed.split(first)[1].split("\n")[0]


def test_an_added_network_and_examples_are_named(files: Files) -> None:
    files.live()
    edit(files.intents / "networks.yml", EXAMPLE, EXAMPLE + "      - Које године је настао {network}?\n")
    text = files.knowledge.read_text(encoding="utf-8")
    files.knowledge.write_text(text.replace("  - id: avec", "  - id: avec2").replace("AVEC", "AVEX"), "utf-8")
    files.live()
    newer, older = files.versions.history()
    assert changes(older, newer).describe() == (
        "нова мрежа avec2; обрисана мрежа avec; networks.yml: founded +1 пример"
    )


@pytest.mark.parametrize("command", [["versions"], ["validate"], ["ask", "Шта је НАЛЕД?"], ["undo", "zzzz"]])
def test_a_closed_stdout_ends_quietly(files: Files, command: list[str]) -> None:
    files.live()
    reading, writing = os.pipe()
    os.close(reading)  # like `| head -1` that has already gone
    env = bot_environment(
        {
            "BOT_KNOWLEDGE": str(files.knowledge),
            "BOT_INTENTS": str(files.intents),
            "BOT_DATA_DIR": str(files.root / "data"),
        }
    )
    try:
        ended = subprocess.run(
            [sys.executable, "-m", "bot", *command], cwd=PROJECT_ROOT, env=env, stdout=writing, stderr=subprocess.PIPE
        )
    finally:
        os.close(writing)
    assert ended.returncode in (0, 141) and ended.stderr == b"", ended.stderr.decode()


def test_a_pipe_to_head_prints_the_first_line_only(files: Files) -> None:
    three_changes(files)
    env = bot_environment({"BOT_DATA_DIR": str(files.root / "data")})
    shown = subprocess.run(
        f"'{sys.executable}' -m bot versions | head -1",
        shell=True,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert shown.stdout.startswith("Сачуване исправне верзије") and shown.stderr == ""


def test_undo_removes_a_network_that_was_added(files: Files) -> None:
    original = files.knowledge.read_text(encoding="utf-8")
    files.live()
    files.knowledge.write_text(original + PROBE, encoding="utf-8")
    added = files.live().version
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)
    files.live()
    undone = files.staff("undo", added[:5])
    assert undone.returncode == 0 and "нова мрежа proba" in undone.stdout, undone.stdout
    assert files.knowledge.read_text(encoding="utf-8") == original.replace(OLD_SEAT, NEW_SEAT)


PROBE = "\n  - id: proba\n    name: Пробна мрежа градова\n    website: https://proba.example.org\n"


def test_undo_after_an_undo_takes_back_only_its_own_edit(files: Files) -> None:
    """A mistake undone, then another edit: undoing that edit must not bring the mistake back (each version
    remembers the version it was made on, not the one kept just before it)."""
    good = files.live().version
    edit(files.knowledge, OLD_SEAT, NEW_SEAT)  # the mistake
    mistake = files.live().version
    assert files.staff("undo", mistake[:6]).returncode == 0
    assert files.live().version == good and OLD_SEAT in files.knowledge.read_text(encoding="utf-8")
    edit(files.knowledge, ALIAS, ALIAS + NEW_ALIAS)  # another edit, on the good version
    aliased = files.live().version
    assert "измене: skgo: aliases\n" in files.staff("versions").stdout
    assert files.staff("undo", aliased[:6]).returncode == 0
    text = files.knowledge.read_text(encoding="utf-8")
    assert NEW_ALIAS not in text and OLD_SEAT in text and NEW_SEAT not in text


def test_undo_says_so_when_the_version_an_edit_was_made_on_is_no_longer_kept(files: Files) -> None:
    import shutil

    first = files.live().version
    edit(files.knowledge, ALIAS, ALIAS + NEW_ALIAS)
    second = files.live().version
    shutil.rmtree(files.versions.folder / first)  # pruned: another version must not stand in for it
    refused = files.staff("undo", second[:6])
    assert refused.returncode == 1 and f"верзија {first} на којој је измена направљена више није сачувана" in (
        refused.stdout
    )
    assert NEW_ALIAS in files.knowledge.read_text(encoding="utf-8")
