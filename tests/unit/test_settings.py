"""Settings: read from the environment and `.env`, checked at start, explained without the token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.loader import PROJECT_ROOT
from bot.settings import SETTINGS, Settings, SettingsError, read_dotenv


def test_settings_from_the_environment() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_API_URL": "http://127.0.0.1:9/bot"})
    assert settings.file_url == "http://127.0.0.1:9/file/bot"
    assert settings.rate_limiter and settings.webhook_url is None and settings.admin_ids == frozenset()
    hooked = Settings.from_env(
        {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "s3cr-t_", "BOT_ADMIN_IDS": "12, 34"}
    )
    assert (hooked.webhook_path, hooked.webhook_secret) == ("hook", "s3cr-t_")
    assert hooked.admin_ids == {12, 34}


def test_token_is_needed_only_to_run() -> None:
    settings = Settings.from_env({})
    assert settings.token is None
    with pytest.raises(SettingsError, match="@BotFather"):
        settings.require_token()


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_URL": "http://insecure"}, "https://"),
        ({"WEBHOOK_SECRET": "no spaces"}, "WEBHOOK_SECRET"),
        ({"TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL"),
        ({"BOT_RATE_LIMITER": "maybe"}, "BOT_RATE_LIMITER"),
        ({"BOT_ADMIN_IDS": "@marko"}, "BOT_ADMIN_IDS"),
        ({"BOT_RETENTION_DAYS": "0"}, "BOT_RETENTION_DAYS"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_settings_are_explained_without_the_token(env: dict[str, str], complaint: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:secret", **env})
    assert complaint in str(error.value) and "1:secret" not in str(error.value)


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        '# settings for the test\nexport TELEGRAM_BOT_TOKEN="1:from-file"\nLOG_LEVEL=debug\n\nBOT_ADMIN_IDS=7\n',
        encoding="utf-8",
    )
    settings = Settings.load({"LOG_LEVEL": "WARNING", "UNRELATED": "x"}, dotenv)
    assert (settings.token, settings.log_level, settings.admin_ids) == ("1:from-file", "WARNING", {7})


@pytest.mark.parametrize(("line", "complaint"), [("LOG_LEVEL INFO", "ИМЕ=вредност"), ("LOG_LEVL=INFO", "LOG_LEVL")])
def test_a_bad_dotenv_line_is_named_by_its_number(tmp_path: Path, line: str, complaint: str) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"# first\n{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(complaint)) as error:
        Settings.load({}, dotenv)
    assert f"{dotenv}:2:" in str(error.value)


def test_the_readme_table_is_the_settings_the_code_reads() -> None:
    """The README's settings table (where `python -m bot --help`, the Dockerfile and docs/operations.md send
    operators) holds exactly SETTINGS, in its order, each with the default the code uses."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]*) \|", readme, re.MULTILINE)
    assert [name for name, _ in rows] == [s.name for s in SETTINGS], "the table's settings are not the code's"
    for (name, shown), setting in zip(rows, SETTINGS, strict=True):
        default = setting.default
        assert shown.strip().strip("`") == (default or "—"), f"{name}: README says {shown!r}, the code {default!r}"


def test_every_setting_is_read_from_its_own_variable(tmp_path: Path) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": "9:tok",
        "TELEGRAM_API_URL": "https://bot-api.example.org/bot",
        "WEBHOOK_URL": "https://bot.example.org/path/hook",
        "WEBHOOK_LISTEN": "127.0.0.2",
        "WEBHOOK_PORT": "8444",
        "WEBHOOK_SECRET": "A-z_09",
        "BOT_ADMIN_IDS": "5; 6,7",
        "BOT_DATA_DIR": str(tmp_path / "d"),
        "BOT_RETENTION_DAYS": "30",
        "BOT_KNOWLEDGE": str(tmp_path / "k.yaml"),
        "BOT_INTENTS": str(tmp_path / "i"),
        "BOT_RELOAD_SECONDS": "7",
        "BOT_CHAT_QUOTA": "3",
        "BOT_MEMORY_MINUTES": "45",
        "BOT_STATUS_FILE": str(tmp_path / "s.json"),
        "BOT_RATE_LIMITER": "off",
        "LOG_LEVEL": "warning",
        "LOG_FORMAT": "JSON",
    }
    s = Settings.load({name: f"  {value} " for name, value in env.items()}, dotenv=None)  # spaces are trimmed
    assert (s.token, s.api_url, s.webhook_url, s.webhook_listen) == (
        "9:tok",
        "https://bot-api.example.org/bot",
        "https://bot.example.org/path/hook",
        "127.0.0.2",
    )
    assert (s.webhook_port, s.webhook_secret, s.admin_ids) == (8444, "A-z_09", {5, 6, 7})
    assert (s.data_dir, s.knowledge, s.intents, s.status_file) == (
        tmp_path / "d",
        tmp_path / "k.yaml",
        tmp_path / "i",
        tmp_path / "s.json",
    )
    assert (s.retention_days, s.reload_seconds, s.chat_quota, s.memory_minutes) == (30, 7, 3, 45)
    assert (s.rate_limiter, s.log_level, s.log_format) == (False, "WARNING", "json")
    assert (s.model_cache, s.versions, s.backups) == (
        tmp_path / "d" / "models",
        tmp_path / "d" / "versions",
        tmp_path / "d" / "backups",
    )
    assert s.file_url == "https://bot-api.example.org/file/bot" and s.webhook_path == "path/hook"


def test_without_any_variable_every_setting_has_its_default() -> None:
    s = Settings.from_env({})
    assert (s.token, s.api_url, s.webhook_url, s.webhook_listen, s.webhook_port) == (
        None,
        "https://api.telegram.org/bot",
        None,
        "0.0.0.0",
        8443,
    )
    assert (s.webhook_secret, s.admin_ids, s.retention_days, s.reload_seconds) == (None, frozenset(), 180, 2)
    assert (s.chat_quota, s.memory_minutes, s.rate_limiter, s.log_level, s.log_format) == (20, 30, True, "INFO", "text")
    assert (s.data_dir, s.knowledge, s.intents) == (
        PROJECT_ROOT / "data",
        PROJECT_ROOT / "knowledge" / "networks.yaml",
        PROJECT_ROOT / "intents",
    )
    assert s.status_file.name == "nis-networks-bot.status.json"


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("WEBHOOK_PORT", 1, 65535),
        ("BOT_RETENTION_DAYS", 1, 36500),  # a day to a hundred years
        ("BOT_RELOAD_SECONDS", 0, 3600),  # 0: never
        ("BOT_CHAT_QUOTA", 0, 10000),  # 0: off
        ("BOT_MEMORY_MINUTES", 1, 7 * 24 * 60),  # a minute to a week
    ],
)
def test_numbers_are_accepted_up_to_their_bounds_and_refused_beyond(name: str, low: int, high: int) -> None:
    field = {"WEBHOOK_PORT": "webhook_port", "BOT_RETENTION_DAYS": "retention_days"}.get(name)
    field = field or {"BOT_RELOAD_SECONDS": "reload_seconds", "BOT_CHAT_QUOTA": "chat_quota"}.get(name)
    field = field or "memory_minutes"
    for accepted in (low, high):
        assert getattr(Settings.from_env({name: str(accepted)}), field) == accepted
    for refused in (str(low - 1), str(high + 1), "12a"):
        with pytest.raises(SettingsError) as error:
            Settings.from_env({name: refused})
        assert str(error.value) == f"{name} мора бити цео број између {low} и {high} (сада: {refused!r})."


def test_the_messages_say_exactly_what_to_fix() -> None:
    cases = {
        "TELEGRAM_API_URL": ("ftp://x", "TELEGRAM_API_URL мора почети са http:// или https:// (сада: 'ftp://x')."),
        "WEBHOOK_URL": ("http://x", "WEBHOOK_URL мора бити https:// адреса коју Телеграм може да позове."),
        "LOG_LEVEL": ("loud", "LOG_LEVEL мора бити једно од: DEBUG, INFO, WARNING, ERROR (сада: 'LOUD')."),
        "LOG_FORMAT": ("XML", "LOG_FORMAT мора бити text или json (сада: 'xml')."),
        "BOT_RATE_LIMITER": ("maybe", "BOT_RATE_LIMITER мора бити on или off (сада: 'maybe')."),
        "BOT_ADMIN_IDS": ("7, @m", "BOT_ADMIN_IDS су бројеви корисника у Телеграму, одвојени зарезом (сада: '7, @m')."),
        "WEBHOOK_SECRET": ("a b", "WEBHOOK_SECRET сме да садржи само слова A-Z, a-z, цифре, _ и - (до 256 знакова)."),
    }
    for name, (value, message) in cases.items():
        with pytest.raises(SettingsError) as error:
            Settings.from_env({name: value})
        assert str(error.value) == message
    assert Settings.from_env({"WEBHOOK_SECRET": "s" * 256}).webhook_secret == "s" * 256
    with pytest.raises(SettingsError):
        Settings.from_env({"WEBHOOK_SECRET": "s" * 257})
    with pytest.raises(SettingsError) as error:
        Settings.from_env({}).require_token()
    assert str(error.value) == (
        "TELEGRAM_BOT_TOKEN није постављен: направите бота код @BotFather у Телеграму и ставите његов "
        "токен у TELEGRAM_BOT_TOKEN (без токена ради разговор у конзоли: python -m bot chat)."
    )
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}).require_token() == "1:x"


def test_the_answer_cache_setting() -> None:
    assert Settings.from_env({}).answer_cache == 2048
    assert [Settings.from_env({"BOT_ANSWER_CACHE": n}).answer_cache for n in ("0", "1000000")] == [0, 1_000_000]
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"BOT_ANSWER_CACHE": "1000001"})
    assert str(error.value) == "BOT_ANSWER_CACHE мора бити цео број између 0 и 1000000 (сада: '1000001')."


def test_the_web_settings() -> None:
    default = Settings.from_env({})
    assert (default.web_host, default.web_port, default.web_staff_token) == ("127.0.0.1", None, None)
    assert (default.web_trust_proxy, default.web_embed_origins, default.web_quota) == (False, (), 20)
    s = Settings.from_env(
        {
            "WEB_HOST": "0.0.0.0",
            "WEB_PORT": "8081",
            "WEB_STAFF_TOKEN": "x" * 16,
            "WEB_TRUST_PROXY": "on",
            "WEB_EMBED_ORIGINS": "https://www.ni.rs, http://localhost:8000/",
            "WEB_QUOTA": "0",
        }
    )
    assert (s.web_host, s.web_port, s.web_staff_token, s.web_trust_proxy) == ("0.0.0.0", 8081, "x" * 16, True)
    assert (s.web_embed_origins, s.web_quota) == (("https://www.ni.rs", "http://localhost:8000"), 0)
    assert Settings.from_env({"WEB_PORT": "8443"}).web_port == 8443  # no webhook: no clash


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WEB_PORT": "0"}, "WEB_PORT мора бити цео број између 1 и 65535 (сада: '0')."),
        ({"WEB_QUOTA": "10001"}, "WEB_QUOTA мора бити цео број између 0 и 10000 (сада: '10001')."),
        ({"WEB_TRUST_PROXY": "sure"}, "WEB_TRUST_PROXY мора бити on или off (сада: 'sure')."),
        (
            {"WEB_EMBED_ORIGINS": "https://www.ni.rs/mreze"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://www.ni.rs/mreze').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "www.ni.rs"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'www.ni.rs').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "https://*"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://*').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "https://*.ni.rs"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://*.ni.rs').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "https://user@ni.rs"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://user@ni.rs').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "https://ni.rs?x=1"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://ni.rs?x=1').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "https://ni.rs:port"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://ni.rs:port').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "https://ni..rs"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://ni..rs').",
        ),
        (
            {"WEB_EMBED_ORIGINS": "https://-ni.rs"},
            "WEB_EMBED_ORIGINS су адресе сајтова, као https://www.ni.rs, одвојене размаком (сада: 'https://-ni.rs').",
        ),
        (
            {"WEBHOOK_URL": "https://bot.example.org/hook", "WEB_PORT": "8443"},
            "WEB_PORT и WEBHOOK_PORT су исти (8443): страница за разговор и Телеграм не могу на исти порт.",
        ),
    ],
)
def test_wrong_web_settings_say_what_to_fix(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env(env)
    assert str(error.value) == message


@pytest.mark.parametrize("token", ["x" * 15, "лозинка-од-шеснаест", "sixteen chars\tok"])
def test_a_weak_or_odd_staff_token_is_refused_without_being_repeated(token: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"WEB_STAFF_TOKEN": token})
    assert str(error.value).startswith("WEB_STAFF_TOKEN мора имати бар 16 знакова") and token not in str(error.value)


@pytest.mark.parametrize(("text", "value"), [("on", True), ("YES", True), ("1", True), ("off", False), ("no", False)])
def test_switches_take_the_usual_words(text: str, value: bool) -> None:
    assert Settings.from_env({"BOT_RATE_LIMITER": text}).rate_limiter is value


def test_load_reads_the_process_environment_and_a_missing_dotenv_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_CHAT_QUOTA", "9")
    assert Settings.load(dotenv=tmp_path / "absent.env").chat_quota == 9
    (tmp_path / ".env").write_text("BOT_CHAT_QUOTA=4\nBOT_MEMORY_MINUTES='12'\n", encoding="utf-8")
    monkeypatch.delenv("BOT_CHAT_QUOTA")
    loaded = Settings.load(dotenv=tmp_path / ".env")
    assert (loaded.chat_quota, loaded.memory_minutes) == (4, 12)
    assert Settings.load({}, dotenv=None).chat_quota == 20


def test_dotenv_lines_as_people_write_them(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "  # a comment with spaces before it\n\nexport LOG_LEVEL = 'error'\nWEBHOOK_LISTEN=\"a'\n"
        'TELEGRAM_BOT_TOKEN="1:x"\nBOT_DATA_DIR=\nWEBHOOK_SECRET=a=b\n',
        encoding="utf-8",
    )
    assert read_dotenv(dotenv) == {
        "LOG_LEVEL": "error",
        "WEBHOOK_LISTEN": "\"a'",  # quotes that do not match are kept
        "TELEGRAM_BOT_TOKEN": "1:x",
        "BOT_DATA_DIR": "",
        "WEBHOOK_SECRET": "a=b",  # only the first = separates
    }
    dotenv.write_text("=x\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="1: ред мора бити облика ИМЕ=вредност"):
        read_dotenv(dotenv)
    dotenv.write_text("LOG_LEVL=INFO\n", encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        read_dotenv(dotenv)
    assert str(error.value).startswith(f"{dotenv}:1: непознато подешавање LOG_LEVL; позната су: BOT_ADMIN_IDS, ")


@pytest.mark.parametrize(("tmpdir", "folder"), [("here", "here"), ("missing", "/tmp"), ("", "/tmp")])
def test_the_status_file_is_in_tmpdir_when_that_is_a_folder_else_in_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmpdir: str, folder: str
) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / tmpdir) if tmpdir else "")
    expected = tmp_path / folder if folder == "here" else Path(folder)
    assert Settings.from_env({}).status_file == expected / "nis-networks-bot.status.json"
