"""Load run of the web API: `python bench/web_load.py` (by hand; prints numbers, asserts nothing).

Starts `python -m bot web` (WEB_QUOTA off: every request comes from 127.0.0.1)
and runs 50 clients, each on its own keep-alive connection, asking the held-out
set's 295 questions in turn, twice:
* flat out: each client sends its next question as soon as its answer arrived;
  answers per second (with 50 always waiting, the latency is 50 / that rate);
* paced: the 50 clients together ask 500 questions a second (each every 100 ms);
  latency p50/p99 from when a question was due, so a late answer delays no
  measurement (no coordinated omission).
Three servers, one after the other: the bot with its answer cache (the held-out
questions come round again, as popular questions do), the bot with
BOT_ANSWER_CACHE=0 (every question understood anew), and the peer, a bare
tornado server answering a fixed JSON body (what the framework allows with no
engine).  Targets (issue 13): ≥ 500 answers/s, p99 ≤ 50 ms with 50 clients on 2 cores.

The load comes from this process (asyncio, uvloop when installed) or, with
`--wrk`, from Debian's wrk (C; leaves more of the machine to the server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bot_process import free_port  # noqa: E402

CLIENTS = 50
PEER = """
import sys, tornado.ioloop, tornado.web
class Fixed(tornado.web.RequestHandler):
    def post(self):
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.write(sys.argv[2])
app = tornado.web.Application([(r"/api/ask", Fixed)])
app.listen(int(sys.argv[1]), "127.0.0.1")
tornado.ioloop.IOLoop.current().start()
"""


def questions() -> list[str]:
    document = yaml.safe_load((ROOT / "tests" / "heldout" / "questions.yaml").read_text(encoding="utf-8"))
    return [question for item in document["questions"] for question in item["ask"]]


def start_bot(port: int, data: str, cache: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEB_", "BOT_", "LOG_", "TELEGRAM_"))}
    env |= {"WEB_PORT": str(port), "WEB_QUOTA": "0", "BOT_DATA_DIR": data, "LOG_LEVEL": "WARNING"}
    env |= {"BOT_ANSWER_CACHE": cache}
    return subprocess.Popen([sys.executable, "-m", "bot", "web"], cwd=ROOT, env=env)


def start_peer(port: int) -> subprocess.Popen[bytes]:
    body = json.dumps({"answer": "ECAD – Европски градови против дрога …" * 4}, ensure_ascii=False)
    return subprocess.Popen([sys.executable, "-c", PEER, str(port), body])


async def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def request(port: int, question: str) -> bytes:
    body = json.dumps({"question": question}, ensure_ascii=False).encode()
    head = (
        f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def client(port: int, bodies: list[bytes], offset: int, until: float, latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors, index = 0, offset
    while time.perf_counter() < until:
        sent = time.perf_counter()
        writer.write(bodies[index % len(bodies)])
        index += 1
        errors += not await read_reply(reader)
        latencies.append(time.perf_counter() - sent)
    writer.close()
    return errors


async def paced_client(
    port: int, bodies: list[bytes], offset: int, start: float, until: float, every: float, latencies: list[float]
) -> int:
    """Ask every `every` s from `start`; each latency counts from when the question was due."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors, index, due = 0, offset, start
    while due < until:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        writer.write(bodies[index % len(bodies)])
        index += 1
        errors += not await read_reply(reader)
        latencies.append(time.perf_counter() - due)
        due += every
    writer.close()
    return errors


async def read_reply(reader: asyncio.StreamReader) -> bool:
    """Read one response; True when it was a 200."""
    status = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return status.startswith(b"HTTP/1.1 200")


async def paced(port: int, seconds: float, texts: list[str], rate: float) -> tuple[float, list[float], int]:
    await wait_for(port)
    bodies = [request(port, text) for text in texts]
    every = CLIENTS / rate
    start = time.perf_counter() + 0.5
    latencies: list[float] = []
    clients = (
        paced_client(port, bodies, i * 7, start + i * every / CLIENTS, start + seconds, every, latencies)
        for i in range(CLIENTS)
    )
    errors = await asyncio.gather(*clients)
    return time.perf_counter() - start, latencies, sum(errors)  # until the last answer: a backlog shows


async def load(port: int, seconds: float, texts: list[str]) -> tuple[float, list[float], int]:
    await wait_for(port)
    bodies = [request(port, text) for text in texts]
    warm: list[float] = []
    await asyncio.gather(*(client(port, bodies, i, time.perf_counter() + 1, warm) for i in range(CLIENTS)))
    latencies: list[float] = []
    started = time.perf_counter()
    errors = await asyncio.gather(*(client(port, bodies, i * 7, started + seconds, latencies) for i in range(CLIENTS)))
    return time.perf_counter() - started, latencies, sum(errors)


def wrk(port: int, seconds: float, texts: list[str]) -> str:
    script = Path(tempfile.mkdtemp()) / "ask.lua"
    bodies = ",\n".join(json.dumps(json.dumps({"question": t}, ensure_ascii=False), ensure_ascii=False) for t in texts)
    script.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"local bodies = {{{bodies}}}\nlocal n = 0\n"
        "request = function() n = n % #bodies + 1; return wrk.format(nil, nil, nil, bodies[n]) end\n",
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}/api/ask"
    run = subprocess.run(
        ["wrk", "-t1", f"-c{CLIENTS}", f"-d{seconds:g}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return run.stdout


def report(name: str, elapsed: float, latencies: list[float], errors: int) -> None:
    ordered = sorted(latencies)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(
        f"{name:<34} {len(ordered) / elapsed:6.0f} answers/s   p50 {statistics.median(ordered) * 1000:6.1f} ms"
        f"   p99 {p99 * 1000:6.1f} ms   max {ordered[-1] * 1000:6.1f} ms   non-200: {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=500, help="questions a second in the paced run")
    parser.add_argument("--wrk", action="store_true", help="flat out from Debian's wrk instead of this process")
    args = parser.parse_args()
    texts = questions()
    print(f"{CLIENTS} clients, {args.seconds:g} s a run, {len(texts)} held-out questions, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as data:
        servers: list[tuple[str, Callable[[int], subprocess.Popen[bytes]]]] = [
            ("bot, answer cache", lambda port: start_bot(port, data, "2048")),
            ("bot, no cache", lambda port: start_bot(port, data, "0")),
            ("peer: bare tornado", start_peer),
        ]
        for name, start in servers:
            port = free_port()
            server = start(port)
            try:
                if args.wrk:
                    asyncio.run(wait_for(port))
                    print(f"--- {name}\n{wrk(port, args.seconds, texts)}")
                    continue
                report(f"{name}, flat out", *asyncio.run(load(port, args.seconds, texts)))
                report(f"{name}, {args.rate:g}/s", *asyncio.run(paced(port, args.seconds, texts, args.rate)))
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(20)


if __name__ == "__main__":
    main()
