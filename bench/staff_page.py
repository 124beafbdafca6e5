"""How long `/staff` takes with many stored questions, and what it costs citizens meanwhile.

`python bench/staff_page.py [--questions 1000 10000] [--project DIR]`: for each
count, a database is filled with that many distinct ~1,000-character questions
the bot could not answer (random words, as an attacker would send them), then
`python -m bot web` starts on it (the start is timed: a newer bot groups stored
questions it finds ungrouped), a member of staff signs in and loads `/staff`
twice (timed), while a citizen asks `sta je naled` every 20 ms; the citizen's
answer times during the loads are printed beside those before them.  Prints
numbers; asserts nothing.  `--project` runs an older checkout (a git worktree).
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bot_process import bot_environment, free_port, start_bot  # noqa: E402

TOKEN = "staff-token-for-the-bench-0123456789"
LETTERS = "abcdefghijklmnoprstuvz"
TIMEOUT = 600.0
SCHEMA = """
CREATE TABLE unanswered (id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, text TEXT NOT NULL, script TEXT NOT NULL,
    outcome TEXT NOT NULL, guess_intent TEXT, guess_network TEXT, guess_score REAL,
    channel TEXT NOT NULL DEFAULT 'telegram');
CREATE INDEX unanswered_asked_at ON unanswered (asked_at);
"""


def random_question(rng: random.Random, length: int = 1000) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 10))))
    return " ".join(words)[:length]


def fill(path: Path, count: int) -> None:
    rng = random.Random(count)
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    with sqlite3.connect(path) as connection:
        connection.executescript(SCHEMA)
        rows = [(now, random_question(rng), "latin", "fallback", None, None, None, "web") for _ in range(count)]
        connection.executemany(
            "INSERT INTO unanswered (asked_at, text, script, outcome, guess_intent, guess_network, guess_score,"
            " channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body.encode(), headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def sign_in(port: int) -> str:
    """The session cookie, through the login form (with its hidden fields, if it has any)."""
    _, headers, page = request(port, "GET", "/staff")
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields |= {"token": TOKEN}
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    form = {"Content-Type": "application/x-www-form-urlencoded"} | ({"Cookie": cookie} if cookie else {})
    status, headers, _ = request(port, "POST", "/staff", urllib.parse.urlencode(fields), form)
    if status != 303:
        raise SystemExit(f"sign-in failed: {status}")
    return headers["Set-Cookie"].split(";")[0]


def citizen(port: int, stop: threading.Event, times: list[tuple[float, float]]) -> None:
    body = '{"question": "sta je naled"}'
    while not stop.is_set():
        started = time.monotonic()
        request(port, "POST", "/api/ask", body, {"Content-Type": "application/json"})
        times.append((started, time.monotonic() - started))
        time.sleep(0.02)


def measure(project: Path, count: int) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch, open(f"{scratch}/log", "w+", encoding="utf-8") as log:
        data = Path(scratch) / "data"
        data.mkdir()
        fill(data / "questions.sqlite3", count)
        env = bot_environment(
            {"WEB_PORT": str(port), "BOT_DATA_DIR": str(data), "WEB_QUOTA": "0", "LOG_LEVEL": "WARNING"}
            | {"WEB_STAFF_TOKEN": TOKEN, "BOT_STATUS_FILE": f"{scratch}/status.json", "PYTHONPATH": str(project)}
        )
        started = time.monotonic()
        process = start_bot("web", env, log, project)
        while True:
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        start_seconds = time.monotonic() - started
        cookie = sign_in(port)
        stop, times = threading.Event(), []
        asker = threading.Thread(target=citizen, args=(port, stop, times))
        asker.start()
        time.sleep(1.0)
        loads = []
        for _ in range(2):
            began = time.monotonic()
            try:
                status, _, page = request(port, "GET", "/staff", headers={"Cookie": cookie})
            except TimeoutError:
                status, page = 0, ""
            loads.append((began, time.monotonic() - began, status, len(page)))
        stop.set()
        asker.join()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:  # an older bot still grouping in its thread
            process.kill()
    first = loads[0][0]
    before = [t for at, t in times if at < first]
    during = [t for at, t in times if any(b <= at <= b + s for b, s, _, _ in loads)]
    print(f"{count} stored questions ({project}):")
    print(f"  start until /healthz answers: {start_seconds:.2f} s")
    for index, (_, seconds, status, size) in enumerate(loads, 1):
        print(f"  /staff load {index}: {seconds:.3f} s (status {status}, {size // 1024} KB)")
    for label, sample in (("before the loads", before), ("during the loads", during)):
        if sample:
            print(
                f"  citizen's answer {label}: median {statistics.median(sample) * 1000:.1f} ms, "
                f"max {max(sample) * 1000:.1f} ms ({len(sample)} questions)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout whose bot is started")
    args = parser.parse_args()
    for count in args.questions:
        measure(args.project, count)


if __name__ == "__main__":
    main()
