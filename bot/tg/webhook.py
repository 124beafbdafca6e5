"""Webhook mode: a small HTTP server that takes Telegram's updates and answers `/healthz`.

python-telegram-bot's `run_webhook` serves only the update path; the container's
health check needs `/healthz` on the same port, so the bot runs its own tornado
server (tornado comes with python-telegram-bot's webhooks extra) and feeds the
application's update queue, as python-telegram-bot's custom-webhook example does.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from telegram import Update
from telegram.ext import Application
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.settings import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
Health = Callable[[], dict[str, Any]]


class UpdateReceiver(RequestHandler):
    """POST from Telegram: check the secret, queue the update, answer 200 at once."""

    def initialize(self, bot_application: Application, secret: str | None) -> None:  # type: ignore[type-arg]
        self.bot_application = bot_application  # tornado's RequestHandler has its own `application`
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if self.secret and not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook call with a wrong secret token from %s", self.request.remote_ip)
            self.send_error(HTTPStatus.FORBIDDEN)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot_application.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("webhook call with a body that is not an update: %s", error)
            self.send_error(HTTPStatus.BAD_REQUEST)
            return
        await self.bot_application.update_queue.put(update)

    def log_exception(self, *args: Any) -> None:
        pass  # refusals are logged above, without the request


class HealthCheck(RequestHandler):
    """GET /healthz: 200 with a small JSON status while the bot serves."""

    def initialize(self, health: Health) -> None:
        self.health = health

    def get(self) -> None:
        self.write(self.health())


def web_application(application: Application, settings: Settings, health: Health) -> WebApplication:  # type: ignore[type-arg]
    return WebApplication(
        [
            (HEALTH_PATH, HealthCheck, {"health": health}),
            (
                f"/{settings.webhook_path}",
                UpdateReceiver,
                {"bot_application": application, "secret": settings.webhook_secret},
            ),
        ],
        log_function=lambda handler: None,  # no access log: it would carry the webhook path
    )


async def serve_webhook(application: Application, settings: Settings, health: Health) -> None:  # type: ignore[type-arg]
    """Serve until SIGINT or SIGTERM: start the application, listen, then tell Telegram where we are."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with application:  # initialize() … shutdown()
        if application.post_init:
            await application.post_init(application)
        await application.start()
        server = web_application(application, settings, health).listen(
            settings.webhook_port, settings.webhook_listen, xheaders=True
        )
        try:
            await application.bot.set_webhook(
                url=str(settings.webhook_url),
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("webhook set; listening on %s:%s", settings.webhook_listen, settings.webhook_port)
            await stop.wait()
        finally:
            server.stop()
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
