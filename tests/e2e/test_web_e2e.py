"""End to end: the web side in the same process as the Telegram bot (`run` with WEB_PORT), and `web` alone:
the health check, a port that is taken, an edit reloaded, a stop."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot.loader import PROJECT_ROOT
from bot.storage.questions import read_unanswered
from tests.support.bot_process import bot_environment, free_port, running_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.staff_files import copy_real_files, edit
from tests.support.web_server import web_server

ADMIN = 4242


def healthcheck(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "healthcheck", "--timeout", "2"],
        cwd=PROJECT_ROOT, env=bot_environment(env), capture_output=True, text=True, timeout=30,
    )  # fmt: skip


def test_run_serves_the_web_beside_telegram_and_counts_both_in_stats() -> None:
    port = free_port()
    env = {"WEB_PORT": str(port), "BOT_ADMIN_IDS": str(ADMIN)}
    with FakeBotApi() as api, running_bot(api, env) as bot:
        deadline = time.monotonic() + 30
        while healthcheck(env).returncode != 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        probe = healthcheck(env)
        assert probe.returncode == 0 and '"status": "ok"' in probe.stdout
        _, telegram = bot.ask("Шта је НАЛЕД?")
        assert "НАЛЕД" in telegram.params["text"]
        web = _post(port, {"question": "kada je nis pristupio ecad-u"})
        assert web["network"] == "ecad" and "2007" in web["answer"] and web["script"] == "latin"
        _post(port, {"question": "где могу да платим порез на имовину"})
        stats = bot.command("/stats", chat_id=ADMIN)[1].params["text"]
        assert "питања: 3, одговорено: 2; са сајта: 2" in stats
        deadline = time.monotonic() + 10
        while not read_unanswered(bot.data_dir, 1) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [(q.text, q.channel) for q in read_unanswered(bot.data_dir, 1)] == [
            ("где могу да платим порез на имовину", "web")
        ]
    assert healthcheck(env).returncode == 1  # stopped with the bot: the port no longer answers


def test_web_alone_needs_no_token_reloads_edits_and_stops_on_sigterm(tmp_path: Path) -> None:
    root = copy_real_files(tmp_path)
    knowledge, intents = root / "knowledge" / "networks.yaml", root / "intents"
    env = {"BOT_KNOWLEDGE": str(knowledge), "BOT_INTENTS": str(intents), "BOT_RELOAD_SECONDS": "1", "WEB_QUOTA": "0"}
    with web_server(env) as server:
        probe = healthcheck({"WEB_PORT": str(server.port)})
        assert probe.returncode == 0 and '"knowledge_version"' in probe.stdout
        assert "у Београду" in server.ask("Где је седиште НАЛЕД-а?").json["answer"]
        edit(knowledge, "Седиште НАЛЕД-а је у Београду.", "Седиште НАЛЕД-а је у Новом Београду.")
        deadline = time.monotonic() + 20
        while "Новом Београду" not in server.ask("Где је седиште НАЛЕД-а?").json["answer"]:
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.2)
        while "knowledge loaded: version" not in server.logs():  # logged just after the new engine answers
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.1)
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(10) == 0


def test_a_taken_port_is_explained_in_one_sentence() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "web"],
            cwd=PROJECT_ROOT, env=bot_environment({"WEB_PORT": str(port)}), capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"WEB_PORT: страница за разговор не може да слуша на 127.0.0.1:{port}" in result.stderr


def _post(port: int, body: dict[str, str]) -> dict[str, str]:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/ask", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        answer: dict[str, str] = json.load(reply)
        return answer
