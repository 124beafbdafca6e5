"""Stopping: work that loses its cancellation (polling can, when httpx turns it into a network error)
is cancelled again until it ends, so SIGTERM always stops the bot."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.tg.channel import until_stopped


def test_work_that_swallows_its_cancellation_is_cancelled_again(caplog: pytest.LogCaptureFixture) -> None:
    swallowed: list[int] = []

    async def stubborn() -> None:
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed.append(1)  # as a cancelled getUpdates that came out as NetworkError
                continue

    async def scenario() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(0.05, stop.set)
        await until_stopped(stop, stubborn())

    with caplog.at_level(logging.WARNING):
        asyncio.run(asyncio.wait_for(scenario(), 10))
    assert swallowed == [1]
    assert caplog.messages == ["polling did not stop when cancelled (1); cancelling it again"]


def test_work_that_ends_by_itself_raises_its_error_without_waiting_for_stop() -> None:
    async def failing() -> None:
        raise RuntimeError("invalid token")

    async def scenario() -> None:
        await until_stopped(asyncio.Event(), failing())

    with pytest.raises(RuntimeError, match="invalid token"):
        asyncio.run(asyncio.wait_for(scenario(), 10))
