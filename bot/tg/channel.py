"""Telegram as a channel, from start to stop, so that no citizen's question is lost on the way.

The runner (bot/runner.py) opens the database, watches the knowledge files and
handles the signals; this channel connects to the Bot API (retried while it is
unreachable), sets the command menu, answers first what the inbox holds from the
last run, then fetches: long polling, or a webhook when WEBHOOK_URL is set.
Meanwhile it writes the status file the polling mode's health check reads, and
tells the admins of reloads.

Stop, when the runner's `stop` is set (SIGTERM from `docker stop`, or SIGINT):
stop fetching at once, let the replies in progress finish (at most
`STOP_GRACE_SECONDS`), and return; what was not answered stays in the inbox for
the next start.  The whole stop takes well under the 10 s `docker stop` waits
before it kills.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, BotCommand, Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application

from bot.reloader import Reload
from bot.serving import Serving
from bot.status import WRITE_EVERY_SECONDS, write_status
from bot.tg.app import CONCURRENT_UPDATES, BotParts, build_application
from bot.tg.dispatch import Dispatcher
from bot.tg.polling import poll
from bot.tg.webhook import serve_webhook

log = logging.getLogger(__name__)
# Replies in progress get 3 s, the database's last write 1.5 s (Database.close): the stop stays under 5 s.
STOP_GRACE_SECONDS = 3.0
START_RETRY_SECONDS = (1, 2, 5, 10, 30, 60)
CANCEL_AGAIN_SECONDS = 0.5


class TelegramChannel:
    def __init__(self, serving: Serving):
        self.parts = BotParts.create(serving)
        self.doors = [self.parts.door]
        self.bot: Bot | None = None  # once connected: whom to tell of a reload with

    def waiting(self) -> tuple[int, float]:
        return self.parts.inbox.waiting(), self.parts.inbox.oldest_waiting()

    async def serve(self, stop: asyncio.Event) -> None:
        await _serve(self, stop)

    async def tell(self, reload: Reload) -> None:
        """Tell the admins (before the bot is connected there is nobody to tell with: the log has it)."""
        if self.bot is not None:
            await self.parts.admin.tell_reload(self.bot, reload)


async def _serve(channel: TelegramChannel, stop: asyncio.Event) -> None:
    parts = channel.parts
    for attempt in itertools.count():
        application = build_application(parts)
        try:
            async with application:  # initialize() (getMe) … shutdown()
                channel.bot = application.bot
                if not stop.is_set():  # another channel failed at start meanwhile: start nothing more
                    await _answer_until_stopped(application, parts, stop)
            return
        except NetworkError as error:  # getMe at start failed: Telegram unreachable
            wait = START_RETRY_SECONDS[min(attempt, len(START_RETRY_SECONDS) - 1)]
            log.warning("Bot API unreachable at start (%s); retrying in %s s", error, wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
            if stop.is_set():
                return


async def _answer_until_stopped(application: Application, parts: BotParts, stop: asyncio.Event) -> None:  # type: ignore[type-arg]
    settings = parts.settings
    await application.start()
    await _describe(application, parts)
    await parts.admin.announce_start(application.bot)
    door = parts.door
    dispatcher = Dispatcher(
        application.process_update,
        parts.handlers.slow_down,
        parts.inbox,
        door.admit if door.quota is not None else None,
        slots=CONCURRENT_UPDATES,
    )
    _resume(application, parts, dispatcher)
    chores = [asyncio.create_task(_write_status(parts))]
    try:
        if settings.webhook_url:
            health = lambda: parts.serving.status().to_json(public=True)  # noqa: E731
            await serve_webhook(application.bot, lambda u: dispatcher.receive([u]), settings, health, stop)
        else:
            await until_stopped(stop, _poll_forever(application, parts, dispatcher))
    finally:
        for chore in chores:
            chore.cancel()
        left = await dispatcher.stop(STOP_GRACE_SECONDS)
        log.info("stopping; %d update(s) left in the inbox for the next start", left)
        await application.stop()
        settings.status_file.unlink(missing_ok=True)  # the health check must not see a stopped bot as alive


async def _poll_forever(application: Application, parts: BotParts, dispatcher: Dispatcher) -> None:  # type: ignore[type-arg]
    try:
        await application.bot.delete_webhook()  # getUpdates is refused while a webhook is set
    except TelegramError as error:
        log.warning("could not delete the webhook: %s", error)
    await poll(application.bot, dispatcher, parts.inbox)


async def until_stopped(stop: asyncio.Event, work: Awaitable[None]) -> None:
    """Run `work` until it ends (its error is raised) or `stop` is set (it is cancelled).

    A cancellation can be lost: Python 3.11's `asyncio.wait_for` (the inbox's wait
    for the disk) drops one that arrives just as the awaited result does (fixed in
    3.12), and one that lands while getUpdates reads may come out of httpx as a
    network error, which polling retries.  Under load about 1 stop in 10 never
    ended (the bot logged nothing after SIGTERM).  So the work is cancelled again
    every `CANCEL_AGAIN_SECONDS` until it has ended.
    """
    task, stopped = asyncio.ensure_future(work), asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    for attempt in itertools.count():
        task.cancel()
        await asyncio.wait({task}, timeout=CANCEL_AGAIN_SECONDS)
        if task.done():
            break
        log.warning("polling did not stop when cancelled (%d); cancelling it again", attempt + 1)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _resume(application: Application, parts: BotParts, dispatcher: Dispatcher) -> None:  # type: ignore[type-arg]
    """Queue what the last run received and did not answer, oldest first."""
    updates = []
    for waiting in parts.inbox.undone():
        try:
            update = Update.de_json(json.loads(waiting.body), application.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.error("update %s in the inbox cannot be read (%s); dropping it", waiting.update_id, error)
            parts.inbox.done(waiting.update_id)
            continue
        if update is not None:
            updates.append(update)
    if updates:
        log.info("answering %d update(s) the last run received and did not answer", len(updates))
        dispatcher.resume(updates)


async def _describe(application: Application, parts: BotParts) -> None:  # type: ignore[type-arg]
    """Set the command menu and descriptions; a failure is logged, not fatal."""
    book = parts.serving.live.engine.bundle.intents
    bot = application.bot
    calls: list[tuple[str, Callable[[], Awaitable[bool]]]] = [
        ("commands", lambda: bot.set_my_commands([BotCommand(c, d) for c, d in book.commands.items()])),
        ("description", lambda: bot.set_my_description(book.telegram.get("description", ""))),
        ("short description", lambda: bot.set_my_short_description(book.telegram.get("short_description", ""))),
    ]
    for what, call in calls:
        try:
            await call()
        except TelegramError as error:
            log.warning("could not set the bot's %s: %s", what, error)


async def _write_status(parts: BotParts) -> None:
    """Every few seconds, for the health check; a failure is logged once until it works again."""
    failing = False
    while True:
        try:
            await asyncio.to_thread(write_status, parts.settings.status_file, parts.serving.status())
            failing = False
        except OSError as error:
            if not failing:
                log.warning("could not write the status file %s: %s", parts.settings.status_file, error)
            failing = True
        await asyncio.sleep(WRITE_EVERY_SECONDS)
