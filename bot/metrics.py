"""The numbers an operator scrapes: `GET /metrics` in Prometheus' text format (prometheus_client).

Counted where they happen: questions by channel and outcome (`answered`,
`clarify` = asked back, `fallback` = not understood, `over_quota`), the time
from a question's arrival to its answer and the time understanding took
(histograms), votes by kind, storage writes that failed, knowledge reloads
(`good`, `refused`).  Read when scraped, from the running bot's `Status`:
updates waiting in the inbox and the age of the oldest, the knowledge version
(`nis_knowledge_info{version}`, always 1) and the versions kept.  No label ever
holds a question's text or anyone's id: the labels are the fixed names above.

With several web processes (WEB_PROCESSES) every process writes its counts to
files in PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode, set up
by bot/web/processes.py before this module is imported) and a scrape of any of
them adds them all up.

Who may scrape is bot/web/metrics_page.py's business: loopback and METRICS_ALLOW.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

__all__ = ["CONTENT_TYPE_LATEST", "exposition"]
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
OUTCOMES = ("answered", "clarify", "fallback", "over_quota")
# A cached answer takes well under a millisecond, a fresh one a few; Telegram adds its network round trip.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNDERSTANDING_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)

disable_created_metrics()  # type: ignore[no-untyped-call]  # `*_created` series: noise for counters that start with the process
REGISTRY = CollectorRegistry(auto_describe=True)
QUESTIONS = Counter(
    "nis_questions", "Questions by channel and what became of them", ["channel", "outcome"], registry=REGISTRY
)
ANSWER_SECONDS = Histogram(
    "nis_answer_seconds",
    "From a question's arrival (the request, the update received) to its answer ready",
    ["channel"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
UNDERSTANDING_SECONDS = Histogram(
    "nis_understanding_seconds",
    "Time the engine took to understand and compose one answer",
    buckets=UNDERSTANDING_BUCKETS,
    registry=REGISTRY,
)
VOTES = Counter("nis_votes", "Ratings citizens gave answers", ["kind"], registry=REGISTRY)
STORAGE_WRITES_FAILED = Counter(
    "nis_storage_writes_failed", "Database writes that failed (the rows are kept in memory and tried again)",
    registry=REGISTRY,
)  # fmt: skip
RELOADS = Counter("nis_knowledge_reloads", "Loads of edited knowledge files", ["result"], registry=REGISTRY)
SHARED_FILE_FAILURES = Counter(
    "nis_shared_file_failures", "Turns the web processes' shared file failed (answered without it)", registry=REGISTRY
)
for _channel in ("telegram", "web"):  # every series exists from the start: a rate over a missing one is no data
    ANSWER_SECONDS.labels(_channel)
    for _outcome in OUTCOMES:
        QUESTIONS.labels(_channel, _outcome)
for _kind in ("helpful", "unhelpful"):
    VOTES.labels(_kind)
for _result in ("good", "refused"):
    RELOADS.labels(_result)


def count_question(channel: str, outcome: str) -> None:
    QUESTIONS.labels(channel, outcome).inc()


def since(arrived: float) -> float:
    """Seconds from `arrived` (time.time()) to now, never negative (a clock stepped back)."""
    return max(0.0, time.time() - arrived)


def exposition(status: Collector | None = None) -> bytes:
    """The text a scrape gets: every process's counts (multiprocess mode) or this one's, and `status`."""
    registry = CollectorRegistry()
    if MULTIPROCESS:
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Own())
    if status is not None:
        registry.register(status)
    return generate_latest(registry)


class _Own(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
