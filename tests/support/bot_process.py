"""Run `python -m bot run` as a subprocess against the fake Bot API server, for end-to-end tests."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from bot.loader import PROJECT_ROOT
from tests.support.fake_bot_api import TOKEN, Call, FakeBotApi
from tests.support.models import SHARED_MODELS, seed_data_dir, trained

_chat_ids = itertools.count(5001)
OWN_SETTINGS = ("TELEGRAM_", "WEBHOOK_", "WEB_", "BOT_", "LOG_")
# The project whose bot is started; bench/telegram_faults.py points it at an older checkout to compare.
BOT_PROJECT = PROJECT_ROOT


class RunningBot:
    def __init__(self, api: FakeBotApi, process: subprocess.Popen[str], log: IO[str], env: Mapping[str, str]):
        self.api = api
        self.process = process
        self.log = log
        self.data_dir, self.status_file = Path(env["BOT_DATA_DIR"]), Path(env["BOT_STATUS_FILE"])
        self.stopped_by: signal.Signals | None = None

    def ask(self, text: str, **extra: Any) -> tuple[int, Call]:
        chat_id = extra.pop("chat_id", None) or next(_chat_ids)
        self.api.push_text(chat_id, text, **extra)
        return chat_id, self.reply_to(chat_id)

    def command(self, command: str, chat_id: int | None = None) -> tuple[int, Call]:
        chat_id = chat_id or next(_chat_ids)
        sent_before = len([c for c in self.api.calls_of("sendMessage") if c.params.get("chat_id") == chat_id])
        self.api.push_command(chat_id, command)
        return chat_id, self.reply_to(chat_id, count=sent_before + 1)

    def reply_to(self, chat_id: int, count: int = 1, method: str = "sendMessage") -> Call:
        return self.api.wait_for(method, lambda c: c.ok and c.params.get("chat_id") == chat_id, count=count)[-1]

    def stop(self, how: signal.Signals, timeout: float = 20) -> float:
        """Send `how`; return the seconds until the process was gone."""
        self.stopped_by = how
        sent = time.monotonic()
        self.process.send_signal(how)
        self.process.wait(timeout)
        return time.monotonic() - sent

    def logs(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


def free_port() -> int:
    """A port nothing listens on now (the OS's pick; another process could take it before the test does)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_chat_id() -> int:
    return next(_chat_ids)


def bot_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any bot setting of the developer's, plus `settings`."""
    return {k: v for k, v in os.environ.items() if not k.startswith(OWN_SETTINGS)} | dict(settings)


def start_bot(
    command: str, env: Mapping[str, str], log: IO[str], project: Path = PROJECT_ROOT
) -> subprocess.Popen[str]:
    """`python -m bot <command>` in `project` with exactly `env`, its output (both streams) into `log`; its data
    folder gets the run's trained model first (tests/support/models.py), so it does not train again."""
    shared = os.environ.get(SHARED_MODELS)
    if shared and "BOT_DATA_DIR" in env:
        seed_data_dir(Path(env["BOT_DATA_DIR"]), trained(Path(shared)))
    return subprocess.Popen(
        [sys.executable, "-m", "bot", command],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def running_bot(
    api: FakeBotApi, env: Mapping[str, str] = {}, ready: str = "getUpdates", data_dir: Path | None = None
) -> Iterator[RunningBot]:
    """Start the bot on `api` with the given extra settings (and data folder, to start it again on the same
    one); on exit stop it with SIGTERM unless the test stopped it, and check it stopped cleanly and never
    logged its token."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log, tempfile.TemporaryDirectory() as scratch:
        full_env = bot_environment(
            {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.base_url, "LOG_LEVEL": "INFO"}
            | {"BOT_DATA_DIR": str(data_dir or f"{scratch}/data"), "BOT_STATUS_FILE": f"{scratch}/status.json"}
            | dict(env)
        )
        started = time.monotonic()
        process = start_bot("run", full_env, log, BOT_PROJECT)
        running = RunningBot(api, process, log, full_env)
        try:
            api.wait_for(ready, lambda c: c.at >= started, timeout=30)
            yield running
        finally:
            if process.poll() is None:
                running.stop(signal.SIGTERM)
            process.kill()
        if running.stopped_by != signal.SIGKILL:
            assert process.returncode == 0, running.logs()
        assert TOKEN not in running.logs()
