"""Wire the Telegram bot together and run it (long polling, or a webhook when WEBHOOK_URL is set).

This module only builds and starts things: the application, its handlers, the
command menu and description set at start-up.  Behaviour lives in `handlers`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

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

from bot.engine import Engine
from bot.settings import TelegramSettings
from bot.tg.handlers import EngineHolder, Handlers, log_error
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


def build_application(settings: TelegramSettings, holder: EngineHolder) -> Application:  # type: ignore[type-arg]
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
        .connection_pool_size(CONCURRENT_UPDATES)
        .pool_timeout(30.0)
        .post_init(_set_up_commands(holder))
    )
    if settings.rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))  # type: ignore[arg-type]
    application = builder.build()
    add_handlers(application, Handlers(holder))
    return application


def add_handlers(application: Application, handlers: Handlers) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help))
    application.add_handler(CommandHandler("mreze", handlers.networks))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_handler(MessageHandler(filters.TEXT, handlers.text))
    application.add_handler(MessageHandler(NON_TEXT, handlers.non_text))
    application.add_error_handler(log_error)


def _set_up_commands(holder: EngineHolder):  # type: ignore[no-untyped-def]
    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        """The command menu and descriptions, in Serbian; a failure here is logged, not fatal."""
        book = holder.engine.bundle.intents
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

    return post_init


def run_bot(settings: TelegramSettings, engine: Engine) -> None:
    """Run until SIGINT or SIGTERM. An unreachable Bot API at start is retried, never fatal."""
    holder = EngineHolder(engine)
    _use_uvloop()
    for attempt in itertools.count():
        application = build_application(settings, holder)
        try:
            if settings.webhook_url:
                asyncio.run(serve_webhook(application, settings, lambda: _health(holder)))
            else:
                application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1, close_loop=False)
            return
        except NetworkError as error:  # getMe at start failed: Telegram unreachable
            wait = START_RETRY_SECONDS[min(attempt, len(START_RETRY_SECONDS) - 1)]
            log.warning("Bot API unreachable at start (%s); retrying in %s s", error, wait)
            asyncio.run(asyncio.sleep(wait))


def _health(holder: EngineHolder) -> dict[str, object]:
    return {"status": "ok", "networks": len(holder.engine.networks)}


def _use_uvloop() -> None:
    """uvloop roughly halves the event loop's share of each update (bench/telegram_load.py); optional."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - not on every platform
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
