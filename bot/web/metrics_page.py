"""`GET /metrics` for Prometheus, never public by accident: answered only to loopback and METRICS_ALLOW.

It is served on the web port (WEB_PORT) and, with METRICS_PORT, on a port of
its own (METRICS_HOST, loopback by default) — the one to use for a Telegram bot
without the web side, in polling or webhook mode.  Anyone else gets the same
404 as any unknown path.  A request that came through a proxy (it carries
X-Forwarded-For or Forwarded) is judged by the address the proxy names when
WEB_TRUST_PROXY is on, and refused when it is off: a proxy on the same host
would otherwise make every visitor look like loopback.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.metrics import CONTENT_TYPE_LATEST, StatusCollector, exposition
from bot.settings import Settings
from bot.status import Status
from bot.versions import Versions

log = logging.getLogger("bot.web")


@dataclass
class MetricsSource:
    settings: Settings
    status: Callable[[], Status]

    def allows(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return False
        return ip.is_loopback or any(ip in ipaddress.ip_network(net) for net in self.settings.metrics_allow)

    def text(self) -> bytes:
        kept = lambda: len(Versions(self.settings.versions).all())  # noqa: E731
        return exposition(StatusCollector(self.status, kept))


class MetricsHandler(RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def get(self) -> None:
        source: MetricsSource = self.application.settings["metrics"]
        if not source.allows(self._client(source.settings)):
            self.set_status(HTTPStatus.NOT_FOUND)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("404 Not Found\n")
            return
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(source.text())

    def _client(self, settings: Settings) -> str:
        headers = self.request.headers
        forwarded = headers.get("X-Forwarded-For")
        if forwarded is None and headers.get("Forwarded") is None:
            return str(self.request.remote_ip)
        if settings.web_trust_proxy and forwarded:
            return forwarded.split(",")[-1].strip()
        return ""  # through a proxy we were not told to trust: nobody

    def check_xsrf_cookie(self) -> None:
        """GET only: nothing to guard."""


def start_metrics(
    settings: Settings, status: Callable[[], Status], sockets: list[socket.socket] | None = None
) -> HTTPServer | None:
    """METRICS_PORT: a server for `/metrics` alone on METRICS_HOST, or on `sockets` bound already (None when the
    setting is unset)."""
    if settings.metrics_port is None:
        return None
    application = Application([(r"/metrics", MetricsHandler)], metrics=MetricsSource(settings, status))
    server = HTTPServer(application)
    if sockets:
        server.add_sockets(sockets)
        return server
    server.listen(settings.metrics_port, settings.metrics_host)
    log.info("metrics on http://%s:%s/metrics", settings.metrics_host, settings.metrics_port)
    return server
