"""The staff commands (`validate`, `versions`, `restore`, `undo`) run in-process, through the CLI's own `main`.

tests/e2e/test_versions.py and tests/e2e/test_undo.py run them as staff do, `python -m bot …` in a subprocess;
the mutation bench (bench/mutation.py, group `versions`) cannot see into a subprocess.  This module runs the same
scenarios, imported from there, with `Files.staff` calling `bot.cli.main` in this process: one set of scenarios,
two ways of running them.  Only the scenarios that go through `Files` are taken (not those about pipes).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path
from unittest import mock

import pytest

from bot import cli
from tests.e2e import test_undo, test_versions
from tests.support.staff_files import copy_real_files


class InProcessFiles(test_versions.Files):
    def staff(self, *command: str) -> subprocess.CompletedProcess[str]:
        env = {
            "BOT_KNOWLEDGE": str(self.knowledge),
            "BOT_INTENTS": str(self.intents),
            "BOT_DATA_DIR": str(self.root / "data"),
        }
        out, err = io.StringIO(), io.StringIO()
        with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(command))
        return subprocess.CompletedProcess(["bot", *command], code, out.getvalue(), err.getvalue())


@pytest.fixture
def files(tmp_path: Path) -> InProcessFiles:
    return InProcessFiles(copy_real_files(tmp_path))


test_versions_lists_what_changed_and_marks_the_files_on_disk = (
    test_versions.test_versions_lists_what_changed_and_marks_the_files_on_disk
)
test_restore_writes_a_version_back_and_keeps_the_replaced_files = (
    test_versions.test_restore_writes_a_version_back_and_keeps_the_replaced_files
)
test_restore_refuses_an_unknown_version_and_one_that_no_longer_loads = (
    test_versions.test_restore_refuses_an_unknown_version_and_one_that_no_longer_loads
)
test_validate_ends_with_the_version_and_what_it_holds = (
    test_versions.test_validate_ends_with_the_version_and_what_it_holds
)
test_versions_name_the_field_each_change_touched = test_undo.test_versions_name_the_field_each_change_touched
test_undo_takes_back_the_middle_change_and_nothing_else = (
    test_undo.test_undo_takes_back_the_middle_change_and_nothing_else
)
test_undo_puts_back_a_fact_and_an_example_as_they_were_written = (
    test_undo.test_undo_puts_back_a_fact_and_an_example_as_they_were_written
)
test_undo_is_refused_when_a_later_change_touched_the_same_field = (
    test_undo.test_undo_is_refused_when_a_later_change_touched_the_same_field
)
test_undo_is_refused_when_the_field_was_edited_again_on_disk = (
    test_undo.test_undo_is_refused_when_the_field_was_edited_again_on_disk
)
test_undo_puts_a_removed_network_back_in_its_place = test_undo.test_undo_puts_a_removed_network_back_in_its_place
test_undo_that_would_leave_errors_writes_nothing = test_undo.test_undo_that_would_leave_errors_writes_nothing
test_undo_of_the_oldest_version_says_to_restore_it = test_undo.test_undo_of_the_oldest_version_says_to_restore_it
test_restore_lists_the_later_changes_and_refuses_without_confirmation = (
    test_undo.test_restore_lists_the_later_changes_and_refuses_without_confirmation
)
test_restore_asks_at_a_terminal = test_undo.test_restore_asks_at_a_terminal
test_loading_a_kept_version_again_neither_moves_it_nor_redescribes_it = (
    test_undo.test_loading_a_kept_version_again_neither_moves_it_nor_redescribes_it
)
test_an_added_network_and_examples_are_named = test_undo.test_an_added_network_and_examples_are_named
test_undo_removes_a_network_that_was_added = test_undo.test_undo_removes_a_network_that_was_added
test_undo_after_an_undo_takes_back_only_its_own_edit = test_undo.test_undo_after_an_undo_takes_back_only_its_own_edit
test_undo_says_so_when_the_version_an_edit_was_made_on_is_no_longer_kept = (
    test_undo.test_undo_says_so_when_the_version_an_edit_was_made_on_is_no_longer_kept
)
