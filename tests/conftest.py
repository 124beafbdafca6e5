"""Shared fixtures: the real knowledge and intents, loaded once per test session."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.loader import Bundle, load_bundle


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    loaded, _warnings = load_bundle()
    return loaded


@pytest.fixture(scope="session")
def engine(bundle: Bundle) -> Engine:
    return Engine(bundle)
