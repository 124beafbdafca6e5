"""The mutation bench's own files: the list of equivalent mutants reads, each with a reason, and every group names
modules and tests that exist (bench/mutation.py runs by hand, so nothing else would notice before a long run)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_equivalent_mutant_is_named_as_mutmut_names_it_and_has_a_reason() -> None:
    listed = yaml.safe_load((ROOT / "bench" / "mutation_equivalents.yaml").read_text(encoding="utf-8"))
    assert isinstance(listed, dict) and listed
    for name, reason in listed.items():
        assert re.fullmatch(r"bot\.[\w.ǁ]+__mutmut_\d+", name), name
        assert isinstance(reason, str) and len(reason.split()) >= 4, name


def test_every_group_names_modules_and_tests_that_exist() -> None:
    spec = importlib.util.spec_from_file_location("mutation_bench", ROOT / "bench" / "mutation.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for group, (modules, tests) in bench.GROUPS.items():
        for module in modules:
            assert (ROOT / module).is_file(), (group, module)
        for test in tests:
            path, _, name = test.partition("::")
            assert (ROOT / path).is_file(), (group, test)
            assert not name or f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), (group, test)
