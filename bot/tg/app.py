"""Wire the Telegram bot together and run it (long polling, or a webhook when WEBHOOK_URL is set).

This module only builds and starts things: the application, its handlers, the
command menu and description set at start-up, the knowledge file watcher.
Behaviour lives in `handlers` (citizens) and `admin` (staff).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from dataclasses import dataclass, field

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.reloader import LiveKnowledge
from bot.settings import Settings
from bot.store import QuestionStore
from bot.tg.admin import Admin, Stats
from bot.tg.handlers import Handlers, log_error
from bot.tg.processor import PerChatUpdateProcessor
from bot.tg.webhook import serve_webhook

log = logging.getLogger(__name__)
RATE_LIMIT_RETRIES = 3
# Updates handled at once, and HTTP connections to the Bot API to match. On loopback 8-16 is
# fastest (bench/: 16 gives 540 answers/s); more is slower, as httpx's pool bookkeeping grows with the
# square of the connections. 16 requests in flight at ~100 ms to api.telegram.org still allow 160
# answers/s, well above the 30 messages/s Telegram lets a bot send.
CONCURRENT_UPDATES = 16
START_RETRY_SECONDS = (1, 2, 5, 10, 30, 60)
WATCHER_KEY = "knowledge_watcher"

NON_TEXT = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.VOICE
    | filters.AUDIO
    | filters.Document.ALL
    | filters.LOCATION
    | filters.VENUE
    | filters.CONTACT
    | filters.ANIMATION
    | filters.POLL
    | filters.Dice.ALL
)


@dataclass
class BotParts:
    """What the handlers share: the live knowledge, counters, the question store and the admin tools."""

    settings: Settings
    live: LiveKnowledge
    stats: Stats
    store: QuestionStore | None
    admin: Admin = field(init=False)

    def __post_init__(self) -> None:
        self.admin = Admin(self.live, self.stats, self.settings.admin_ids)


def build_application(parts: BotParts) -> Application:  # type: ignore[type-arg]
    settings = parts.settings
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.api_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
        .connection_pool_size(CONCURRENT_UPDATES)
        .pool_timeout(30.0)
        .post_init(_start(parts))
        .post_stop(_stop)
    )
    if settings.rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))  # type: ignore[arg-type]
    application = builder.build()
    add_handlers(application, Handlers(parts.live, parts.stats, parts.store), parts.admin)
    return application


def add_handlers(application: Application, handlers: Handlers, admin: Admin) -> None:  # type: ignore[type-arg]
    if admin.admin_ids:  # for anyone else /reload and /stats fall through to the text handler
        admins = filters.User(user_id=admin.admin_ids)
        application.add_handler(CommandHandler("reload", admin.reload, filters=admins))
        application.add_handler(CommandHandler("stats", admin.show_stats, filters=admins))
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help))
    application.add_handler(CommandHandler("mreze", handlers.networks))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_handler(MessageHandler(filters.TEXT, handlers.text))
    application.add_handler(MessageHandler(NON_TEXT, handlers.non_text))
    application.add_error_handler(log_error)


def _start(parts: BotParts):  # type: ignore[no-untyped-def]
    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        """Set the command menu and descriptions (a failure is logged, not fatal); start the file watcher."""
        book = parts.live.engine.bundle.intents
        bot = application.bot
        calls = [
            ("commands", bot.set_my_commands([BotCommand(c, d) for c, d in book.commands.items()])),
            ("description", bot.set_my_description(book.telegram.get("description", ""))),
            ("short description", bot.set_my_short_description(book.telegram.get("short_description", ""))),
        ]
        for what, call in calls:
            try:
                await call
            except TelegramError as error:
                log.warning("could not set the bot's %s: %s", what, error)
        if parts.settings.reload_seconds:
            # Not application.create_task: stop() would wait for this endless loop.
            watcher = asyncio.create_task(parts.admin.watch(bot, parts.settings.reload_seconds))
            application.bot_data[WATCHER_KEY] = watcher

    return post_init


async def _stop(application: Application) -> None:  # type: ignore[type-arg]
    watcher = application.bot_data.pop(WATCHER_KEY, None)
    if watcher is not None:
        watcher.cancel()


def run_bot(settings: Settings, live: LiveKnowledge) -> None:
    """Run until SIGINT or SIGTERM. An unreachable Bot API at start is retried, never fatal."""
    store = QuestionStore(settings.data_dir, settings.retention_days)
    parts = BotParts(settings, live, Stats(), store)
    _use_uvloop()
    try:
        for attempt in itertools.count():
            application = build_application(parts)
            try:
                if settings.webhook_url:
                    asyncio.run(serve_webhook(application, settings, lambda: _health(live)))
                else:
                    application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1, close_loop=False)
                return
            except NetworkError as error:  # getMe at start failed: Telegram unreachable
                wait = START_RETRY_SECONDS[min(attempt, len(START_RETRY_SECONDS) - 1)]
                log.warning("Bot API unreachable at start (%s); retrying in %s s", error, wait)
                asyncio.run(asyncio.sleep(wait))
    finally:
        store.close()


def _health(live: LiveKnowledge) -> dict[str, object]:
    return {"status": "ok", "knowledge_version": live.version, "networks": len(live.engine.networks)}


def _use_uvloop() -> None:
    """uvloop roughly halves the event loop's share of each update (bench/telegram_load.py); optional."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - not on every platform
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
