"""Deliver a reply despite a short outage of the Bot API.

A reply that fails with a network error (connection refused or reset, a 5xx
from Telegram) is sent again after 1, 2 and 4 seconds.  A time-out is not
retried: the request may have reached Telegram, and a citizen must never get
the same answer twice.  Nor is a refusal (400): sending it again changes
nothing.  Flood control (429) is the rate limiter's job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, TimedOut

log = logging.getLogger(__name__)
RETRY_DELAYS: Sequence[float] = (1, 2, 4)
T = TypeVar("T")


async def deliver(send: Callable[[], Awaitable[T]], delays: Sequence[float] = RETRY_DELAYS) -> T:
    """Await `send()`; on a network error other than a time-out, wait and call it again."""
    for delay in delays:
        try:
            return await send()
        except (TimedOut, BadRequest):  # python-telegram-bot's BadRequest is a NetworkError too
            raise
        except NetworkError as error:
            log.warning("sending failed (%s), retrying in %s s", error, delay)
            await asyncio.sleep(delay)
    return await send()
