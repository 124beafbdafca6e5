"""The lock files match pyproject.toml: every dependency there is pinned, to a version its range admits,
with hashes, and nothing is pinned for a dependency that was removed.  Refresh with ./tools/lock."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.loader import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)(?: ;([^\\\n]*))? \\$", re.MULTILINE)
_OWN = "nis-networks-bot (pyproject.toml)"


def pins(text: str) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version, _ in _PIN.findall(text)}


def markers(text: str) -> dict[str, str]:
    """The environment marker each pin carries (`sys_platform != "win32"`), as packaging writes it."""
    return {canonicalize_name(name): str(Marker(marker)) for name, _, marker in _PIN.findall(text) if marker.strip()}


def direct(text: str) -> set[str]:
    """The packages the lock says it pinned because pyproject.toml asks for them (pip-compile's `# via`)."""
    found, current = set(), None
    for line in text.splitlines():
        if match := _PIN.match(line):
            current = canonicalize_name(match.group(1))
        elif current and _OWN in line:
            found.add(current)
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PYPROJECT["dependencies"]),
        ("requirements-dev.lock", PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_the_lock_pins_every_dependency_of_pyproject_within_its_range(lock: str, requirements: list[str]) -> None:
    text = (PROJECT_ROOT / lock).read_text(encoding="utf-8")
    pinned = pins(text)
    wanted = [Requirement(line) for line in requirements]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock}: {requirement} is not pinned; run ./tools/lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock}: {name}=={pinned[name]} is outside {requirement.specifier}; run ./tools/lock"
        )
        wanted_marker = str(requirement.marker) if requirement.marker else None
        assert markers(text).get(name) == wanted_marker, f"{lock}: {name}'s marker differs; run ./tools/lock"
    assert direct(text) == {canonicalize_name(r.name) for r in wanted}, f"{lock} is stale; run ./tools/lock"
    blocks = re.split(r"\n(?=\S)", text.split("\n\n", 1)[-1])
    for block in blocks:
        if _PIN.match(block):
            assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_dev_lock_holds_the_runtime_lock() -> None:
    runtime = pins((PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8"))
    dev = pins((PROJECT_ROOT / "requirements-dev.lock").read_text(encoding="utf-8"))
    assert {name: dev.get(name) for name in runtime} == runtime  # the tests run on the versions the image has
