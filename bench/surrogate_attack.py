"""What one hostile question costs other citizens: `python bench/surrogate_attack.py [--project DIR]`.

Issue 18's attack, replayed: `python -m bot web` (WEB_TRUST_PROXY on, so the
X-Forwarded-For address is the client's; WEB_QUOTA as by default) gets
`{"question": "\\ud800 otrov"}` (a lone surrogate: valid JSON) once a second
from each of two addresses for 30 s.  Meanwhile 30 other citizens, each from an
address of their own, ask one question the bot cannot answer (it is stored for
`report`) and 30 rate an answer they got.  After a clean stop the database is
read: how many of the 30 questions and 30 votes were stored.  Prints numbers;
asserts nothing.  `--project` runs an older checkout (a git worktree) instead.
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bot_process import bot_environment, free_port, start_bot  # noqa: E402

ATTACK = '{"question": "\\ud800 otrov"}'  # exactly the request of the issue
SECONDS = 30


def post(port: int, path: str, body: str, client: str) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json", "X-Forwarded-For": client}
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:
            return response.status, None
    finally:
        connection.close()


def wait_until_serving(port: int) -> None:
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def health_status(port: int) -> str:
    """`/healthz`'s "status" after the attack (the issue saw "degraded": the writer had failed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        return str(json.loads(connection.getresponse().read()).get("status"))
    except (OSError, ValueError) as error:
        return f"unreadable ({error.__class__.__name__})"
    finally:
        connection.close()


def attacker(port: int, address: str, statuses: list[int]) -> None:
    for _ in range(SECONDS):
        started = time.monotonic()
        statuses.append(post(port, "/api/ask", ATTACK, address)[0])
        time.sleep(max(0.0, 1 - (time.monotonic() - started)))


def citizen(port: int, number: int, results: dict[str, int]) -> None:
    """One unanswered question and one vote on an answer, from an address of its own."""
    address = f"10.1.{number // 250}.{number % 250 + 1}"
    status, _ = post(
        port, "/api/ask", json.dumps({"question": f"Колико кошта карта за утакмицу број {number}?"}), address
    )
    results[f"question {number}"] = status
    status, answer = post(port, "/api/ask", json.dumps({"question": "Шта је НАЛЕД?"}), address)
    vote: dict[str, Any] = {"intent": "about", "network": "naled", "helpful": number % 2 == 0}
    if isinstance(answer, dict):  # the newer API rates an answer it gave, by its id, in its conversation
        vote |= {k: answer[k] for k in ("conversation", "answer_id") if k in answer}
    results[f"vote {number}"] = post(port, "/api/rate", json.dumps(vote), address)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout whose bot is started")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch, open(f"{scratch}/log", "w+", encoding="utf-8") as log:
        data = Path(scratch) / "data"
        env = bot_environment(
            {"WEB_PORT": str(port), "BOT_DATA_DIR": str(data), "WEB_TRUST_PROXY": "on", "LOG_LEVEL": "WARNING"}
            | {"BOT_STATUS_FILE": f"{scratch}/status.json", "PYTHONPATH": str(args.project)}
        )
        process = start_bot("web", env, log, args.project)
        wait_until_serving(port)
        statuses: list[int] = []
        results: dict[str, int] = {}
        threads = [threading.Thread(target=attacker, args=(port, f"10.0.0.{n}", statuses)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for number in range(SECONDS):
            started = time.monotonic()
            citizen(port, number, results)
            time.sleep(max(0.0, 1 - (time.monotonic() - started)))
        for thread in threads:
            thread.join()
        time.sleep(3)
        health = health_status(port)
        process.send_signal(signal.SIGTERM)
        process.wait(30)
        with sqlite3.connect(data / "questions.sqlite3") as connection:
            questions = connection.execute("SELECT COUNT(*) FROM unanswered WHERE text LIKE 'Колико кошта%'")
            stored_questions = questions.fetchone()[0]
            stored_votes = connection.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
        log.seek(0)
        errors = [line for line in log.read().splitlines() if "ERROR" in line]
    print(f"project: {args.project}")
    print(f"attack requests: {len(statuses)}, statuses {sorted(set(statuses))}")
    print(f"citizens' questions: statuses {sorted(set(v for k, v in results.items() if k.startswith('question')))}")
    print(f"citizens' votes: statuses {sorted(set(v for k, v in results.items() if k.startswith('vote')))}")
    print(f"stored: {stored_questions} of {SECONDS} questions, {stored_votes} of {SECONDS} votes")
    print(f"rows lost: {SECONDS - stored_questions} questions, {SECONDS - stored_votes} votes")
    print(f"error lines in the log: {len(errors)}; /healthz after the attack: {health}")


if __name__ == "__main__":
    main()
