"""What every web handler shares: the `Site` (engine, counters, limits) and the security headers.

Every response carries a Content-Security-Policy that allows scripts and styles
only from this server (no inline script), `X-Content-Type-Options: nosniff`, a
Referrer-Policy, and `frame-ancestors` limited to WEB_EMBED_ORIGINS.  Nothing
about a request (address, path, body) is logged above DEBUG.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from tornado.web import RequestHandler

from bot.accounts import accounts_path
from bot.conversation import Door
from bot.memory import Conversations, Memory
from bot.quota import ChatQuota, Quota
from bot.recording import WEB, Recorder
from bot.reloader import LiveKnowledge
from bot.settings import Settings
from bot.status import Status
from bot.web.gate import Session, StaffGate
from bot.web.shared import SharedConversations, SharedFile, SharedQuota, SharedSessions

log = logging.getLogger("bot.web")


@dataclass
class Site:
    """The web side's shared state; one per server."""

    settings: Settings
    live: LiveKnowledge
    recorder: Recorder
    status: Callable[[], Status]
    door: Door[str] = field(init=False)  # every question and vote of the API goes through it
    staff_gate: StaffGate | None = field(init=False)  # None: no token, no accounts: /staff does not exist

    def __post_init__(self) -> None:
        settings = self.settings
        sessions = None
        memory: Memory[str]
        quota: Quota | None
        if settings.web_processes > 1:  # any process may get any turn: shared through a file (bot/web/shared.py)
            shared = SharedFile(settings.data_dir)
            memory = SharedConversations(shared, settings.memory_minutes * 60)
            quota = SharedQuota(shared, settings.web_quota) if settings.web_quota else None
            sessions = SharedSessions(shared, Session)
        else:
            memory = Conversations(settings.memory_minutes * 60)
            quota = ChatQuota(settings.web_quota) if settings.web_quota else None
        self.door = Door(WEB, self.live, memory, self.recorder, quota)
        accounts = accounts_path(settings.data_dir)
        # /staff exists with WEB_STAFF_TOKEN or once an account was added (`staff add`; the first one needs a restart)
        staffed = settings.web_staff_token or accounts.exists()
        self.staff_gate = StaffGate(settings.web_staff_token, accounts=accounts, sessions=sessions) if staffed else None


def content_security_policy(frame_ancestors: str) -> str:
    """Everything from this server only, no inline script; `frame_ancestors`: who may show it in a frame."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        f"form-action 'self'; base-uri 'none'; frame-ancestors {frame_ancestors}"
    )


def embedders(embed_origins: tuple[str, ...]) -> str:
    """The page itself and the sites in WEB_EMBED_ORIGINS."""
    return " ".join(("'self'", *embed_origins))


class BaseHandler(RequestHandler):
    @property
    def site(self) -> Site:
        site: Site = self.application.settings["site"]
        return site

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        policy = content_security_policy(embedders(self.site.settings.web_embed_origins))
        self.set_header("Content-Security-Policy", policy)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cross-Origin-Opener-Policy", "same-origin")

    def same_site(self, origin: str) -> bool:
        """Whether a browser's `Origin` is this server (its host and port as the request names them; behind
        a TLS proxy the scheme differs, so it is not compared) or one of WEB_EMBED_ORIGINS, exactly."""
        if origin.rstrip("/") in self.site.settings.web_embed_origins:
            return True
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        host = self.request.headers.get("X-Forwarded-Host") if self.site.settings.web_trust_proxy else None
        own = (host or self.request.host or "").lower()
        return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.netloc.lower() == own

    def client_address(self) -> str:
        """The client's address: the socket's peer, or, behind the city's proxy (WEB_TRUST_PROXY), the last
        X-Forwarded-For entry, the one the proxy itself added (earlier entries are the client's own claim)."""
        if self.site.settings.web_trust_proxy:
            forwarded = [part.strip() for part in self.request.headers.get("X-Forwarded-For", "").split(",")]
            if forwarded[-1]:
                return forwarded[-1]
        return str(self.request.remote_ip)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A short plain page for errors; never the traceback."""
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {HTTPStatus(status_code).phrase}\n")

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, Exception) and not hasattr(value, "status_code"):
            log.error("web request failed: %s: %s", type(value).__name__, value, exc_info=(typ, value, tb))
