"""`GET /metrics` for Prometheus, never public by accident: answered only to loopback and METRICS_ALLOW.

It is served on the web port (WEB_PORT) and, with METRICS_PORT, on a port of
its own (METRICS_HOST, loopback by default) — the one to use for a Telegram bot
without the web side, in polling or webhook mode.  Anyone else gets the same
404 as any unknown path.  A scraper connects directly, so a request that
carries any proxy header (X-Forwarded-For, Forwarded, X-Real-IP, Via…) is
refused whatever WEB_TRUST_PROXY says: a forwarded address can be made up, and a
proxy on the same host would make every visitor look like loopback.  (A proxy
that adds none of these headers must not pass /metrics on: docs/operations.md.)
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.http_limits import GuardedHTTPServer
from bot.metrics import CONTENT_TYPE_LATEST, exposition
from bot.settings import Settings
from bot.status import Status
from bot.versions import Versions
from bot.web.base import content_security_policy, embedders

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

log = logging.getLogger("bot.web")


class StatusCollector(Collector):
    """What is read from the running bot when scraped: the inbox, the knowledge version, the kept versions."""

    def __init__(self, status: Callable[[], Status], kept_versions: Callable[[], int]):
        self.status, self.kept_versions = status, kept_versions

    def collect(self) -> Iterator[Metric]:
        status = self.status()
        yield GaugeMetricFamily("nis_inbox_waiting", "Telegram updates received and not yet answered", status.waiting)
        yield GaugeMetricFamily(
            "nis_inbox_oldest_waiting_seconds", "Age of the oldest update waiting (0: none)", status.oldest_waiting
        )
        info = GaugeMetricFamily("nis_knowledge_info", "The knowledge version answering (always 1)", labels=["version"])
        info.add_metric([status.knowledge_version], 1)
        yield info
        yield GaugeMetricFamily("nis_knowledge_networks", "Networks in the knowledge answering", status.networks)
        yield GaugeMetricFamily("nis_versions_kept", "Last good versions kept for restore", self.kept_versions())
        yield GaugeMetricFamily("nis_storage_ok", "1 while the database is written, 0 while not", status.storage.ok)


@dataclass
class MetricsSource:
    """What /metrics serves from: the settings that say who may read it, and the status."""

    settings: Settings
    status: Callable[[], Status]

    def allows(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        return ip.is_loopback or any(ip in ipaddress.ip_network(net) for net in self.settings.metrics_allow)

    def text(self) -> bytes:
        kept = lambda: len(Versions(self.settings.versions).all())  # noqa: E731
        return exposition(StatusCollector(self.status, kept))


PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP", "Via", "X-Forwarded-Host", "X-Forwarded-Proto")


class MetricsHandler(RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD")

    def set_default_headers(self) -> None:
        """The headers of every other page, so a refused /metrics looks like any unknown path."""
        self.clear_header("Server")
        origins = self.application.settings["metrics"].settings.web_embed_origins
        self.set_header("Content-Security-Policy", content_security_policy(embedders(origins)))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cross-Origin-Opener-Policy", "same-origin")

    def get(self) -> None:
        source: MetricsSource = self.application.settings["metrics"]
        if any(header in self.request.headers for header in PROXY_HEADERS) or not source.allows(
            str(self.request.remote_ip)
        ):  # a scraper connects directly; anything through a proxy is refused, whatever WEB_TRUST_PROXY says
            self.set_status(HTTPStatus.NOT_FOUND)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("404 Not Found\n")
            return
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(source.text())

    def head(self) -> None:
        self.get()

    def check_xsrf_cookie(self) -> None:
        """GET only: nothing to guard."""


def start_metrics(
    settings: Settings, status: Callable[[], Status], sockets: list[socket.socket] | None = None
) -> HTTPServer | None:
    """METRICS_PORT: a server for `/metrics` alone on METRICS_HOST, or on `sockets` bound already (None when the
    setting is unset)."""
    if settings.metrics_port is None:
        return None
    application = Application(
        [(r"/metrics", MetricsHandler)],
        metrics=MetricsSource(settings, status),
        log_function=lambda handler: None,  # no access log: it would carry addresses
    )
    server = GuardedHTTPServer(application, max_body_size=1024)  # the same time limits as every other port
    if sockets:
        server.add_sockets(sockets)
        return server
    server.listen(settings.metrics_port, settings.metrics_host)
    log.info("metrics on http://%s:%s/metrics", settings.metrics_host, settings.metrics_port)
    return server
