"""Reading and writing the staff's YAML files the way a person would edit them: comments, key order, quoting
and layout stay as they were, only the edited values change (ruamel.yaml's round trip).  Validation
messages still come from `bot/yamlsource.py`, which knows every value's line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.width = 4096  # long fact texts stay on one line, as staff wrote them
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


def dumps(document: Any) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def write(path: Path, document: Any) -> None:
    path.write_text(dumps(document), encoding="utf-8")
