"""Every core (issue 22): uncached questions a second and p99 with WEB_PROCESSES=1 and 2, in one run.

    .venv/bin/python bench/web_processes.py [--seconds 10] [--rounds 2]

`python -m bot web` with BOT_ANSWER_CACHE=0 (every question understood anew) and
WEB_QUOTA=0, loaded flat out by Debian's wrk (C, one thread: the load takes
little of the two cores) with 50 keep-alive connections asking the held-out
questions in turn.  The two settings alternate, `--rounds` times each, so a
busy moment of this shared machine falls on both.  Target: 2 processes ≥ 1.5×
the answers a second of 1.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web_load import questions, wait_for, wrk  # noqa: E402
from tests.support.bot_process import bot_environment, free_port  # noqa: E402


def serve(port: int, data: str, processes: int) -> subprocess.Popen[bytes]:
    env = bot_environment({"WEB_PORT": str(port), "WEB_QUOTA": "0", "BOT_DATA_DIR": data, "LOG_LEVEL": "WARNING"})
    env |= {"BOT_ANSWER_CACHE": "0", "WEB_PROCESSES": str(processes)}
    return subprocess.Popen([sys.executable, "-m", "bot", "web"], cwd=ROOT, env=env)


def run(processes: int, seconds: float, texts: list[str]) -> tuple[float, float]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        server = serve(port, data, processes)
        try:
            asyncio.run(wait_for(port))
            wrk(port, 2, texts)  # warm up: the first questions load what each process lazily needs
            out = wrk(port, seconds, texts)
        finally:
            server.terminate()
            server.wait(30)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 is not None
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rate, float(p99.group(1)) * scale


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = questions()
    results: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for _ in range(args.rounds):
        for processes in (1, 2):
            rate, p99 = run(processes, args.seconds, texts)
            results[processes].append((rate, p99))
            print(f"WEB_PROCESSES={processes}: {rate:7.0f} uncached answers/s, p99 {p99:6.1f} ms", flush=True)
    one = sum(r for r, _ in results[1]) / len(results[1])
    two = sum(r for r, _ in results[2]) / len(results[2])
    print(f"mean: 1 process {one:.0f}/s, 2 processes {two:.0f}/s: {two / one:.2f}× (target ≥ 1.5×)")


if __name__ == "__main__":
    main()
