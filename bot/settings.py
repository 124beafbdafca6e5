"""Every setting of the bot, read once from the environment (and an optional `.env` file) and checked.

Each field of `Settings` states its variable once, with `setting(…)`: the
name, the default as written in the environment, what it is for and how its
text is read.  The field's default is that text read; `SETTINGS` lists them all
(`.env` is checked against it, and a test checks the README's settings table).
Each problem is explained in one sentence; the token is never repeated back.
Variables in the environment win over the same names in `.env`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.loader import DEFAULT_INTENTS, DEFAULT_KNOWLEDGE, PROJECT_ROOT
from bot.text import is_number

DEFAULT_API_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
STATUS_FILE = "nis-networks-bot.status.json"  # in $TMPDIR (else /tmp), unless BOT_STATUS_FILE says where
DEFAULT_WEB_PORT = 8080
MIN_STAFF_TOKEN = 16
_FALSE = {"0", "false", "no", "off", "не", "ne"}
_TRUE = {"1", "true", "yes", "on", "да", "da"}
# A host name (letters, digits and hyphens between dots: no `*`, no user, no query) with an optional port.
_HOST = re.compile(r"(?i)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?")

Parse = Callable[[str, str], Any]  # (the variable's name, its text) -> the value; raises SettingsError


class SettingsError(Exception):
    """A setting is missing or wrong; the message says what to do."""


@dataclass(frozen=True)
class Setting:
    """One variable of the environment and how its text becomes a field of `Settings`."""

    name: str
    default: str  # as written in the environment (and in the README); "" is unset
    meaning: str
    parse: Parse
    in_project: bool = False  # a path whose default is in the project's folder (one set is from the working one)

    def value(self, text: str) -> Any:
        """The value of the variable's text; empty or unset, the default's."""
        if text or not self.in_project:
            return self.parse(self.name, text or self.default)
        return PROJECT_ROOT / self.parse(self.name, self.default)


def setting(name: str, default: str, meaning: str, parse: Parse | None = None, in_project: bool = False) -> Any:
    """A field of `Settings` read from the variable `name` (as text when `parse` is not given)."""
    entry = Setting(name, default, meaning, parse or _text, in_project)
    return field(default=entry.value(""), metadata={"setting": entry})


def _text(name: str, text: str) -> str:
    return text


def _optional(name: str, text: str) -> str | None:
    return text or None


def _number(low: int, high: int, optional: bool = False) -> Parse:
    """A whole number from `low` to `high`; `optional`: unset is None."""

    def parse(name: str, text: str) -> int | None:
        if optional and not text:
            return None
        if not is_number(text) or not low <= int(text) <= high:
            raise SettingsError(f"{name} мора бити цео број између {low} и {high} (сада: {text!r}).")
        return int(text)

    return parse


def _api_url(name: str, text: str) -> str:
    if urlparse(text).scheme not in ("http", "https"):
        raise SettingsError(f"TELEGRAM_API_URL мора почети са http:// или https:// (сада: {text!r}).")
    return text


def _webhook_url(name: str, text: str) -> str | None:
    if text and urlparse(text).scheme != "https":
        raise SettingsError("WEBHOOK_URL мора бити https:// адреса коју Телеграм може да позове.")
    return text or None


def _log_level(name: str, text: str) -> str:
    level = text.upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL мора бити једно од: {', '.join(LOG_LEVELS)} (сада: {level!r}).")
    return level


def _log_format(name: str, text: str) -> str:
    kind = text.lower()
    if kind not in LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT мора бити text или json (сада: {kind!r}).")
    return kind


def _networks(name: str, text: str) -> tuple[str, ...]:
    """Addresses or CIDR networks, comma-separated, each checked (`10.0.0.0/8`, `192.168.1.5`, `fd00::/8`)."""
    import ipaddress  # here: only a command that sets an address list pays for the module (`ask` does not)

    found = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            found.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise SettingsError(
                f"{name}: „{part}“ није адреса ни мрежа (нпр. 10.0.0.5 или 10.0.0.0/8, одвојене зарезом)."
            ) from None
    return tuple(found)


def _secret(name: str, secret: str) -> str | None:
    if not secret:
        return None
    if len(secret) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in secret):
        raise SettingsError("WEBHOOK_SECRET сме да садржи само слова A-Z, a-z, цифре, _ и - (до 256 знакова).")
    return secret


def _staff_token(name: str, token: str) -> str | None:
    if token and (len(token) < MIN_STAFF_TOKEN or not token.isascii() or not token.isprintable()):
        raise SettingsError(
            f"WEB_STAFF_TOKEN мора имати бар {MIN_STAFF_TOKEN} знакова, само слова без квачица, цифре и знаке "
            "(на пример из: python -c 'import secrets; print(secrets.token_urlsafe(24))')."
        )
    return token or None


def _origins(name: str, text: str) -> tuple[str, ...]:
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


def _user_ids(name: str, text: str) -> frozenset[int]:
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not all(is_number(part) for part in parts):
        raise SettingsError(f"BOT_ADMIN_IDS су бројеви корисника у Телеграму, одвојени зарезом (сада: {text!r}).")
    return frozenset(int(part) for part in parts)


def _path(name: str, text: str) -> Path:
    return Path(text)


def _status_file(name: str, text: str) -> Path:
    # $TMPDIR when it is a folder, else /tmp: without importing tempfile (which every command would then pay)
    if text:
        return Path(text)
    folder = os.environ.get("TMPDIR", "")
    return Path(os.path.abspath(folder) if folder and os.path.isdir(folder) else "/tmp") / STATUS_FILE


def _switch(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} мора бити on или off (сада: {text!r}).")


def _in_project(path: Path) -> str:
    """A default path of the project as written in the environment (`knowledge/networks.yaml`)."""
    return path.relative_to(PROJECT_ROOT).as_posix()


@dataclass(frozen=True)
class Settings:
    """Every setting of the bot, read once from the environment and checked; each field says its variable."""

    token: str | None = setting(
        "TELEGRAM_BOT_TOKEN", "", "the bot's token from @BotFather; `run` needs it, `chat` and `ask` do not", _optional
    )
    api_url: str = setting(
        "TELEGRAM_API_URL", DEFAULT_API_URL, "Bot API base URL (tests and self-hosted Bot API servers)", _api_url
    )
    webhook_url: str | None = setting(
        "WEBHOOK_URL", "", "https URL Telegram calls; when set, webhook mode instead of long polling", _webhook_url
    )
    webhook_listen: str = setting("WEBHOOK_LISTEN", "0.0.0.0", "address the webhook server listens on")
    webhook_port: int = setting(
        "WEBHOOK_PORT", "8443", "port of the webhook server; `GET /healthz` answers there too", _number(1, 65535)
    )
    webhook_secret: str | None = setting(
        "WEBHOOK_SECRET", "", "secret token Telegram sends with each update; checked when set", _secret
    )
    admin_ids: frozenset[int] = setting(
        "BOT_ADMIN_IDS",
        "",
        "Telegram user ids (comma-separated) allowed /reload and /stats, told of bad edits",
        _user_ids,
    )
    data_dir: Path = setting(
        "BOT_DATA_DIR",
        "data",
        "folder for the SQLite database: inbox, conversation memory, unanswered questions, votes",
        _path,
        in_project=True,
    )
    retention_days: int = setting(
        "BOT_RETENTION_DAYS", "180", "unanswered questions older than this are deleted", _number(1, 36500)
    )
    knowledge: Path = setting(
        "BOT_KNOWLEDGE", _in_project(DEFAULT_KNOWLEDGE), "the knowledge file", _path, in_project=True
    )
    intents: Path = setting(
        "BOT_INTENTS", _in_project(DEFAULT_INTENTS), "the folder of intent files", _path, in_project=True
    )
    chat_quota: int = setting(
        "BOT_CHAT_QUOTA",
        "20",
        "messages a minute a private chat gets answered; over it, one 'slow down' (0: off)",
        _number(0, 10000),
    )
    memory_minutes: int = setting(
        "BOT_MEMORY_MINUTES",
        "30",
        "a conversation's context (network, intent, script) is forgotten after this silence",
        _number(1, 7 * 24 * 60),
    )
    status_file: Path = setting(
        "BOT_STATUS_FILE",
        "",
        f"status file the health check reads (default: {STATUS_FILE} in $TMPDIR if a folder, else /tmp)",
        _status_file,
    )
    reload_seconds: float = setting(
        "BOT_RELOAD_SECONDS", "2", "how often the running bot looks for edited files (0: never)", _number(0, 3600)
    )
    answer_cache: int = setting(
        "BOT_ANSWER_CACHE",
        "2048",
        "answers kept for a question asked again word for word in the same context (0: off)",
        _number(0, 1_000_000),
    )
    rate_limiter: bool = setting(
        "BOT_RATE_LIMITER",
        "on",
        "python-telegram-bot's AIORateLimiter with flood-control retries (off for benchmarks)",
        _switch,
    )
    web_host: str = setting(
        "WEB_HOST", "127.0.0.1", "address the web chat, its API and /staff listen on (0.0.0.0 in the image)"
    )
    web_port: int | None = setting(
        "WEB_PORT",
        "",
        "port of the web side; `web` uses 8080 when unset, `run` serves it beside Telegram when set",
        _number(1, 65535, optional=True),
    )
    web_staff_token: str | None = setting(
        "WEB_STAFF_TOKEN",
        "",
        "password of the /staff page (at least 16 characters); unset: the page does not exist",
        _staff_token,
    )
    web_trust_proxy: bool = setting(
        "WEB_TRUST_PROXY",
        "off",
        "on: the client address is the last X-Forwarded-For entry (behind the city's proxy)",
        _switch,
    )
    web_embed_origins: tuple[str, ...] = setting(
        "WEB_EMBED_ORIGINS",
        "",
        "sites allowed to show the chat page in a frame, e.g. `https://www.ni.rs` (unset: none)",
        _origins,
    )
    web_quota: int = setting(
        "WEB_QUOTA",
        "20",
        "questions a minute one client address may ask the web API; over it, 429 (0: off)",
        _number(0, 10000),
    )
    web_processes: int = setting(
        "WEB_PROCESSES",
        "1",
        "web processes answering on WEB_PORT, sharing memory and quotas through the database",
        _number(1, 64),
    )
    metrics_allow: tuple[str, ...] = setting(
        "METRICS_ALLOW",
        "",
        "addresses or networks (CIDR, comma-separated) besides loopback allowed GET /metrics",
        _networks,
    )
    metrics_port: int | None = setting(
        "METRICS_PORT",
        "",
        "port for GET /metrics alone (Telegram without WEB_PORT); with WEB_PORT it is there too",
        _number(1, 65535, optional=True),
    )
    metrics_host: str = setting("METRICS_HOST", "127.0.0.1", "address METRICS_PORT listens on")
    log_level: str = setting(
        "LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR; question texts are logged only at DEBUG", _log_level
    )
    log_format: str = setting(
        "LOG_FORMAT", "text", "`text` (readable lines) or `json` (one JSON object per line)", _log_format
    )

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
        """Each setting read from its variable (spaces trimmed), then the ones that must agree checked together."""
        settings = cls(**{field: entry.value(env.get(entry.name, "").strip()) for field, entry in _FIELDS.items()})
        if settings.webhook_url and settings.web_port == settings.webhook_port:
            raise SettingsError(
                f"WEB_PORT и WEBHOOK_PORT су исти ({settings.web_port}): страница за разговор и Телеграм не могу на "
                "исти порт."
            )
        if settings.web_processes > 1 and settings.reload_seconds == 0:
            raise SettingsError(
                "WEB_PROCESSES већи од 1 тражи BOT_RELOAD_SECONDS већи од 0: измену сачувану на /staff иначе "
                "учита само процес који ју је сачувао."
            )
        return settings


_FIELDS: dict[str, Setting] = {f.name: f.metadata["setting"] for f in fields(Settings)}  # field name -> its variable
SETTINGS: tuple[Setting, ...] = tuple(_FIELDS.values())
KNOWN = {entry.name for entry in SETTINGS}


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
