"""How the running bot is doing, for /stats, `/healthz` and the container's health check.

In polling mode no port is open, so the bot writes its status every few seconds
to a small JSON file (BOT_STATUS_FILE; outside the data folder, which may be the
very thing that fails) and `python -m bot healthcheck` reads it: a file older
than a minute means the bot has stopped or hangs.  A storage fault, or
knowledge files that do not load (the bot answers from the last good version),
makes the status `degraded`, not a failure: the bot still answers, and
restarting it would not mend a full disk or a broken file.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.files import replace_file
from bot.storage.database import Health

WRITE_EVERY_SECONDS = 5.0
STALE_SECONDS = 60.0
STORAGE_FAULT = "бот не успева да упише базу; одговара из меморије и уписаће све кад база проради"
KNOWLEDGE_FAULT = "датотеке са знањем на диску имају грешака; бот одговара из последње исправне верзије"


@dataclass(frozen=True)
class Status:
    """What the health check and /stats read: knowledge version, storage health, waiting and remembered."""

    knowledge_version: str
    networks: int
    knowledge_problem: str | None  # why the files on disk are not what answers, when they are not
    storage: Health
    waiting: int  # updates received and not yet answered
    remembered: int  # conversations in memory, of every channel served
    skipped: int  # questions not answered since the start because over a quota (every channel: the door's)
    oldest_waiting: float = 0.0  # seconds the oldest update waiting has waited

    def to_json(self, public: bool = False) -> dict[str, Any]:
        """The status; `public` (an open port's /healthz) says what is wrong in a fixed sentence, without the
        error's own text (paths, library messages), which the status file, /stats and /staff carry."""
        storage = self.storage
        storage_problem, knowledge_problem = storage.problem, self.knowledge_problem
        if public:
            storage_problem = STORAGE_FAULT if storage_problem else None
            knowledge_problem = KNOWLEDGE_FAULT if knowledge_problem else None
        return {
            "status": "ok" if storage.ok and not self.knowledge_problem else "degraded",
            "knowledge_version": self.knowledge_version,
            "knowledge_problem": knowledge_problem,
            "networks": self.networks,
            "storage": {
                "ok": storage.ok,
                "problem": storage_problem,
                "since": storage.since.isoformat(timespec="seconds") if storage.since else None,
                "unsaved": storage.unsaved,
                "set_aside": storage.set_aside,
            },
            "waiting": self.waiting,
            "oldest_waiting_seconds": round(self.oldest_waiting, 1),
            "conversations": self.remembered,
            "skipped_over_quota": self.skipped,
            "written_at": time.time(),
        }


def write_status(path: Path, status: Status) -> None:
    """Replace the file at once, so that a reader never sees half of it. Raises OSError."""
    replace_file(path, json.dumps(status.to_json(), ensure_ascii=False).encode())


def read_status(path: Path, now: float | None = None) -> tuple[bool, str]:
    """(healthy, what to print) from the status file of a bot running in polling mode."""
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
        age = (now or time.time()) - float(status["written_at"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return False, f"бот не ради: нема његовог статуса у {path} ({error})"
    if age > STALE_SECONDS:
        return False, f"бот не ради или је заглављен: статус у {path} није освежен {age:.0f} s"
    return True, json.dumps(status, ensure_ascii=False)
