"""The fault run: what a deploy, a crash and a flood cost, printed: `python bench/telegram_faults.py`.

Plays the end-to-end tests' scenarios (tests/support/fault_scenarios.py) against the
fake Bot API with the rate limiter on, `--runs` times each, and prints:
* SIGTERM (what `docker stop` sends) 1.5 s into 300 questions from 100 chats,
  then a new start on the same data: stop time, questions lost, answers doubled;
* the same with SIGKILL (out of memory, host crash, `docker kill`);
* one chat sending 300 messages at once beside 20 citizens asking one question
  each: the 20's wait for their answer, and what the flooding chat got.
`--project DIR` runs the bot of another checkout (e.g. a `git worktree` of an
older commit) with the same scenarios, to compare.
Targets (issue 10): stop < 5 s, none lost, ≤ 16 doubled after SIGKILL and none
after SIGTERM, the 20 answered within 1 s.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import bot_process  # noqa: E402
from tests.support.fault_scenarios import flood_beside_others, skipped_in, stop_mid_burst  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--project", type=Path, help="the checkout whose bot to run (default: this one)")
    args = parser.parse_args()
    if args.project:
        bot_process.BOT_PROJECT = args.project.resolve()
    print(f"bot from {bot_process.BOT_PROJECT}, {args.runs} run(s) of each scenario")
    for how in (signal.SIGTERM, signal.SIGKILL):
        outcomes = [stop_mid_burst(how) for _ in range(args.runs)]
        stops = [o.stop_seconds for o in outcomes]
        print(
            f"{how.name} 1.5 s into 300 questions from 100 chats, then a new start: "
            f"stop {statistics.median(stops):.2f} s (max {max(stops):.2f}), "
            f"answered before the stop {[o.answered_before_stop for o in outcomes]}, "
            f"lost {[o.tally.lost for o in outcomes]}, doubled {[o.tally.doubled for o in outcomes]}"
        )
    for _ in range(args.runs):
        flood = flood_beside_others()
        waits = sorted(flood.others_waits)
        print(
            f"300-message flood beside 20 citizens: their wait median {statistics.median(waits):.2f} s, "
            f"max {waits[-1]:.2f} s; the flooding chat got {flood.flooder_answers} answers, "
            f"{flood.slow_downs} 'slow down', {skipped_in(flood.stats)} skipped"
        )


if __name__ == "__main__":
    main()
