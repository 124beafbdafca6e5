"""Every module says what it is for, and every dataclass says what it holds.

The second is also start-up time: a dataclass without a docstring gets one made
from `inspect.signature` when its module is imported (about a millisecond for a
large one), and `python -m bot ask` imports thirty of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.loader import PROJECT_ROOT

MODULES = sorted((PROJECT_ROOT / "bot").rglob("*.py"))


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name) and target.id == "dataclass":
            return True
    return False


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(PROJECT_ROOT)))
def test_the_module_and_its_dataclasses_have_docstrings(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    if module.name != "__init__.py" or tree.body:
        assert ast.get_docstring(tree), f"{module}: no module docstring"
    bare = [
        f"{module.name}:{node.lineno} {node.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and _is_dataclass(node) and not ast.get_docstring(node)
    ]
    assert bare == []


def test_the_check_sees_a_dataclass_without_a_docstring() -> None:
    tree = ast.parse("from dataclasses import dataclass\n@dataclass(frozen=True)\nclass A:\n    x: int\n")
    (node,) = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    assert _is_dataclass(node) and ast.get_docstring(node) is None
