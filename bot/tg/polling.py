"""Long polling that lets Telegram forget an update only once the inbox holds it.

A `getUpdates` with `offset` confirms every update below it, and Telegram then
forgets them.  python-telegram-bot's `Updater` sends that offset as soon as it
has put a batch on an in-memory queue, so a crash loses the batch.  This loop
sends it only after `Dispatcher.receive` has returned, that is once the batch
is in the database (or, during a storage fault, at least in memory).  It also
stops asking while `max_backlog` updates wait: Telegram keeps the rest.

Telegram's faults are handled as python-telegram-bot's own loop does: flood
control waits `retry_after`, a time-out asks again at once, other errors wait
1, 1.5, 2.25 … up to 30 s, an invalid token stops the bot.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.storage.inbox import Inbox
from bot.tg.dispatch import Dispatcher

log = logging.getLogger(__name__)
POLL_SECONDS = 10  # long-polling time-out: how long Telegram holds a getUpdates open when there is nothing
MAX_WAIT_SECONDS = 30.0


async def poll(
    bot: Bot,
    dispatcher: Dispatcher,
    inbox: Inbox,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Fetch updates until cancelled, confirming each batch only after it was received."""
    offset: int | None = None
    wait = 0.0
    while True:
        await dispatcher.room()
        try:
            updates = await bot.get_updates(offset=offset, timeout=POLL_SECONDS, allowed_updates=Update.ALL_TYPES)
        except RetryAfter as error:
            await sleep(_retry_after(error) + 0.5)
            continue
        except TimedOut:
            continue
        except InvalidToken:
            raise
        except TelegramError as error:
            wait = min(MAX_WAIT_SECONDS, wait * 1.5 if wait else 1.0)
            log.warning("getUpdates failed (%s); asking again in %.1f s", error, wait)
            await sleep(wait)
            continue
        wait = 0.0
        if offset is not None:
            inbox.confirmed(offset)
        if updates:
            await dispatcher.receive(updates)
            offset = updates[-1].update_id + 1


def _retry_after(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # an int until python-telegram-bot 23, a timedelta after: both are fine
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
