"""Every setting of the bot, read once from the environment (and an optional `.env` file) and checked.

`SETTINGS` below is the single list of what can be set: its name, default and
meaning (the README's settings table is checked against it by a test).  Each
problem is explained in one sentence; the token is never repeated back.
Variables in the environment win over the same names in `.env`.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.loader import DEFAULT_INTENTS, DEFAULT_KNOWLEDGE, PROJECT_ROOT
from bot.text import is_number

DEFAULT_API_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
_FALSE = {"0", "false", "no", "off", "не", "ne"}
_TRUE = {"1", "true", "yes", "on", "да", "da"}

# name, default (as written in the environment), meaning
SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("TELEGRAM_BOT_TOKEN", "", "the bot's token from @BotFather; `run` needs it, `chat` and `ask` do not"),
    ("TELEGRAM_API_URL", DEFAULT_API_URL, "Bot API base URL (tests and self-hosted Bot API servers)"),
    ("WEBHOOK_URL", "", "https URL Telegram calls; when set, webhook mode instead of long polling"),
    ("WEBHOOK_LISTEN", "0.0.0.0", "address the webhook server listens on"),
    ("WEBHOOK_PORT", "8443", "port of the webhook server; `GET /healthz` answers there too"),
    ("WEBHOOK_SECRET", "", "secret token Telegram sends with each update; checked when set"),
    ("BOT_ADMIN_IDS", "", "Telegram user ids (comma-separated) allowed /reload and /stats, told of bad edits"),
    ("BOT_DATA_DIR", "data", "folder for the SQLite database: inbox, conversation memory, unanswered questions, votes"),
    ("BOT_RETENTION_DAYS", "180", "unanswered questions older than this are deleted"),
    ("BOT_KNOWLEDGE", "knowledge/networks.yaml", "the knowledge file"),
    ("BOT_INTENTS", "intents", "the folder of intent files"),
    ("BOT_CHAT_QUOTA", "20", "messages a minute a private chat gets answered; over it, one 'slow down' (0: off)"),
    ("BOT_MEMORY_MINUTES", "30", "a conversation's context (network, intent, script) is forgotten after this silence"),
    ("BOT_STATUS_FILE", "", "status file the health check reads (default: nis-networks-bot.status.json in temp)"),
    ("BOT_RELOAD_SECONDS", "2", "how often the running bot looks for edited files (0: never)"),
    (
        "BOT_ANSWER_CACHE",
        "2048",
        "answers kept for a question asked again word for word in the same context (0: off)",
    ),
    ("BOT_RATE_LIMITER", "on", "python-telegram-bot's AIORateLimiter with flood-control retries (off for benchmarks)"),
    ("WEB_HOST", "127.0.0.1", "address the web chat, its API and /staff listen on (0.0.0.0 in the image)"),
    ("WEB_PORT", "", "port of the web side; `web` uses 8080 when unset, `run` serves it beside Telegram when set"),
    ("WEB_STAFF_TOKEN", "", "password of the /staff page (at least 16 characters); unset: the page does not exist"),
    ("WEB_TRUST_PROXY", "off", "on: the client address is the last X-Forwarded-For entry (behind the city's proxy)"),
    ("WEB_EMBED_ORIGINS", "", "sites allowed to show the chat page in a frame, e.g. `https://www.ni.rs` (unset: none)"),
    ("WEB_QUOTA", "20", "questions a minute one client address may ask the web API; over it, 429 (0: off)"),
    ("WEB_PROCESSES", "1", "web processes answering on WEB_PORT, sharing memory and quotas through the database"),
    ("METRICS_ALLOW", "", "addresses or networks (CIDR, comma-separated) besides loopback allowed GET /metrics"),
    ("METRICS_PORT", "", "port for GET /metrics alone (Telegram without WEB_PORT); with WEB_PORT it is there too"),
    ("METRICS_HOST", "127.0.0.1", "address METRICS_PORT listens on"),
    ("LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR; question texts are logged only at DEBUG"),
    ("LOG_FORMAT", "text", "`text` (readable lines) or `json` (one JSON object per line)"),
)
KNOWN = {name for name, _, _ in SETTINGS}
DEFAULT_WEB_PORT = 8080
MIN_STAFF_TOKEN = 16


# A host name (letters, digits and hyphens between dots: no `*`, no user, no query) with an optional port.
_HOST = re.compile(r"(?i)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?")


class SettingsError(Exception):
    """A setting is missing or wrong; the message says what to do."""


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    api_url: str = DEFAULT_API_URL
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    admin_ids: frozenset[int] = frozenset()
    data_dir: Path = PROJECT_ROOT / "data"
    retention_days: int = 180
    knowledge: Path = DEFAULT_KNOWLEDGE
    intents: Path = DEFAULT_INTENTS
    reload_seconds: float = 2.0
    chat_quota: int = 20
    memory_minutes: int = 30
    status_file: Path = Path(tempfile.gettempdir()) / "nis-networks-bot.status.json"
    rate_limiter: bool = True
    answer_cache: int = 2048
    web_host: str = "127.0.0.1"
    web_port: int | None = None
    web_staff_token: str | None = None
    web_trust_proxy: bool = False
    web_embed_origins: tuple[str, ...] = ()
    web_quota: int = 20
    web_processes: int = 1
    metrics_allow: tuple[str, ...] = ()  # networks besides loopback that may scrape /metrics
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    log_level: str = "INFO"
    log_format: str = "text"

    @property
    def model_cache(self) -> Path:
        """Where the trained intent classifier is kept, so an unchanged restart skips training."""
        return self.data_dir / "models"

    @property
    def versions(self) -> Path:
        """Where the last good versions of knowledge/ and intents/ are kept (`versions`, `restore`)."""
        return self.data_dir / "versions"

    @property
    def backups(self) -> Path:
        """Where `restore` puts the files it replaces."""
        return self.data_dir / "backups"

    @property
    def file_url(self) -> str:
        """Where the Bot API serves files: `…/file/bot` beside `…/bot`."""
        base = self.api_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url).path.lstrip("/") if self.webhook_url else ""

    def require_token(self) -> str:
        if not self.token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN није постављен: направите бота код @BotFather у Телеграму и ставите његов "
                "токен у TELEGRAM_BOT_TOKEN (без токена ради разговор у конзоли: python -m bot chat)."
            )
        return self.token

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
        """Settings from `dotenv` (when the file exists) overlaid with `env` (default: the process environment)."""
        values = read_dotenv(dotenv) if dotenv is not None and dotenv.is_file() else {}
        values |= {k: v for k, v in (os.environ if env is None else env).items() if k in KNOWN}
        return cls.from_env(values)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def get(name: str) -> str:
            return env.get(name, "").strip()

        api_url = get("TELEGRAM_API_URL") or DEFAULT_API_URL
        if urlparse(api_url).scheme not in ("http", "https"):
            raise SettingsError(f"TELEGRAM_API_URL мора почети са http:// или https:// (сада: {api_url!r}).")
        webhook_url = get("WEBHOOK_URL") or None
        if webhook_url and urlparse(webhook_url).scheme != "https":
            raise SettingsError("WEBHOOK_URL мора бити https:// адреса коју Телеграм може да позове.")
        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL мора бити једно од: {', '.join(LOG_LEVELS)} (сада: {log_level!r}).")
        log_format = (get("LOG_FORMAT") or "text").lower()
        if log_format not in LOG_FORMATS:
            raise SettingsError(f"LOG_FORMAT мора бити text или json (сада: {log_format!r}).")
        webhook_port = _number("WEBHOOK_PORT", get("WEBHOOK_PORT") or "8443", 1, 65535)
        web_port = _number("WEB_PORT", get("WEB_PORT"), 1, 65535) if get("WEB_PORT") else None
        if webhook_url and web_port == webhook_port:
            raise SettingsError(
                f"WEB_PORT и WEBHOOK_PORT су исти ({web_port}): страница за разговор и Телеграм не могу на исти порт."
            )
        reload_seconds = _number("BOT_RELOAD_SECONDS", get("BOT_RELOAD_SECONDS") or "2", 0, 3600)
        web_processes = _number("WEB_PROCESSES", get("WEB_PROCESSES") or "1", 1, 64)
        if web_processes > 1 and reload_seconds == 0:
            raise SettingsError(
                "WEB_PROCESSES већи од 1 тражи BOT_RELOAD_SECONDS већи од 0: измену сачувану на /staff иначе "
                "учита само процес који ју је сачувао."
            )
        return cls(
            token=get("TELEGRAM_BOT_TOKEN") or None,
            api_url=api_url,
            webhook_url=webhook_url,
            webhook_listen=get("WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=webhook_port,
            webhook_secret=_secret(get("WEBHOOK_SECRET") or None),
            admin_ids=_user_ids(get("BOT_ADMIN_IDS")),
            data_dir=_path(get("BOT_DATA_DIR"), PROJECT_ROOT / "data"),
            retention_days=_number("BOT_RETENTION_DAYS", get("BOT_RETENTION_DAYS") or "180", 1, 36500),
            knowledge=_path(get("BOT_KNOWLEDGE"), DEFAULT_KNOWLEDGE),
            intents=_path(get("BOT_INTENTS"), DEFAULT_INTENTS),
            reload_seconds=reload_seconds,
            chat_quota=_number("BOT_CHAT_QUOTA", get("BOT_CHAT_QUOTA") or "20", 0, 10000),
            memory_minutes=_number("BOT_MEMORY_MINUTES", get("BOT_MEMORY_MINUTES") or "30", 1, 7 * 24 * 60),
            status_file=_path(get("BOT_STATUS_FILE"), cls.status_file),
            rate_limiter=_switch("BOT_RATE_LIMITER", get("BOT_RATE_LIMITER") or "on"),
            answer_cache=_number("BOT_ANSWER_CACHE", get("BOT_ANSWER_CACHE") or "2048", 0, 1_000_000),
            web_host=get("WEB_HOST") or "127.0.0.1",
            web_port=web_port,
            web_staff_token=_staff_token(get("WEB_STAFF_TOKEN") or None),
            web_trust_proxy=_switch("WEB_TRUST_PROXY", get("WEB_TRUST_PROXY") or "off"),
            web_embed_origins=_origins(get("WEB_EMBED_ORIGINS")),
            web_quota=_number("WEB_QUOTA", get("WEB_QUOTA") or "20", 0, 10000),
            web_processes=web_processes,
            metrics_allow=_networks("METRICS_ALLOW", get("METRICS_ALLOW")),
            metrics_port=_number("METRICS_PORT", get("METRICS_PORT") or "", 1, 65535) if get("METRICS_PORT") else None,
            metrics_host=get("METRICS_HOST") or "127.0.0.1",
            log_level=log_level,
            log_format=log_format,
        )


def read_dotenv(path: Path) -> dict[str, str]:
    """`NAME=value` lines; `#` comments, blank lines, `export ` and surrounding quotes allowed."""
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name.isidentifier():
            raise SettingsError(f"{path}:{number}: ред мора бити облика ИМЕ=вредност (нпр. LOG_LEVEL=INFO).")
        if name not in KNOWN:
            raise SettingsError(
                f"{path}:{number}: непознато подешавање {name}; позната су: {', '.join(sorted(KNOWN))}."
            )
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def _number(name: str, text: str, low: int, high: int) -> int:
    if not is_number(text) or not low <= int(text) <= high:
        raise SettingsError(f"{name} мора бити цео број између {low} и {high} (сада: {text!r}).")
    return int(text)


def _networks(name: str, text: str | None) -> tuple[str, ...]:
    """Addresses or CIDR networks, comma-separated, each checked (`10.0.0.0/8`, `192.168.1.5`, `fd00::/8`)."""
    found = []
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        try:
            found.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise SettingsError(
                f"{name}: „{part}“ није адреса ни мрежа (нпр. 10.0.0.5 или 10.0.0.0/8, одвојене зарезом)."
            ) from None
    return tuple(found)


def _secret(secret: str | None) -> str | None:
    if secret is None:
        return None
    if len(secret) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in secret):
        raise SettingsError("WEBHOOK_SECRET сме да садржи само слова A-Z, a-z, цифре, _ и - (до 256 знакова).")
    return secret


def _staff_token(token: str | None) -> str | None:
    if token is not None and (len(token) < MIN_STAFF_TOKEN or not token.isascii() or not token.isprintable()):
        raise SettingsError(
            f"WEB_STAFF_TOKEN мора имати бар {MIN_STAFF_TOKEN} знакова, само слова без квачица, цифре и знаке "
            "(на пример из: python -c 'import secrets; print(secrets.token_urlsafe(24))')."
        )
    return token


def _origins(text: str) -> tuple[str, ...]:
    """`https://www.ni.rs https://ni.rs` (spaces or commas): the sites that may frame the chat page."""
    origins = tuple(part for part in text.replace(",", " ").split() if part)
    for origin in origins:
        parsed = urlparse(origin)
        if (
            parsed.scheme not in ("http", "https")
            or not _HOST.fullmatch(parsed.netloc)
            or parsed.path not in ("", "/")
            or parsed.query
            or parsed.fragment
        ):
            raise SettingsError(
                f"WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: {origin!r})."
            )
    return tuple(origin.rstrip("/") for origin in origins)


def _user_ids(text: str) -> frozenset[int]:
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not all(is_number(part) for part in parts):
        raise SettingsError(f"BOT_ADMIN_IDS су бројеви корисника у Телеграму, одвојени зарезом (сада: {text!r}).")
    return frozenset(int(part) for part in parts)


def _path(text: str, default: Path) -> Path:
    return Path(text) if text else default


def _switch(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} мора бити on или off (сада: {text!r}).")
