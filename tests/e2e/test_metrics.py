"""`GET /metrics`: the counts an operator scrapes, from the running bot, and who may read them.

Against the real processes: the web server (questions by outcome, the answer
time, no question text in any label, a proxied request refused) and the
Telegram bot with METRICS_PORT (questions answered, the time from receipt to
answer, the inbox, the knowledge version).
"""

from __future__ import annotations

import re
import time
import urllib.request

import pytest

from bot.settings import Settings, SettingsError
from bot.web.metrics_page import MetricsSource
from tests.support.bot_process import free_port, running_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.web_server import web_server

SECRET_QUESTION = "Koja je lozinka Petra Petrovica 0641234567?"


def value(text: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    assert match, f"{series} not in:\n{text}"
    return float(match.group(1))


def test_the_web_side_counts_questions_by_outcome_and_tells_nobody_their_text() -> None:
    with web_server({"WEB_QUOTA": "2"}) as server:
        server.ask("Шта је НАЛЕД?", client="10.1.1.1")
        server.ask(SECRET_QUESTION, client="10.1.1.1")
        server.ask("Шта је СКГО?", client="10.1.1.1")  # the third within a minute: over WEB_QUOTA
        scraped = server.request("GET", "/metrics")
        assert scraped.status == 200 and scraped.headers["Content-Type"].startswith("text/plain; version=")
        text = scraped.text
        assert value(text, 'nis_questions_total{channel="web",outcome="answered"}') == 1
        assert value(text, 'nis_questions_total{channel="web",outcome="fallback"}') == 1
        assert value(text, 'nis_questions_total{channel="web",outcome="over_quota"}') == 1
        assert value(text, 'nis_answer_seconds_count{channel="web"}') == 2
        assert value(text, "nis_understanding_seconds_count") == 2
        assert value(text, 'nis_knowledge_reloads_total{result="good"}') == 1
        assert value(text, "nis_storage_ok") == 1 and value(text, "nis_versions_kept") >= 1
        assert re.search(r'^nis_knowledge_info\{version="[0-9a-f]{10}"\} 1\.0$', text, re.MULTILINE)
        assert "Petrovic" not in text and "0641234567" not in text and "10.1.1.1" not in text
        for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP", "Via"):
            proxied = server.request("GET", "/metrics", headers={header: "127.0.0.1"})
            assert proxied.status == 404, header  # through a proxy: like a path that does not exist
            assert (
                proxied.headers["Content-Security-Policy"]
                == server.request("GET", "/nothing").headers["Content-Security-Policy"]
            )


def test_the_telegram_bot_serves_metrics_on_metrics_port() -> None:
    port = free_port()
    with FakeBotApi() as api, running_bot(api, {"METRICS_PORT": str(port)}) as bot:
        bot.ask("Када је Ниш приступио ECAD-у?")
        deadline = time.monotonic() + 10  # the reply reaches the fake API a moment before the time is recorded
        while True:
            text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
            if value(text, 'nis_answer_seconds_count{channel="telegram"}') or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert value(text, 'nis_questions_total{channel="telegram",outcome="answered"}') == 1
        assert value(text, 'nis_answer_seconds_count{channel="telegram"}') == 1
        assert value(text, "nis_inbox_waiting") == 0 and value(text, "nis_inbox_oldest_waiting_seconds") == 0


@pytest.mark.parametrize(
    ("allow", "address", "allowed"),
    [("", "127.0.0.1", True), ("", "::1", True), ("", "::ffff:127.0.0.1", True),
     ("10.0.0.0/8", "::ffff:10.1.2.3", True), ("", "10.0.0.5", False), ("10.0.0.0/8", "10.0.0.5", True),
     ("10.0.0.0/8, 192.168.1.7", "192.168.1.7", True), ("10.0.0.0/8", "192.168.1.8", False), ("", "", False),
     ("", "not an address", False)],
)  # fmt: skip
def test_only_loopback_and_metrics_allow_may_scrape(allow: str, address: str, allowed: bool) -> None:
    settings = Settings.load({"METRICS_ALLOW": allow})
    assert MetricsSource(settings, lambda: None).allows(address) is allowed  # type: ignore[arg-type,return-value]


def test_a_wrong_metrics_allow_is_a_clear_sentence() -> None:
    with pytest.raises(SettingsError, match=re.escape("METRICS_ALLOW: „10.0.0.300“ није адреса")):
        Settings.load({"METRICS_ALLOW": "10.0.0.0/8,10.0.0.300"})


def test_with_a_trusted_proxy_a_made_up_forwarded_address_gets_nothing() -> None:
    with web_server({"WEB_TRUST_PROXY": "on"}) as server:
        assert server.request("GET", "/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status == 404
        assert server.request("GET", "/metrics").status == 200  # directly, from loopback
