"""Live reload: edited files replace the engine once they are still; broken edits keep the last good one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.reloader import LiveKnowledge
from bot.yamlsource import ProblemsFound
from tests.support.staff_files import copy_real_files, edit

OLD_SEAT = "Седиште НАЛЕД-а је у Београду"


@pytest.fixture
def live(tmp_path: Path) -> LiveKnowledge:
    copy_real_files(tmp_path)
    return LiveKnowledge(tmp_path / "knowledge" / "networks.yaml", tmp_path / "intents")


def seat_answer(live: LiveKnowledge) -> str:
    return live.engine.answer("Где је седиште НАЛЕД-а?").text


def test_a_good_edit_is_loaded_once_the_file_is_still(live: LiveKnowledge) -> None:
    assert OLD_SEAT in seat_answer(live)
    old_version = live.version
    edit(live.knowledge, OLD_SEAT, "Седиште НАЛЕД-а је у Новом Саду")
    assert live.check() is None  # just changed: wait one check in case it is still being written
    result = live.check()
    assert result is not None and result.ok and result.version != old_version
    assert "Новом Саду" in seat_answer(live)
    assert live.check() is None  # nothing new


def test_a_broken_edit_keeps_the_last_good_engine_and_is_reported_once(live: LiveKnowledge) -> None:
    good_version = live.version
    edit(live.knowledge, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
    live.check()
    result = live.check()
    assert result is not None and not result.ok
    assert any("`webiste`" in p.message and p.position.line > 1 for p in result.problems)
    assert live.version == good_version and OLD_SEAT in seat_answer(live)
    assert live.check() is None  # the same broken version is not reported again
    edit(live.knowledge, "    webiste: https://naled.rs\n", "    website: https://naled.rs\n")
    live.check()
    fixed = live.check()
    assert fixed is not None and fixed.ok and fixed.version == good_version  # same text, same version


def test_reload_now_does_not_wait(live: LiveKnowledge) -> None:
    edit(live.knowledge, OLD_SEAT, "Седиште НАЛЕД-а је у Нишу")
    assert live.reload().ok and "Нишу" in seat_answer(live)


def test_starting_with_broken_files_raises_with_every_problem(tmp_path: Path) -> None:
    (tmp_path / "intents").mkdir()
    (tmp_path / "networks.yaml").write_text("networks: [\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as error:
        LiveKnowledge(tmp_path / "networks.yaml", tmp_path / "intents")
    assert len(error.value.problems) >= 2  # the YAML error and the empty intents folder
