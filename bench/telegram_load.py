"""Load run of the Telegram bot through the fake Bot API server: `python bench/telegram_load.py`.

Starts `python -m bot run` (rate limiter off) against the fake server on
127.0.0.1 and sends 5,000 updates from 500 chats, twice:
* burst: all at once; reports answers per second until the last answer;
* paced: 300 updates per second; reports p50/p99 latency from update to its sendMessage.
Also the bot's peak resident memory, and that every update got exactly one answer.
Targets (issue 3): ≥ 300 answers/s, p99 ≤ 100 ms, ≤ 150 MB, none lost or doubled.
`--rate` sets the paced rate (keep it below what the machine sustains, or the p99
measures the queue); `--project DIR` runs the bot of another checkout, to compare
in the same run (issue 10: the inbox may cost at most 20 % of throughput).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402

UPDATES, CHATS = 5000, 500
QUESTIONS = [
    "Када је Ниш приступио ECAD-у?",
    "sta je skgo",
    "Где је седиште НАЛЕД-а?",
    "koliko clanova ima energy cities",
    "Зашто је Ниш члан Лиге историјских градова?",
    "koliko je sati",
    "А када је основан?",
    "Da li je Niš član Eurocities?",
    "zdravo",
    "сајт AVEC-а",
]


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(api: FakeBotApi, first_chat: int, rate: float | None) -> tuple[float, list[float], dict[int, int]]:
    """Push UPDATES updates (at `rate` per second, or all at once); wait for every answer."""
    pushed: list[tuple[int, int, float]] = []  # (chat, n-th message of the chat, time)
    sent_before = len(api.calls_of("sendMessage"))
    start = time.monotonic()
    for index in range(UPDATES):
        if rate:
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        chat = first_chat + index % CHATS
        api.push_text(chat, QUESTIONS[(index // CHATS) % len(QUESTIONS)])
        pushed.append((chat, index // CHATS, time.monotonic()))
    api.wait_for("sendMessage", lambda c: c.ok and c.params["chat_id"] >= first_chat, count=UPDATES, timeout=300)
    time.sleep(1.0)  # anything doubled would arrive now
    answers = [c for c in api.calls_of("sendMessage")[sent_before:] if c.ok and c.params["chat_id"] >= first_chat]
    elapsed = max(c.at for c in answers) - start
    by_chat: dict[int, list[float]] = defaultdict(list)
    for call in answers:
        by_chat[call.params["chat_id"]].append(call.at)
    latencies = [(by_chat[chat][nth] - at) * 1000 for chat, nth, at in pushed if nth < len(by_chat[chat])]
    counts = {chat: len(times) for chat, times in by_chat.items()}
    return elapsed, latencies, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=300, help="updates per second in the paced phase")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout whose bot to run")
    args = parser.parse_args()
    with FakeBotApi() as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_"))}
        env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.base_url}
        env |= {"BOT_RATE_LIMITER": "off", "LOG_LEVEL": "WARNING", "BOT_DATA_DIR": tempfile.mkdtemp()}
        env |= {"BOT_STATUS_FILE": str(Path(env["BOT_DATA_DIR"]) / "status.json")}
        # Train the intent model into the data folder first, as an earlier start would have: the peak memory
        # is then the serving bot's, not the training's (docs/performance.md, "The engine").
        subprocess.run([sys.executable, "-m", "bot", "ask", "zdravo"], cwd=args.project, env=env, capture_output=True)
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=args.project, env=env)
        print(f"bot from {args.project.resolve()}")
        try:
            api.wait_for("getUpdates", timeout=30)
            cpu_before, own_before = cpu_seconds(bot.pid), time.process_time()
            elapsed, _, counts = run_phase(api, 100_000, rate=None)
            rate = UPDATES / elapsed
            print(f"burst: {UPDATES} updates from {CHATS} chats answered in {elapsed:.2f} s = {rate:.0f} answers/s")
            bot_cpu, own_cpu = cpu_seconds(bot.pid) - cpu_before, time.process_time() - own_before
            print(f"  CPU: bot {bot_cpu:.1f} s ({bot_cpu / UPDATES * 1000:.2f} ms/update), fake server {own_cpu:.1f} s")
            print(f"  every update answered exactly once: {set(counts.values()) == {UPDATES // CHATS}}")
            _, latencies, counts = run_phase(api, 200_000, rate=args.rate)
            latencies.sort()
            p99 = latencies[int(len(latencies) * 0.99)]
            p50 = statistics.median(latencies)
            print(f"paced at {args.rate:.0f}/s: latency update → sendMessage p50 {p50:.1f} ms, p99 {p99:.1f} ms")
            print(f"  every update answered exactly once: {set(counts.values()) == {UPDATES // CHATS}}")
            print(f"bot peak resident memory: {peak_memory_mb(bot.pid):.1f} MB")
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=30)


if __name__ == "__main__":
    main()
