"""Settings: read from the environment and `.env`, checked at start, explained without the token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.loader import PROJECT_ROOT
from bot.settings import SETTINGS, Settings, SettingsError


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


def test_the_readme_table_lists_every_setting_with_its_default() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| ([^|]*) \|", readme, re.MULTILINE))
    for name, default, _ in SETTINGS:
        assert name in rows, f"{name} is missing from the README's settings table"
        shown = rows[name].strip().strip("`")
        assert shown == (default or "—"), f"{name}: README says {rows[name]!r}, the code {default!r}"
