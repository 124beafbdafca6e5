"""Retrying replies: network errors are retried, time-outs never (the answer may have arrived)."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.tg.delivery import deliver


class FlakySend:
    def __init__(self, *errors: Exception):
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


def test_network_errors_are_retried_until_it_is_sent() -> None:
    send = FlakySend(NetworkError("Bad Gateway"), NetworkError("connection reset"))
    assert asyncio.run(deliver(send, delays=(0, 0, 0))) == "sent"
    assert send.calls == 3


def test_gives_up_after_the_last_retry() -> None:
    send = FlakySend(*[NetworkError("down")] * 4)
    with pytest.raises(NetworkError):
        asyncio.run(deliver(send, delays=(0, 0, 0)))
    assert send.calls == 4


@pytest.mark.parametrize("error", [TimedOut(), BadRequest("can't parse entities")])
def test_time_outs_and_refusals_are_not_retried(error: Exception) -> None:
    send = FlakySend(error)
    with pytest.raises(type(error)):
        asyncio.run(deliver(send, delays=(0, 0, 0)))
    assert send.calls == 1


def test_each_retry_is_logged_with_the_error_and_the_wait(caplog: pytest.LogCaptureFixture) -> None:
    send = FlakySend(NetworkError("Bad Gateway"), NetworkError("connection reset"))
    with caplog.at_level("WARNING"):
        asyncio.run(deliver(send, delays=(0.001, 0.002, 0.004)))
    assert caplog.messages == [
        "sending failed (Bad Gateway), retrying in 0.001 s",
        "sending failed (connection reset), retrying in 0.002 s",
    ]
