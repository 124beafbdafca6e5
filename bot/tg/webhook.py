"""Webhook mode: a small HTTP server that takes Telegram's updates and answers `/healthz`.

python-telegram-bot's `run_webhook` serves only the update path and answers 200
as soon as an update is queued in memory; the container's health check needs
`/healthz` on the same port, and an update must be in the inbox before Telegram
hears 200 (after that it will not send it again).  So the bot runs its own
tornado server (tornado comes with python-telegram-bot's webhooks extra), as
python-telegram-bot's custom-webhook example does.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from telegram import Bot, Update
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.http_limits import GuardedHTTPServer
from bot.settings import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
Health = Callable[[], dict[str, Any]]
Receive = Callable[[Update], Awaitable[None]]


class UpdateReceiver(RequestHandler):
    """POST from Telegram: check the secret, put the update in the inbox, then answer 200."""

    def initialize(self, bot: Bot, receive: Receive, secret: str | None) -> None:
        self.bot = bot
        self.receive = receive
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if self.secret and not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook call with a wrong secret token from %s", self.request.remote_ip)
            self.send_error(HTTPStatus.FORBIDDEN)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("webhook call with a body that is not an update: %s", error)
            self.send_error(HTTPStatus.BAD_REQUEST)
            return
        await self.receive(update)

    def log_exception(self, *args: Any) -> None:
        pass  # refusals are logged above, without the request


class HealthCheck(RequestHandler):
    """GET /healthz: 200 with a small JSON status while the bot serves."""

    def initialize(self, health: Health) -> None:
        self.health = health

    def get(self) -> None:
        self.write(self.health())


def web_application(bot: Bot, receive: Receive, settings: Settings, health: Health) -> WebApplication:
    return WebApplication(
        [
            (HEALTH_PATH, HealthCheck, {"health": health}),
            (
                f"/{settings.webhook_path}",
                UpdateReceiver,
                {"bot": bot, "receive": receive, "secret": settings.webhook_secret},
            ),
        ],
        log_function=lambda handler: None,  # no access log: it would carry the webhook path
    )


async def serve_webhook(bot: Bot, receive: Receive, settings: Settings, health: Health, stop: asyncio.Event) -> None:
    """Listen, tell Telegram where we are, and serve until `stop` is set."""
    server = GuardedHTTPServer(web_application(bot, receive, settings, health), xheaders=True)
    server.listen(settings.webhook_port, settings.webhook_listen)
    try:
        await bot.set_webhook(
            url=str(settings.webhook_url), secret_token=settings.webhook_secret, allowed_updates=Update.ALL_TYPES
        )
        log.info("webhook set; listening on %s:%s", settings.webhook_listen, settings.webhook_port)
        await stop.wait()
    finally:
        server.stop()
