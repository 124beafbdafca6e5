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

from bot.recording import Recorder, Stats
from bot.reloader import LiveKnowledge
from bot.settings import Settings
from bot.status import Status
from bot.storage.conversations import ConversationMemory
from bot.storage.database import Database
from bot.storage.inbox import Inbox
from bot.storage.questions import QuestionStore
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
    """What the handlers and the service share: knowledge, counters, the database and its parts, admin tools."""

    settings: Settings
    live: LiveKnowledge
    database: Database
    store: QuestionStore
    inbox: Inbox
    memory: ConversationMemory
    stats: Stats = field(default_factory=Stats)
    recorder: Recorder = field(init=False)  # counts, stores and logs answers and votes: Telegram's and the web's
    admin: Admin = field(init=False)
    handlers: Handlers = field(init=False)

    def __post_init__(self) -> None:
        self.recorder = Recorder(self.stats, self.store)
        self.admin = Admin(self.live, self.stats, self.settings.admin_ids, self.status)
        self.handlers = Handlers(self.live, self.recorder, self.memory)

    @classmethod
    def create(cls, settings: Settings, live: LiveKnowledge) -> BotParts:
        """The parts, with the database not yet opened."""
        database = Database(settings.data_dir)
        return cls(
            settings,
            live,
            database,
            QuestionStore(database, settings.retention_days),
            Inbox(database),
            ConversationMemory(database, settings.memory_minutes * 60),
        )

    def status(self) -> Status:
        return Status(
            knowledge_version=self.live.version,
            networks=len(self.live.engine.networks),
            knowledge_problem=self.live.trouble(),
            storage=self.database.health(),
            waiting=self.inbox.waiting(),
            oldest_waiting=self.inbox.oldest_waiting(),
            remembered=len(self.memory),
            skipped=self.stats.over_quota.skipped,
        )


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
