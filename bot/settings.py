"""Settings for running the Telegram bot, read from the environment and checked at start.

Each problem is explained in one sentence; the token is never repeated back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

DEFAULT_API_URL = "https://api.telegram.org/bot"
_FALSE = {"0", "false", "no", "off", "не", "ne"}
_TRUE = {"1", "true", "yes", "on", "да", "da"}


class SettingsError(Exception):
    """A setting is missing or wrong; the message says what to do."""


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    api_url: str = DEFAULT_API_URL
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    rate_limiter: bool = True

    @property
    def file_url(self) -> str:
        """Where the Bot API serves files: `…/file/bot` beside `…/bot`."""
        base = self.api_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url).path.lstrip("/") if self.webhook_url else ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TelegramSettings:
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN није постављен: направите бота код @BotFather у Телеграму и ставите његов "
                "токен у TELEGRAM_BOT_TOKEN (без токена ради разговор у конзоли: python -m bot chat)."
            )
        api_url = env.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
        if urlparse(api_url).scheme not in ("http", "https"):
            raise SettingsError(f"TELEGRAM_API_URL мора почети са http:// или https:// (сада: {api_url!r}).")
        webhook_url = env.get("WEBHOOK_URL", "").strip() or None
        if webhook_url and urlparse(webhook_url).scheme != "https":
            raise SettingsError("WEBHOOK_URL мора бити https:// адреса коју Телеграм може да позове.")
        return cls(
            token=token,
            api_url=api_url,
            webhook_url=webhook_url,
            webhook_listen=env.get("WEBHOOK_LISTEN", "0.0.0.0").strip() or "0.0.0.0",
            webhook_port=_port(env.get("WEBHOOK_PORT", "8443")),
            webhook_secret=_secret(env.get("WEBHOOK_SECRET", "").strip() or None),
            rate_limiter=_switch("BOT_RATE_LIMITER", env.get("BOT_RATE_LIMITER", "on")),
        )


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 0 < int(text) < 65536:
        raise SettingsError(f"WEBHOOK_PORT мора бити број између 1 и 65535 (сада: {text!r}).")
    return int(text)


def _secret(secret: str | None) -> str | None:
    if secret is None:
        return None
    if len(secret) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in secret):
        raise SettingsError("WEBHOOK_SECRET сме да садржи само слова A-Z, a-z, цифре, _ и - (до 256 знакова).")
    return secret


def _switch(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} мора бити on или off (сада: {text!r}).")
