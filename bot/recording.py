"""What happens to every answered question and every rating, whichever channel it came by (Telegram or the website).

It is counted (/stats, the staff page), counted per day, channel and outcome in
the database (the charts on /staff; a number, never the text), stored when the
bot could not answer it (`python -m bot report`, marked with its channel), and
logged in one line:
channel, intent, network, confidence, the rule that decided, time.  The question
itself is logged only at DEBUG; nothing about the person is logged at all.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot import metrics
from bot.engine import Answer
from bot.quota import OverQuota, Verdict
from bot.script import detect_script
from bot.storage.questions import ANSWERED, CONSOLE, TELEGRAM, WEB, QuestionStore

log = logging.getLogger("bot.answers")

__all__ = ["CONSOLE", "TELEGRAM", "WEB", "Recorder", "Stats"]
UNHELPFUL = "unhelpful"  # the outcome stored beside `fallback` and `clarify` for a question whose answer got 👎


@dataclass
class Stats:
    """Counters since the bot started, each channel's apart where /stats shows them apart; nothing per person."""

    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    questions: int = 0
    fallbacks: int = 0
    clarifications: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)  # of `questions`, per channel
    helpful: int = 0
    unhelpful: int = 0
    over_quota: dict[str, OverQuota] = field(default_factory=dict)  # per channel

    @property
    def answered(self) -> int:
        """Questions that got an answer: neither a fallback nor a question back."""
        return self.questions - self.fallbacks - self.clarifications

    def over_quota_of(self, channel: str) -> OverQuota:
        return self.over_quota.get(channel) or OverQuota()

    @property
    def skipped(self) -> int:
        """Questions not answered for a quota, on every channel."""
        return sum(counted.skipped for counted in self.over_quota.values())

    def count(self, answer: Answer, channel: str = TELEGRAM) -> None:
        self.questions += 1
        self.fallbacks += answer.intent == "fallback"
        self.clarifications += answer.intent == "clarify"
        self.by_channel[channel] += 1

    def count_vote(self, helpful: bool) -> None:
        if helpful:
            self.helpful += 1
        else:
            self.unhelpful += 1


class Recorder:
    def __init__(self, stats: Stats, store: QuestionStore | None):
        self.stats = stats
        self.store = store

    def note(self, answer: Answer, started: float, channel: str, arrived: float | None = None) -> None:
        """Count the answer (since the start, per day in the database, and in /metrics), store it when unanswered,
        and log one line about it.  `started`: perf_counter() before understanding; `arrived`: time.time() when
        the question arrived (the request), for the answer time."""
        understood_in = time.perf_counter() - started
        self.stats.count(answer, channel)
        metrics.count_question(channel, answer.intent if answer.unanswered else ANSWERED)
        metrics.UNDERSTANDING_SECONDS.observe(understood_in)
        if arrived is not None:
            metrics.ANSWER_SECONDS.labels(channel).observe(metrics.since(arrived))
        if self.store is not None:
            self.store.record_outcome(answer.intent if answer.unanswered else ANSWERED, channel)
        if answer.unanswered and self.store is not None:
            guess = answer.guess
            self.store.record_unanswered(
                answer.question,
                answer.script.value,
                answer.intent,
                (guess.intent, guess.network, guess.score) if guess else None,
                channel,
            )
        log.info(
            "answered channel=%s intent=%s network=%s confidence=%.2f rule=%s ms=%.1f",
            channel,
            answer.intent,
            answer.network or "-",
            answer.confidence,
            answer.rule or "-",
            understood_in * 1000,
        )
        log.debug("question: %r", answer.question)

    def over_quota(self, channel: str, verdict: Verdict) -> None:
        """A question not answered because its sender is over the quota (asked to slow down, or skipped)."""
        metrics.count_question(channel, "over_quota")
        counted = self.stats.over_quota.setdefault(channel, OverQuota())
        counted.skipped += 1
        counted.slowed += verdict is Verdict.SLOW_DOWN

    def vote(self, intent: str, network: str | None, helpful: bool, question: str = "", channel: str = "") -> None:
        """A 👍 or 👎 on an answer: counted (/stats) and stored (`report`, /staff); who gave it is not kept.
        A 👎 with its question (the web page knows it; a Telegram button does not) also stores the question as
        `unhelpful`, beside the unanswered ones, for staff to teach from."""
        self.stats.count_vote(helpful)
        metrics.VOTES.labels("helpful" if helpful else "unhelpful").inc()
        if self.store is not None:
            self.store.record_feedback(intent, network, helpful)
            if not helpful and question:
                script = detect_script(question).value
                self.store.record_unanswered(question, script, UNHELPFUL, (intent, network, 1.0), channel or WEB)
