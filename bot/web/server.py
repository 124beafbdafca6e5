"""The web side's HTTP server (tornado, which python-telegram-bot's webhooks extra brings): routes and life.

`start_web` listens and `stop_web` stops, whether the server runs alone
(`python -m bot web`, bot/web/service.py) or beside the Telegram bot in one
process (`run` with WEB_PORT, bot/tg/service.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.web import Application

from bot.http_limits import GuardedHTTPServer
from bot.settings import DEFAULT_WEB_PORT
from bot.web.api import AskHandler, HealthHandler, RateHandler
from bot.web.base import BaseHandler, Site
from bot.web.metrics_page import MetricsHandler, MetricsSource
from bot.web.page import ASSETS, AssetHandler, PageHandler
from bot.web.staff import StaffHandler, StaffLogoutHandler
from bot.web.staff_edits import NetworkHandler, TeachHandler

log = logging.getLogger("bot.web")
MAX_FORM_BODY = 64 * 1024  # the staff forms (a network with its facts: ~20 KB); the API reads its own (AskHandler)
TEMPLATES = Path(__file__).parent / "templates"
CLOSE_SECONDS = 2.0  # within the 5 s a stop may take (bot/tg/service.py)


class NotFound(BaseHandler):
    def check_xsrf_cookie(self) -> None:
        """A post to a path that does not exist is a 404, not a question of tokens."""

    def prepare(self) -> None:
        self.send_error(404)


def web_application(site: Site) -> Application:
    assets = "|".join(re.escape(name) for name in ASSETS)
    routes = [
        (r"/", PageHandler),
        (rf"/({assets})", AssetHandler),
        (r"/api/ask", AskHandler),
        (r"/api/rate", RateHandler),
        (r"/healthz", HealthHandler),
        (r"/metrics", MetricsHandler),  # loopback and METRICS_ALLOW only (bot/web/metrics_page.py)
    ]
    if site.staff_gate is not None:  # without a token or an account the staff pages do not exist: 404, like any path
        routes += [
            (r"/staff", StaffHandler),
            (r"/staff/logout", StaffLogoutHandler),
            (r"/staff/teach", TeachHandler),
            (r"/staff/network", NetworkHandler),
        ]
    return Application(
        routes,
        default_handler_class=NotFound,
        log_function=lambda handler: None,  # no access log: it would carry client addresses
        site=site,  # handlers reach it as `self.site` (bot/web/base.py)
        metrics=MetricsSource(site.settings, site.status),
        template_path=str(TEMPLATES),  # the staff pages (tornado templates escape every value)
        # Every form post carries tornado's `_xsrf` token (bot/web/staff.py); the JSON API is guarded by its
        # content type and Origin instead (bot/web/api.py).
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Strict", "path": "/staff"},
    )


class WebPortUnavailable(Exception):
    """WEB_HOST:WEB_PORT cannot be listened on; the message says which and why."""


def start_web(site: Site, sockets: list[socket.socket] | None = None) -> HTTPServer:
    """Listen on WEB_HOST:WEB_PORT, or on `sockets` bound already (WEB_PROCESSES: bot/web/processes.py), on the
    running event loop. Raises `WebPortUnavailable`."""
    settings = site.settings
    server = GuardedHTTPServer(web_application(site), max_body_size=MAX_FORM_BODY)
    if sockets:
        server.add_sockets(sockets)
        return server
    try:
        server.listen(settings.web_port or DEFAULT_WEB_PORT, settings.web_host)
    except OSError as error:
        raise WebPortUnavailable(
            f"WEB_PORT: страница за разговор не може да слуша на {settings.web_host}:{settings.web_port} "
            f"({error.strerror or error}); изаберите други WEB_PORT или зауставите програм који га користи."
        ) from error
    log.info("web chat on http://%s:%s/", settings.web_host, settings.web_port or DEFAULT_WEB_PORT)
    return server


async def stop_web(server: HTTPServer) -> None:
    """Stop listening and close the open connections (keep-alive ones would hold the process)."""
    server.stop()
    try:
        await asyncio.wait_for(server.close_all_connections(), CLOSE_SECONDS)
    except TimeoutError:
        log.warning("web connections still open after %s s; stopping anyway", CLOSE_SECONDS)
