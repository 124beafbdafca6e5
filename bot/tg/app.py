"""Wire the Telegram bot together: the parts it shares, the application and its handlers.

This module only builds things; `service` runs them (start, fetch, stop).
Behaviour lives in `handlers` (citizens) and `admin` (staff).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram.constants import ParseMode
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

from bot.conversation import Door
from bot.quota import ChatQuota
from bot.recording import TELEGRAM
from bot.serving import Serving
from bot.settings import Settings
from bot.storage.conversations import ConversationMemory
from bot.storage.inbox import Inbox
from bot.tg.admin import Admin
from bot.tg.handlers import Handlers, log_error

log = logging.getLogger(__name__)
RATE_LIMIT_RETRIES = 3
# Updates handled at once, and HTTP connections to the Bot API to match. On loopback 8-16 is
# fastest (bench/: 16 gives 540 answers/s); more is slower, as httpx's pool bookkeeping grows with the
# square of the connections. 16 requests in flight at ~100 ms to api.telegram.org still allow 160
# answers/s, well above the 30 messages/s Telegram lets a bot send.
CONCURRENT_UPDATES = 16

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
    """What the handlers and the channel share: what every channel is given (`serving`), the inbox of updates,
    the door with its chats' memory, the admin tools."""

    serving: Serving
    inbox: Inbox
    door: Door[int | None] = field(init=False)
    admin: Admin = field(init=False)
    handlers: Handlers = field(init=False)

    def __post_init__(self) -> None:
        settings, serving = self.settings, self.serving
        memory = ConversationMemory(serving.database, settings.memory_minutes * 60)
        quota = ChatQuota(settings.chat_quota) if settings.chat_quota else None
        self.door = Door(TELEGRAM, serving.live, memory, serving.recorder, quota)
        self.admin = Admin(serving.live, serving.stats, settings.admin_ids, serving.status)
        self.handlers = Handlers(self.door)

    @classmethod
    def create(cls, serving: Serving) -> BotParts:
        """The parts, registered with the database before it is opened."""
        return cls(serving, Inbox(serving.database))

    @property
    def settings(self) -> Settings:
        return self.serving.settings


def build_application(parts: BotParts) -> Application:  # type: ignore[type-arg]
    settings = parts.settings
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.api_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .updater(None)  # service.py fetches updates itself, into the inbox
        .connection_pool_size(CONCURRENT_UPDATES)
        .pool_timeout(30.0)
    )
    if settings.rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))  # type: ignore[arg-type]
    application = builder.build()
    add_handlers(application, parts.handlers, parts.admin)
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
