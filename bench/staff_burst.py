"""How many wrong /staff passwords one address gets checked in a burst: `python bench/staff_burst.py [--project DIR]`.

300 wrong tries at once from one address at `python -m bot web`:
prints how many were checked (the server compared the password: 403) and
how many were refused unchecked (429), the tries checked per second, and how
long the burst took to be answered.  Prints numbers; asserts nothing.
`--project` runs an older checkout (a git worktree) instead.
"""

from __future__ import annotations

import argparse
import http.client
import re
import signal
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bot_process import bot_environment, free_port, start_bot  # noqa: E402

TOKEN = "staff-token-for-the-bench-0123456789"
TRIES, AT_ONCE = 300, 300  # the burst: 300 tries at once


def request(port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None) -> tuple:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body.encode(), headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout whose bot is started")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch, open(f"{scratch}/log", "w+", encoding="utf-8") as log:
        env = bot_environment(
            {"WEB_PORT": str(port), "BOT_DATA_DIR": f"{scratch}/data", "WEB_STAFF_TOKEN": TOKEN}
            | {"BOT_STATUS_FILE": f"{scratch}/status.json", "PYTHONPATH": str(args.project), "LOG_LEVEL": "WARNING"}
        )
        process = start_bot("web", env, log, args.project)
        while True:
            try:
                _, headers, page = request(port, "GET", "/staff")
                break
            except OSError:
                time.sleep(0.1)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        form = {"Content-Type": "application/x-www-form-urlencoded"} | ({"Cookie": cookie} if cookie else {})

        def guess(number: int) -> tuple[int, float]:
            body = urllib.parse.urlencode(fields | {"token": f"wrong-guess-{number}"})
            status = request(port, "POST", "/staff", body, form)[0]
            return status, time.monotonic()

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            results = list(pool.map(guess, range(TRIES)))
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    statuses = Counter(status for status, _ in results)
    checked = statuses[403]
    seconds = max(at for _, at in results) - started
    print(f"project: {args.project}")
    print(f"{TRIES} wrong tries, {AT_ONCE} at a time, from one address: statuses {dict(statuses)}")
    print(
        f"checked: {checked} of {TRIES}; all answered within {seconds:.2f} s ({checked / seconds:.1f} checked a second)"
    )


if __name__ == "__main__":
    main()
