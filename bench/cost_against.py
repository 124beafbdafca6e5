"""Median cost per question against an older checkout, alternating: `python bench/cost_against.py --project DIR`.

Issue 19 allows its richer understanding at most 1.3× the median cost per
question of the commit before it, measured in the same run, alternating.  Each
round starts a child process per checkout (this one, then `--project`, then
the other way round next time), which builds its engine with the answer cache
off, warms its per-word caches on the corpus and times every held-out question
alone, `REPEATS` times with the garbage collector held off, keeping each
question's fastest; the child prints the median of those.
Prints each round's medians and the median of the ratios.  Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 5  # each question's fastest of five: a shared machine's jumps are slowdowns, never speed-ups
CHILD = f"""
import gc, statistics, sys, time
sys.path.insert(0, ".")
from bot.engine import Engine
from bot.loader import load_bundle
from tests.support.labelled import CORPUS, HELDOUT, all_cases
engine = Engine(load_bundle()[0], answer_cache=0)
for case in all_cases(CORPUS):
    engine.answer(case.question)
questions = [case.question for case in all_cases(HELDOUT)]
best = [float("inf")] * len(questions)
gc.disable()
for _ in range({REPEATS}):
    for number, question in enumerate(questions):
        started = time.perf_counter()
        engine.answer(question)
        best[number] = min(best[number], time.perf_counter() - started)
gc.enable()
print(statistics.median(best))
"""


def median_in(project: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=project, capture_output=True, text=True, check=True, timeout=600
    )
    return float(result.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="the older checkout (a git worktree)")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    ratios = []
    for round_number in range(args.rounds):
        order = [ROOT, args.project] if round_number % 2 == 0 else [args.project, ROOT]
        medians = {project: median_in(project) for project in order}
        now, before = medians[ROOT], medians[args.project]
        ratios.append(now / before)
        print(
            f"round {round_number + 1}: this {now * 1e3:.3f} ms, older {before * 1e3:.3f} ms, ratio {now / before:.2f}"
        )
    print(f"median ratio over {args.rounds} rounds: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
