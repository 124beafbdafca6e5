"""The web API's guards in-process: who may post, what it must send, the quota per address, conversations and votes.

tests/e2e/test_web_api.py holds the same contract against `python -m bot web`; these tests serve the application
on a free port inside the test (bot/web/server.py `start_web`, tornado's own client), so the mutation bench
(bench/mutation.py, group `web`) sees them.  No clock is involved: nothing here waits.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPResponse
from tornado.testing import bind_unused_port

from bot import accounts, metrics
from bot.quota import Verdict
from bot.recording import WEB, Recorder, Stats
from bot.reloader import LiveKnowledge
from bot.settings import Settings
from bot.status import Status
from bot.storage.database import Database, Health
from bot.storage.questions import QuestionStore, read_unanswered
from bot.web.base import Site
from bot.web.server import start_web, stop_web
from tests.support.models import SHARED_MODELS

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def live() -> LiveKnowledge:
    return LiveKnowledge(Settings().knowledge, Settings().intents, Path(os.environ[SHARED_MODELS]))


class Client:
    def __init__(self, http: AsyncHTTPClient, port: int):
        self.http, self.port = http, port
        self.host = f"127.0.0.1:{port}"

    async def post(
        self, path: str, body: bytes | str | dict[str, Any], headers: Mapping[str, str] = JSON
    ) -> HTTPResponse:
        data = json.dumps(body, ensure_ascii=False) if isinstance(body, dict) else body
        return await self.http.fetch(
            f"http://{self.host}{path}", method="POST", body=data, headers=dict(headers), raise_error=False
        )

    async def ask(self, question: str, conversation: str | None = None, **headers: str) -> HTTPResponse:
        body = {"question": question} | ({"conversation": conversation} if conversation else {})
        return await self.post("/api/ask", body, JSON | {k.replace("_", "-"): v for k, v in headers.items()})

    async def get(self, path: str) -> HTTPResponse:
        return await self.http.fetch(f"http://{self.host}{path}", raise_error=False)


def status() -> Status:
    return Status("v", 6, None, Health(), 0, 0, 0)


def served(
    live: LiveKnowledge, tmp_path: Path, scenario: Callable[[Client, Site], Awaitable[None]], **env: str
) -> Site:
    """Run `scenario` against the web application served with these settings; the Site, for its counters."""
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path), **env})
    return serve(Site(settings, live, Recorder(Stats(), None), status), scenario)


def serve(site: Site, scenario: Callable[[Client, Site], Awaitable[None]]) -> Site:
    async def run() -> None:
        sock, port = bind_unused_port()
        server = start_web(site, [sock])
        http = AsyncHTTPClient(force_instance=True)
        try:
            await scenario(Client(http, port), site)
        finally:
            http.close()
            await stop_web(server)

    asyncio.run(run())
    return site


def body(response: HTTPResponse) -> Any:
    return json.loads(response.body)


# Who may post, and what ------------------------------------------------------


def test_the_pages_own_origin_and_the_embedding_sites_may_post_and_no_other(
    live: LiveKnowledge, tmp_path: Path
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        allowed = [None, f"http://{client.host}", f"https://{client.host}", "https://www.ni.rs", "https://www.ni.rs/"]
        for origin in allowed:
            reply = await client.ask("Шта је НАЛЕД?", **({"Origin": origin} if origin else {}))
            assert reply.code == 200, origin
        refused = [
            "https://evil.example",
            f"http://{client.host}.evil.example",
            f"http://127.0.0.1:{client.port + 1}",
            f"ftp://{client.host}",
            "https://www.ni.rs.evil.example",
            "null",
            "http://[",
        ]
        for origin in refused:
            reply = await client.ask("Шта је НАЛЕД?", Origin=origin)
            assert reply.code == 403 and "other sites" in body(reply)["error"], origin

    served(live, tmp_path, scenario, WEB_EMBED_ORIGINS="https://www.ni.rs")


def test_a_forwarded_host_counts_only_behind_a_trusted_proxy(live: LiveKnowledge, tmp_path: Path) -> None:
    async def scenario(client: Client, site: Site) -> None:
        headers = {"Origin": "https://bot.ni.rs", "X-Forwarded-Host": "bot.ni.rs"}
        reply = await client.ask("Шта је НАЛЕД?", **headers)
        assert reply.code == (200 if site.settings.web_trust_proxy else 403)

    served(live, tmp_path / "trusted", scenario, WEB_TRUST_PROXY="on")
    served(live, tmp_path / "direct", scenario)


def test_only_a_json_body_is_read(live: LiveKnowledge, tmp_path: Path) -> None:
    async def scenario(client: Client, site: Site) -> None:
        question = json.dumps({"question": "Шта је НАЛЕД?"})
        for media_type in ("application/json", "Application/JSON; charset=utf-8", " application/json ;x=y"):
            assert (await client.post("/api/ask", question, {"Content-Type": media_type})).code == 200, media_type
        for media_type in ("text/plain", "application/x-www-form-urlencoded", "application/jsonp", ""):
            reply = await client.post("/api/ask", question, {"Content-Type": media_type} if media_type else {})
            assert reply.code == 415 and "Content-Type: application/json" in body(reply)["error"], media_type

    served(live, tmp_path, scenario)


@pytest.mark.parametrize(
    ("sent", "status", "says"),
    [
        (b"\xff\xfe not utf-8", 400, "not JSON"),
        ("{'question': 'single quotes'}", 400, "not JSON"),
        ('["Шта је НАЛЕД?"]', 400, "must be a JSON object"),
        ("[" * 100_000 + "]" * 100_000, 413, "larger than 64 KB"),
        ("[" * 30_000 + "]" * 30_000, 400, "nests too deeply"),
        ('{"question": 7}', 400, '"question" field'),
        ('{"question": "Шта је НАЛЕД?", "conversation": "not an id!"}', 400, '"conversation" field'),
        ('{"question": "Шта је НАЛЕД?", "conversation": 7}', 400, '"conversation" field'),
        ('{"question": "' + "НАЛЕД " * 6000 + '"}', 413, "larger than 64 KB"),
    ],
)
def test_a_body_that_is_not_a_question_gets_a_status_and_a_sentence(
    live: LiveKnowledge, tmp_path: Path, sent: bytes | str, status: int, says: str
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        reply = await client.post("/api/ask", sent)
        assert (reply.code, reply.headers["Content-Type"]) == (status, "application/json; charset=utf-8")
        assert says in body(reply)["error"]

    served(live, tmp_path, scenario)


def test_a_body_at_the_limit_is_read(live: LiveKnowledge, tmp_path: Path) -> None:
    async def scenario(client: Client, site: Site) -> None:
        start = '{"question": "Шта је НАЛЕД?", "padding": "'
        exact = start + "x" * (64 * 1024 - len(start.encode()) - 2) + '"}'
        assert len(exact.encode()) == 64 * 1024
        assert (await client.post("/api/ask", exact)).code == 200
        assert (await client.post("/api/ask", exact[:-2] + 'x"}')).code == 413

    served(live, tmp_path, scenario)


# The quota ---------------------------------------------------------------------


def test_an_address_over_its_quota_gets_429_with_retry_after_and_others_go_on(
    live: LiveKnowledge, tmp_path: Path
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        for _ in range(3):
            assert (await client.ask("Шта је НАЛЕД?", X_Forwarded_For="198.51.100.1")).code == 200
        over = await client.ask("Шта је НАЛЕД?", X_Forwarded_For="198.51.100.1")
        assert over.code == 429 and "More than 3 questions a minute" in body(over)["error"]
        assert 10 <= int(over.headers["Retry-After"]) <= 20  # one question more every 20 s: this address waits
        vote = await client.post("/api/rate", {"conversation": "c", "answer_id": "a", "helpful": True},
                                 JSON | {"X-Forwarded-For": "198.51.100.1"})  # fmt: skip
        assert vote.code == 429  # both endpoints draw on one quota
        assert (await client.ask("Шта је НАЛЕД?", X_Forwarded_For="198.51.100.2")).code == 200
        # the last address is the one the proxy added; what comes before it is the client's own claim
        assert (await client.ask("Шта је НАЛЕД?", X_Forwarded_For="198.51.100.1, 198.51.100.3")).code == 200
        assert (await client.ask("Шта је НАЛЕД?", X_Forwarded_For="198.51.100.3, 198.51.100.1")).code == 429

    site = served(live, tmp_path, scenario, WEB_QUOTA="3", WEB_TRUST_PROXY="on")
    assert site.recorder.stats.over_quota_of(WEB).skipped == 3
    assert site.recorder.stats.by_channel[WEB] == 5


def test_without_a_trusted_proxy_the_quota_is_the_sockets_address(live: LiveKnowledge, tmp_path: Path) -> None:
    async def scenario(client: Client, site: Site) -> None:
        for number in range(2):
            assert (await client.ask("Шта је НАЛЕД?", X_Forwarded_For=f"198.51.100.{number}")).code == 200
        assert (await client.ask("Шта је НАЛЕД?", X_Forwarded_For="198.51.100.9")).code == 429

    served(live, tmp_path, scenario, WEB_QUOTA="2")


def test_no_quota_when_it_is_zero(live: LiveKnowledge, tmp_path: Path) -> None:
    async def scenario(client: Client, site: Site) -> None:
        for _ in range(25):
            assert (await client.ask("Шта је НАЛЕД?")).code == 200

    served(live, tmp_path, scenario, WEB_QUOTA="0")


# Answers, conversations and votes ------------------------------------------------


def test_an_answer_carries_its_conversation_and_a_follow_up_keeps_its_network(
    live: LiveKnowledge, tmp_path: Path
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        first = await client.ask("Шта је НАЛЕД?")
        assert first.headers["Cache-Control"] == "no-store"
        answer = body(first)
        assert (answer["intent"], answer["network"], answer["script"]) == ("about", "naled", "cyrillic")
        assert answer["answer"] == live.engine.answer("Шта је НАЛЕД?").text and answer["answer_id"]
        follow_up = body(await client.ask("a kada je osnovan?", answer["conversation"]))
        assert (follow_up["intent"], follow_up["network"], follow_up["script"]) == ("founded", "naled", "latin")
        assert follow_up["conversation"] == answer["conversation"]
        alone = body(await client.ask("А када је основан?"))
        assert alone["network"] is None and alone["conversation"] != answer["conversation"] and "answer_id" not in alone
        made_up = body(await client.ask("А када је основан?", "made-up-by-the-client"))
        assert made_up["conversation"] != "made-up-by-the-client" and made_up["network"] is None

    site = served(live, tmp_path, scenario)
    assert site.recorder.stats.by_channel[WEB] == 4


def test_a_vote_counts_once_and_only_in_the_conversation_that_got_the_answer(
    live: LiveKnowledge, tmp_path: Path
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        answer = body(await client.ask("Где је седиште НАЛЕД-а?"))
        other = body(await client.ask("Шта је СКГО?"))
        vote = {"conversation": answer["conversation"], "answer_id": answer["answer_id"], "helpful": False}
        elsewhere = vote | {"conversation": other["conversation"]}
        assert (await client.post("/api/rate", elsewhere)).code == 400
        first = await client.post("/api/rate", vote)
        assert first.code == 204 and first.body == b""
        again = await client.post("/api/rate", vote | {"helpful": True})
        assert again.code == 409 and "already" in body(again)["error"]
        for wrong in ({"answer_id": 7}, {"helpful": "yes"}, {"answer_id": "a b"}, {"conversation": None}):
            reply = await client.post("/api/rate", vote | wrong)
            assert reply.code == 400, wrong
        unknown = await client.post("/api/rate", vote | {"answer_id": "never-given"})
        assert unknown.code == 400 and "not given in this conversation" in body(unknown)["error"]

    site = served(live, tmp_path, scenario)
    assert (site.recorder.stats.helpful, site.recorder.stats.unhelpful) == (0, 1)


def test_every_response_carries_the_security_headers_and_errors_no_traceback(
    live: LiveKnowledge, tmp_path: Path
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        for reply in (await client.ask("Шта је НАЛЕД?"), await client.get("/healthz"), await client.get("/nowhere")):
            policy = reply.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and policy.endswith("frame-ancestors 'self' https://www.ni.rs")
            assert reply.headers["X-Content-Type-Options"] == "nosniff"
            assert reply.headers["Referrer-Policy"] == "no-referrer"
            assert reply.headers["Cross-Origin-Opener-Policy"] == "same-origin"
            assert "Server" not in reply.headers
        missing = await client.get("/nowhere")
        assert missing.code == 404 and missing.body == b"404 Not Found\n"
        health = await client.get("/healthz")
        assert health.code == 200 and json.loads(health.body)["status"] == "ok"
        assert health.headers["Cache-Control"] == "no-store"

    served(live, tmp_path, scenario, WEB_EMBED_ORIGINS="https://www.ni.rs")


# What the API records, and the site's parts -------------------------------------------


def test_a_vote_stores_what_was_rated_and_every_answer_is_timed(live: LiveKnowledge, tmp_path: Path) -> None:
    database = Database(tmp_path / "data")
    store = QuestionStore(database)
    database.open()
    timed_before = metrics.REGISTRY.get_sample_value("nis_answer_seconds_count", {"channel": "web"}) or 0
    over_before = metrics.REGISTRY.get_sample_value("nis_questions_total", {"channel": "web", "outcome": "over_quota"})

    async def scenario(client: Client, site: Site) -> None:
        answer = body(await client.ask("Где је седиште НАЛЕД-а?"))
        assert "НАЛЕД".encode() in (await client.ask("Шта је НАЛЕД?")).body  # UTF-8 as it is, not \\u escapes
        vote = {"conversation": answer["conversation"], "answer_id": answer["answer_id"], "helpful": False}
        assert (await client.post("/api/rate", vote)).code == 204
        bad = await client.post("/api/rate", vote | {"helpful": "no"})
        assert body(bad)["error"] == (
            'A rating needs "conversation" and "answer_id" as an answer returned them, and "helpful": true or false.'
        )
        assert (await client.ask("Шта је СКГО?")).code == 429

    try:
        site = Site(Settings.from_env({"BOT_DATA_DIR": str(tmp_path), "WEB_QUOTA": "4"}), live,
                    Recorder(Stats(), store), status)  # fmt: skip
        serve(site, scenario)
    finally:
        database.close()
    (stored,) = read_unanswered(tmp_path / "data", days=1)
    assert (stored.text, stored.outcome, stored.guess_intent, stored.guess_network, stored.channel) == (
        "Где је седиште НАЛЕД-а?",
        "unhelpful",
        "seat",
        "naled",
        "web",
    )
    assert (metrics.REGISTRY.get_sample_value("nis_answer_seconds_count", {"channel": "web"}) or 0) - timed_before == 2
    over_after = metrics.REGISTRY.get_sample_value("nis_questions_total", {"channel": "web", "outcome": "over_quota"})
    assert (over_after or 0) - (over_before or 0) == 1  # the fifth request of the minute: over the quota


def test_a_client_told_to_wait_is_told_the_whole_seconds_until_its_next_question(
    live: LiveKnowledge, tmp_path: Path
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        for _ in range(60):
            assert (await client.ask("Шта је НАЛЕД?")).code == 200
        assert (await client.ask("Шта је НАЛЕД?")).headers["Retry-After"] == "1"  # one a second: at least 1
        assert site.door.quota is not None and site.door.quota.per_minute == 60

    served(live, tmp_path, scenario, WEB_QUOTA="60")


def test_a_vote_when_the_shared_file_fails_is_to_be_tried_again(live: LiveKnowledge, tmp_path: Path) -> None:
    async def scenario(client: Client, site: Site) -> None:
        answer = body(await client.ask("Шта је НАЛЕД?"))
        site.door.memory.shared.close()  # type: ignore[attr-defined]
        vote = {"conversation": answer["conversation"], "answer_id": answer["answer_id"], "helpful": True}
        reply = await client.post("/api/rate", vote)
        assert (reply.code, reply.headers["Retry-After"]) == (503, "5")
        assert body(reply)["error"] == "The rating could not be recorded just now; please try again in a few seconds."

    served(live, tmp_path, scenario, WEB_PROCESSES="2")


def test_a_declared_body_over_a_megabyte_is_refused_before_it_is_read(live: LiveKnowledge, tmp_path: Path) -> None:
    async def scenario(client: Client, site: Site) -> None:
        for size, status_code in ((1024 * 1024, 413), (1024 * 1024 + 1, 413), (100, 200)):
            data = ('{"question": "Шта је НАЛЕД?"}' + " " * size)[:size] if size > 100 else '{"question": "НАЛЕД"}'
            reply = await client.post("/api/ask", data)
            assert reply.code == status_code, size
            if status_code == 413:
                assert body(reply)["error"] == "The request body is larger than 64 KB; a question needs far less."

    served(live, tmp_path, scenario)


def test_the_health_check_says_what_is_wrong_without_the_details(live: LiveKnowledge, tmp_path: Path) -> None:
    def troubled() -> Status:
        return Status("v", 6, "/secret/path/networks.yaml: bad", Health(problem="OperationalError: /secret/x"), 0, 0, 0)

    async def scenario(client: Client, site: Site) -> None:
        reply = await client.get("/healthz")
        assert b"/secret" not in reply.body and json.loads(reply.body)["status"] == "degraded"

    site = Site(Settings.from_env({"BOT_DATA_DIR": str(tmp_path)}), live, Recorder(Stats(), None), troubled)
    serve(site, scenario)


def test_the_sites_parts_follow_the_settings(live: LiveKnowledge, tmp_path: Path) -> None:
    def site(**env: str) -> Site:
        return Site(Settings.from_env({"BOT_DATA_DIR": str(tmp_path), **env}), live, Recorder(Stats(), None), status)

    assert site(WEB_QUOTA="0").door.quota is None and site(WEB_QUOTA="0", WEB_PROCESSES="2").door.quota is None
    assert site().staff_gate is None  # no token, no account: /staff does not exist
    token = "a-staff-token-for-the-tests-0123456789"
    gated = site(WEB_STAFF_TOKEN=token).staff_gate
    assert gated is not None and gated.right_token(token) and not gated.right_token(token + "x")
    one, other = site(WEB_PROCESSES="2", WEB_QUOTA="3"), site(WEB_PROCESSES="2", WEB_QUOTA="3")
    assert one.door.quota is not None and other.door.quota is not None
    assert [one.door.quota.check("a") for _ in range(3)] == [Verdict.ANSWER] * 3
    assert other.door.quota.check("a") is Verdict.SKIP  # the processes share one quota
    shared_one, shared_other = site(WEB_PROCESSES="2", WEB_STAFF_TOKEN=token), site(WEB_PROCESSES="2",
                                                                                   WEB_STAFF_TOKEN=token)  # fmt: skip
    assert shared_one.staff_gate is not None and shared_other.staff_gate is not None
    session = shared_one.staff_gate.open_session()
    assert shared_other.staff_gate.valid(session)  # signed in on one process, on all
    assert not site(WEB_STAFF_TOKEN=token).staff_gate.valid(session)  # type: ignore[union-attr]  # one process: its own
    accounts.add(accounts.accounts_path(tmp_path), "Ана", "лозинка-за-пробу-1")
    by_account = site().staff_gate
    assert by_account is not None and by_account.verify("Ана", "лозинка-за-пробу-1") is not None


def ask_from(port: int, source: str, headers: dict[str, str] | None = None) -> int:
    """POST a question from the loopback address `source` (127.0.0.2 is loopback as well on Linux)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        body = json.dumps({"question": "Шта је НАЛЕД?"}).encode()
        connection.request("POST", "/api/ask", body, JSON | (headers or {}))
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize("trust_proxy", ["off", "on"])
def test_the_quota_is_per_socket_address_when_no_proxy_says_otherwise(
    live: LiveKnowledge, tmp_path: Path, trust_proxy: str
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        assert await asyncio.to_thread(ask_from, client.port, "127.0.0.1") == 200
        assert await asyncio.to_thread(ask_from, client.port, "127.0.0.1") == 429
        assert await asyncio.to_thread(ask_from, client.port, "127.0.0.2") == 200  # another client

    served(live, tmp_path, scenario, WEB_QUOTA="1", WEB_TRUST_PROXY=trust_proxy)


def post_raw(port: int, headers: dict[str, str], body: bytes | list[bytes]) -> tuple[int, dict[str, Any]]:
    """POST a question with these headers (http.client adds no Content-Type, and sends a body in chunks without
    Content-Length); the status and the JSON reply."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        chunked = isinstance(body, list)
        connection.request("POST", "/api/ask", iter(body) if chunked else body, headers, encode_chunked=chunked)
        reply = connection.getresponse()
        return reply.status, json.loads(reply.read())
    finally:
        connection.close()


def test_a_post_without_a_content_type_is_refused_and_one_in_chunks_is_read(
    live: LiveKnowledge, tmp_path: Path
) -> None:
    question = json.dumps({"question": "Шта је НАЛЕД?"}).encode()

    async def scenario(client: Client, site: Site) -> None:
        status, reply = await asyncio.to_thread(post_raw, client.port, {}, question)
        assert status == 415 and "Content-Type: application/json" in reply["error"]
        chunks = [question[:10], question[10:]]  # no Content-Length: the body's size is not declared
        status, reply = await asyncio.to_thread(post_raw, client.port, {**JSON, "Transfer-Encoding": "chunked"}, chunks)
        assert (status, reply["intent"], reply["network"]) == (200, "about", "naled")

    served(live, tmp_path, scenario)


class Broken:
    """A LiveKnowledge whose engine fails: a bug while answering."""

    class engine:
        @staticmethod
        def answer(*_: object) -> None:
            raise RuntimeError("a bug in the engine")


def test_a_bug_while_answering_is_a_plain_500_and_logged_while_refusals_are_not(
    live: LiveKnowledge, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(client: Client, site: Site) -> None:
        failed = await client.ask("Шта је НАЛЕД?")
        assert (failed.code, failed.body) == (500, b"500 Internal Server Error\n")
        assert failed.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert b"Traceback" not in failed.body and b"a bug" not in failed.body
        refused = await client.post("/staff", "token=x", {"Content-Type": "application/x-www-form-urlencoded"})
        assert refused.code == 403  # no form token: tornado's own refusal, not a bug

    token = "a-staff-token-for-the-tests-0123456789"
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path), "WEB_STAFF_TOKEN": token})
    serve(Site(settings, Broken(), Recorder(Stats(), None), status), scenario)  # type: ignore[arg-type]
    logged = [r for r in caplog.records if r.getMessage().startswith("web request failed")]
    assert [r.getMessage() for r in logged] == ["web request failed: RuntimeError: a bug in the engine"]
    assert logged[0].exc_info is not None
