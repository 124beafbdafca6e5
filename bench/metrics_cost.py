"""What counting for /metrics costs per answer (issue 22: ≤ 5 %), in one run.

    .venv/bin/python bench/metrics_cost.py [--rounds 5]

Each round answers the held-out questions and records each answer as the web
side does (`Recorder.note`: the daily counts, the log line, and the metrics),
once with the metrics and once with them replaced by no-ops, alternating; the
fastest of the rounds of each is compared (the least disturbed by this shared
machine).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import metrics
from bot.engine import Engine
from bot.loader import load_bundle
from bot.questionsets import HELDOUT, load_cases
from bot.recording import Recorder, Stats


class Nothing:
    def labels(self, *_: object) -> Nothing:
        return self

    def inc(self, *_: object) -> None: ...

    def observe(self, *_: object) -> None: ...


def round_time(engine: Engine, questions: list[str]) -> float:
    recorder = Recorder(Stats(), None)
    started = time.perf_counter()
    for question in questions:
        began = time.perf_counter()
        recorder.note(engine.answer(question), began, "web", time.time())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the log line is the same on both sides; its cost is not what is measured
    engine = Engine(load_bundle()[0])
    questions = [case.question for case in load_cases(HELDOUT)[0]] * 4
    round_time(engine, questions)  # warm up
    counted, bare = [], []
    for _ in range(args.rounds):
        counted.append(round_time(engine, questions))
        with mock.patch.multiple(metrics, QUESTIONS=Nothing(), ANSWER_SECONDS=Nothing(),
                                 UNDERSTANDING_SECONDS=Nothing()):  # fmt: skip
            bare.append(round_time(engine, questions))
    per = len(questions)
    with_metrics, without = min(counted) / per * 1e6, min(bare) / per * 1e6
    print(
        f"{per} answers a round, fastest of {args.rounds}: with metrics {with_metrics:.1f} µs an answer, "
        f"without {without:.1f} µs: +{with_metrics - without:.1f} µs, {with_metrics / without - 1:+.1%} (target ≤ 5 %)"
    )


if __name__ == "__main__":
    main()
