"""One trained intent model for the whole test run: every xdist worker and every `python -m bot` it starts.

Training takes 4-8 s; doing it once per worker and once per started bot made
the suite minutes slower.  The controller makes one folder for the run
(`SHARED_MODELS`, in the environment, so workers and subprocesses see it); the
first engine trained there is kept under its key (bot/understanding/classify.py:
the training texts and settings), and a bot started by a test gets a copy in its
own data folder before it starts.  A test that changes intents/ gets a different
key, so it trains its own model: a shared folder can never hand it a stale one.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from bot.engine import Engine
from bot.loader import load_bundle

SHARED_MODELS = "BOT_TEST_MODEL_CACHE"


def seed_data_dir(data_dir: Path, shared: Path) -> None:
    """Copy the run's trained models into `data_dir/models` (bot/settings.py `model_cache`)."""
    models = data_dir / "models"
    try:
        for model in shared.glob("intent-model-*.bin"):
            models.mkdir(parents=True, exist_ok=True)
            if not (models / model.name).exists():
                shutil.copy2(model, models / model.name)
    except OSError:  # a test's data folder made unusable on purpose: the bot must meet it as it is
        pass


@cache
def trained(shared: Path) -> Path:
    """`shared`, holding the model of the project's own intents (trained here the first time)."""
    Engine(load_bundle()[0], shared)
    return shared
