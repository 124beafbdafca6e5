"""End to end: broken files on disk when the bot restarts do not take it down, and `restore` undoes an edit.

The bot runs on the fake Bot API; staff edit, break the files, and the bot is
restarted (as a deploy or a host reboot would).  It must answer from the last
good version, tell the admin, pass its health check with the degraded note;
then `restore` writes a chosen version back and the running bot loads it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.loader import PROJECT_ROOT
from bot.versions import content_version
from tests.support.bot_process import RunningBot, bot_environment, running_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.staff_files import copy_real_files, edit

ADMIN = 434343
OLD_SEAT, NEW_SEAT = "Седиште НАЛЕД-а је у Београду", "Седиште НАЛЕД-а је у Новом Саду"
SEAT_QUESTION = "Где је седиште НАЛЕД-а?"


def told_admin(bot: RunningBot, fragment: str) -> str:
    calls = bot.api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == ADMIN and fragment in c.params["text"])
    text: str = calls[-1].params["text"]
    return text


def answer_within(bot: RunningBot, expected: str, seconds: float = 15) -> str:
    deadline = time.monotonic() + seconds
    while True:
        text: str = bot.ask(SEAT_QUESTION)[1].params["text"]
        if expected in text or time.monotonic() > deadline:
            return text
        time.sleep(0.3)


def staff_command(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_broken_files_at_restart_are_served_from_the_last_good_version_and_restore_undoes_them() -> None:
    with tempfile.TemporaryDirectory() as folder, FakeBotApi() as api:
        root = copy_real_files(Path(folder))
        networks = root / "knowledge" / "networks.yaml"
        settings = {
            "BOT_KNOWLEDGE": str(networks),
            "BOT_INTENTS": str(root / "intents"),
            "BOT_ADMIN_IDS": str(ADMIN),
            "BOT_DATA_DIR": str(root / "data"),
            "BOT_STATUS_FILE": str(root / "status.json"),
            "BOT_RELOAD_SECONDS": "1",
        }
        env = bot_environment(settings)
        first_version = content_version(networks, root / "intents")
        with running_bot(api, settings) as bot:
            assert OLD_SEAT in bot.ask(SEAT_QUESTION)[1].params["text"]
            edit(networks, OLD_SEAT, NEW_SEAT)
            assert NEW_SEAT in answer_within(bot, NEW_SEAT)
            second_version = content_version(networks, root / "intents")
            told_admin(bot, second_version)
            edit(networks, "    website: https://naled.rs\n", "    webiste: https://naled.rs\n")
            told_admin(bot, "није учитана")

        with running_bot(api, settings) as bot:  # a restart with the broken files on disk
            assert NEW_SEAT in bot.ask(SEAT_QUESTION)[1].params["text"]
            started = told_admin(bot, "датотеке на диску имају грешке")
            assert second_version in started and "webiste" in started
            assert "kept version" in bot.logs()
            deadline = time.monotonic() + 15
            while True:
                health = staff_command(env, "healthcheck")
                if health.returncode == 0 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)  # the status file is written a moment after the start
            assert health.returncode == 0, health.stderr
            status = json.loads(health.stdout)
            assert status["status"] == "degraded" and status["knowledge_version"] == second_version
            assert "ради, али" in health.stderr and second_version in health.stderr
            stats = bot.command("/stats", chat_id=ADMIN)[1].params["text"]
            assert "имају грешака" in stats and second_version in stats

            listed = staff_command(env, "versions")
            assert listed.stdout.index(second_version) < listed.stdout.index(first_version)
            restored = staff_command(env, "restore", "--yes", first_version[:6])
            assert restored.returncode == 0, restored.stdout + restored.stderr
            reloaded = told_admin(bot, f"<code>{first_version}</code>")
            assert "учитане" in reloaded
            assert OLD_SEAT in answer_within(bot, OLD_SEAT)
            stats = bot.command("/stats", chat_id=ADMIN)[1].params["text"]
            assert first_version in stats and "имају грешака" not in stats
