"""The web API, page and staff page against `python -m bot web` started on a free port (issue 13's contract).

One server serves most tests; it trusts X-Forwarded-For (WEB_TRUST_PROXY), so each
test asks as its own client address and the per-address quota of one test does not
reach the next.  Servers with other settings are started where a test needs them.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

from bot.engine import Engine
from bot.storage.questions import read_feedback, read_unanswered
from tests.support.web_server import STAFF_TOKEN, WebServer, web_server

CYRILLIC = re.compile(r"[а-шђјљњћџА-ШЂЈЉЊЋЏ]")
ASK_JSON_FIELDS = {"question", "intent", "network", "confidence", "answer", "suggestions"}
_clients = iter(f"198.51.100.{n}" for n in range(1, 255))


@pytest.fixture(scope="module")
def server() -> Iterator[WebServer]:
    with web_server({"WEB_TRUST_PROXY": "on", "WEB_STAFF_TOKEN": STAFF_TOKEN}) as running:
        yield running


@pytest.fixture
def client() -> str:
    return next(_clients)


# Answers ----------------------------------------------------------------------


def test_an_answer_has_the_fields_of_ask_json_and_a_conversation(
    server: WebServer, engine: Engine, client: str
) -> None:
    reply = server.ask("када је Ниш приступио ECAD-у?", client=client)
    assert reply.status == 200 and reply.headers["Content-Type"] == "application/json; charset=utf-8"
    answer = reply.json
    assert {k: answer[k] for k in ASK_JSON_FIELDS} == engine.answer("када је Ниш приступио ECAD-у?").to_json()
    assert "2007" in answer["answer"] and answer["script"] == "cyrillic"
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,64}", answer["conversation"])
    assert server.ask("Шта је НАЛЕД?", client=client).json["conversation"] != answer["conversation"]


def test_follow_ups_work_within_a_conversation_only(server: WebServer, client: str) -> None:
    first = server.ask("Шта је НАЛЕД?", client=client).json
    follow_up = server.ask("А када је основан?", first["conversation"], client=client).json
    assert (follow_up["intent"], follow_up["network"]) == ("founded", "naled")
    assert follow_up["conversation"] == first["conversation"]
    latin = server.ask("a gde mu je sediste?", first["conversation"], client=client).json
    assert (latin["intent"], latin["network"], latin["script"]) == ("seat", "naled", "latin")
    assert not CYRILLIC.search(latin["answer"]) and "Beograd" in latin["answer"]
    alone = server.ask("А када је основан?", client=client).json
    assert alone["network"] != "naled"


def test_a_conversation_the_server_did_not_issue_starts_afresh(server: WebServer, client: str) -> None:
    reply = server.ask("А када је основан?", "made-up-by-the-client", client=client).json
    assert reply["conversation"] != "made-up-by-the-client" and reply["network"] is None


def test_an_empty_question_gets_the_engines_fallback(server: WebServer, engine: Engine, client: str) -> None:
    reply = server.ask("", client=client)
    assert reply.status == 200
    assert (reply.json["intent"], reply.json["answer"]) == ("fallback", engine.answer("").text)


def test_a_5000_character_question_is_answered_from_its_first_1000(server: WebServer, client: str) -> None:
    question = "Шта је НАЛЕД? " + "молим вас " * 500
    assert len(question) > 5000
    reply = server.ask(question, client=client)
    assert reply.status == 200 and (reply.json["intent"], reply.json["network"]) == ("about", "naled")
    late = server.ask("молим вас " * 110 + "Шта је НАЛЕД?", client=client).json  # the name after character 1,000
    assert late["network"] is None


def test_clarify_suggestions_are_questions_the_engine_answers(server: WebServer, client: str) -> None:
    clarify = server.ask("Ко чини AVEC?", client=client).json
    assert clarify["intent"] == "clarify" and clarify["suggestions"]
    for suggestion in clarify["suggestions"]:
        answered = server.ask(suggestion, client=client).json
        assert answered["intent"] not in ("clarify", "fallback") and answered["network"] == "avec", suggestion


# Bad input --------------------------------------------------------------------


def test_a_body_over_64_kb_gets_413(server: WebServer, client: str) -> None:
    body = b'{"question": "' + b"a" * (64 * 1024) + b'"}'
    headers = {"Content-Type": "application/json", "X-Forwarded-For": client}
    declared = server.request("POST", "/api/ask", body, headers)
    assert declared.status == 413 and "64 KB" in declared.json["error"]
    chunks = iter([body[:40_000], body[40_000:]])
    chunked = server.request("POST", "/api/ask", chunks, headers)
    assert chunked.status == 413
    assert server.request("POST", "/api/ask", body[: 64 * 1024 - 2] + b'"}', headers).status == 200


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"question=hello", "not JSON"),
        (b"\xff\xfe{}", "not JSON"),
        (b"{}", '"question" field'),
        ('["Шта је НАЛЕД?"]'.encode(), "must be a JSON object"),
        (b'{"question": 42}', '"question" field'),
        (b'{"question": null}', '"question" field'),
        (b'{"question": "x", "conversation": "<script>"}', '"conversation" field'),
        (b'{"question": "x", "conversation": 7}', '"conversation" field'),
        (b"[" * 100_000 + b"]" * 100_000, "64 KB"),
        (b'{"q": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", "nests too deeply"),
        ('{"question": ["Шта је НАЛЕД?"]}'.encode(), '"question" field'),
        (b'{"question": {"text": "x"}}', '"question" field'),
        (b'{"question": "x", "conversation": ["a"]}', '"conversation" field'),
        (b'{"question": "x", "conversation": {"a": "b"}}', '"conversation" field'),
        (b'{"question": 1' + b"0" * 5000 + b"}", "not JSON"),
    ],
)
def test_a_body_that_is_not_a_question_gets_400_with_a_sentence(
    server: WebServer, client: str, body: bytes, says: str
) -> None:
    reply = server.request("POST", "/api/ask", body, {"Content-Type": "application/json", "X-Forwarded-For": client})
    assert reply.status in (400, 413) and says in reply.json["error"] and reply.json["error"].endswith(".")


@pytest.mark.parametrize("path", ["/api/ask", "/api/rate"])
@pytest.mark.parametrize(
    ("headers", "status", "says"),
    [
        ({"Content-Type": "text/plain"}, 415, "Content-Type: application/json"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415, "Content-Type: application/json"),
        ({}, 415, "Content-Type: application/json"),
        ({"Content-Type": "application/json", "Origin": "https://evil.example"}, 403, "other sites"),
        ({"Content-Type": "text/plain", "Origin": "https://evil.example"}, 403, "other sites"),
        ({"Content-Type": "application/json", "Origin": "null"}, 403, "other sites"),
    ],
)
def test_cross_site_and_non_json_posts_are_refused(
    server: WebServer, client: str, path: str, headers: dict[str, str], status: int, says: str
) -> None:
    """A page on another site can make a browser post a form or `text/plain`, and send any JSON with its own
    Origin: none of them is answered, so no question is asked and no vote is cast in a visitor's name."""
    body = json.dumps({"question": "Шта је НАЛЕД?", "helpful": True}).encode()
    reply = server.request("POST", path, body, headers | {"X-Forwarded-For": client})
    assert reply.status == status and says in reply.json["error"]


def test_the_pages_own_origin_and_the_embedding_sites_may_post() -> None:
    with web_server({"WEB_EMBED_ORIGINS": "https://www.ni.rs"}) as embedded:
        body = json.dumps({"question": "Шта је НАЛЕД?"}).encode()
        own = {"Content-Type": "application/json; charset=utf-8", "Origin": embedded.base_url}
        assert embedded.request("POST", "/api/ask", body, own).status == 200
        framing = {"Content-Type": "application/json", "Origin": "https://www.ni.rs"}
        assert embedded.request("POST", "/api/ask", body, framing).status == 200
        lookalike = {"Content-Type": "application/json", "Origin": "https://www.ni.rs.evil.example"}
        assert embedded.request("POST", "/api/ask", body, lookalike).status == 403


def test_other_methods_and_paths_are_refused(server: WebServer) -> None:
    assert server.request("GET", "/api/ask").status == 405
    missing = server.request("GET", "/wp-admin")
    assert missing.status == 404 and missing.headers["X-Content-Type-Options"] == "nosniff"


# Ratings ----------------------------------------------------------------------


def rate(server: WebServer, body: dict[str, object], client: str) -> int:
    headers = {"Content-Type": "application/json", "X-Forwarded-For": client}
    return server.request("POST", "/api/rate", json.dumps(body).encode(), headers).status


def votes_stored(server: WebServer, expected: int) -> dict[tuple[str, str | None], tuple[int, int]]:
    deadline = time.monotonic() + 10
    while True:
        votes = {(row.intent, row.network): (row.helpful, row.unhelpful) for row in read_feedback(server.data_dir, 1)}
        if sum(map(sum, votes.values())) >= expected or time.monotonic() > deadline:
            return votes
        time.sleep(0.1)


def test_a_rating_of_an_answer_given_is_stored_like_a_telegram_vote_once(server: WebServer, client: str) -> None:
    seat = server.ask("Где је седиште СКГО?", client=client).json
    list_answer = server.ask("Које мреже?", seat["conversation"], client=client).json
    assert "answer_id" not in list_answer  # an answer about no network has no 👍/👎, as in Telegram
    again = server.ask("а где је седиште НАЛЕД-а?", seat["conversation"], client=client).json
    vote = {"conversation": seat["conversation"], "answer_id": seat["answer_id"], "helpful": False}
    assert rate(server, vote, client) == 204
    assert rate(server, vote, client) == 409  # once per answer
    assert rate(server, vote | {"helpful": True}, client) == 409
    assert rate(server, vote | {"answer_id": again["answer_id"], "helpful": True}, client) == 204
    assert votes_stored(server, 2) == {("seat", "skgo"): (0, 1), ("seat", "naled"): (1, 0)}


def test_a_rating_counts_only_in_the_conversation_that_got_the_answer(server: WebServer, client: str) -> None:
    mine = server.ask("Шта је ECAD?", client=client).json
    theirs = server.ask("Шта је AVEC?", client=client).json
    crossed = {"conversation": theirs["conversation"], "answer_id": mine["answer_id"], "helpful": True}
    headers = {"Content-Type": "application/json", "X-Forwarded-For": client}
    reply = server.request("POST", "/api/rate", json.dumps(crossed).encode(), headers)
    assert reply.status == 400 and "not given in this conversation" in reply.json["error"]


@pytest.mark.parametrize(
    "body",
    [
        {"intent": "seat", "network": "skgo", "helpful": True},  # the old form: rates nothing the bot gave
        {"conversation": "x" * 24, "answer_id": "y" * 12, "helpful": "yes"},
        {"conversation": "x" * 24, "answer_id": ["y"], "helpful": True},
        {"conversation": ["x"], "answer_id": "y", "helpful": True},
        {"conversation": {"a": 1}, "answer_id": None, "helpful": True},
        {"intent": ["clarify"], "network": {"skgo": 1}, "helpful": True},
        {"conversation": "x" * 24, "answer_id": "y" * 12, "helpful": True},  # an answer never given
    ],
)
def test_a_rating_of_something_the_bot_never_answered_gets_400(
    server: WebServer, client: str, body: dict[str, object]
) -> None:
    before = sum(map(sum, votes_stored(server, 0).values()))
    headers = {"Content-Type": "application/json", "X-Forwarded-For": client}
    reply = server.request("POST", "/api/rate", json.dumps(body).encode(), headers)
    assert reply.status == 400 and reply.json["error"].endswith(".")
    given = server.ask("Шта је ECAD?", client=client).json  # a vote that counts, written after any staged before it
    assert (
        rate(server, {"conversation": given["conversation"], "answer_id": given["answer_id"], "helpful": True}, client)
        == 204
    )
    assert sum(map(sum, votes_stored(server, before + 1).values())) == before + 1


# Quota ------------------------------------------------------------------------


def test_a_client_over_its_quota_gets_429_with_retry_after(server: WebServer, client: str) -> None:
    for _ in range(20):
        assert server.ask("Шта је СКГО?", client=client).status == 200
    refused = server.ask("Шта је СКГО?", client=client)
    assert refused.status == 429 and "20 questions a minute" in refused.json["error"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3  # one question every 60/20 s comes back
    assert server.ask("Шта је СКГО?", client=next(_clients)).status == 200  # another address is not held up
    # The proxy appends the address it saw: an earlier entry is the client's own claim.
    assert server.ask("Шта је СКГО?", client=f"203.0.113.9, {client}").status == 429


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted() -> None:
    with web_server({"WEB_QUOTA": "2"}) as server:
        assert [server.ask("Шта је СКГО?", client=c).status for c in ("192.0.2.1", "192.0.2.2", "192.0.2.3")] == [
            200,
            200,
            429,
        ]


# Headers and the page ---------------------------------------------------------


def test_every_response_carries_the_security_headers(server: WebServer, client: str) -> None:
    for reply in (server.request("GET", "/"), server.ask("Шта је СКГО?", client=client), server.request("GET", "/x")):
        csp = reply.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert csp.endswith("frame-ancestors 'self'")
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "no-referrer"
        assert "Server" not in reply.headers


def test_embedding_sites_are_named_in_frame_ancestors() -> None:
    with web_server({"WEB_EMBED_ORIGINS": "https://www.ni.rs https://ni.rs/"}) as server:
        csp = server.request("GET", "/").headers["Content-Security-Policy"]
        assert csp.endswith("frame-ancestors 'self' https://www.ni.rs https://ni.rs")


class PageParts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())]


def test_the_page_has_the_form_and_the_log_and_loads_only_its_own_files(server: WebServer) -> None:
    page = server.request("GET", "/")
    parts = PageParts()
    parts.feed(page.text)
    (form,) = parts.find("form")
    assert parts.find("input", name="question", type="text") and parts.find("button", type="submit")
    assert parts.find("div", role="log", aria_live="polite")
    loaded = [a.get("src") or a.get("href") for t, a in parts.tags if t in ("script", "link") and "id" not in a]
    assert loaded == ["chat.css", "chat.js"] and form["action"] == "api/ask"
    sizes = [len(page.body)] + [len(server.request("GET", f"/{name}").body) for name in loaded if name]
    assert all(size > 0 for size in sizes) and sum(sizes) < 50 * 1024, sizes
    assert server.request("GET", "/chat.js").headers["Content-Type"].startswith("text/javascript")


@pytest.mark.parametrize("path", ["/", "/chat.js", "/chat.css", "/healthz"])
def test_a_head_request_gets_the_pages_headers_and_no_body(server: WebServer, path: str) -> None:
    head, get = server.request("HEAD", path), server.request("GET", path)
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


def test_the_health_check_answers_with_the_status(server: WebServer) -> None:
    health = server.request("GET", "/healthz").json
    assert health["status"] == "ok" and health["networks"] == 6 and health["storage"]["ok"]


# Records and logs -------------------------------------------------------------


def test_web_questions_the_bot_could_not_answer_are_stored_with_their_channel(server: WebServer, client: str) -> None:
    server.ask("колико кошта карта за аутобус до Софије", client=client)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [q for q in read_unanswered(server.data_dir, 1) if "Софије" in q.text]
        if found:
            break
        time.sleep(0.1)
    assert [(q.channel, q.outcome) for q in found] == [("web", "fallback")]


def test_logs_carry_neither_addresses_nor_questions(server: WebServer) -> None:
    server.ask("Питање које не сме у лог", client="192.0.2.77")
    time.sleep(0.2)
    logs = server.logs()
    assert "answered channel=web intent=" in logs
    assert "Питање које не сме" not in logs and "192.0.2.77" not in logs
    assert [line for line in logs.splitlines() if "127.0.0.1" in line and "web chat on" not in line] == []


# /staff -------------------------------------------------------------------------


def test_staff_page_does_not_exist_without_a_token() -> None:
    with web_server() as server:
        assert server.request("GET", "/staff").status == 404
        assert server.request("POST", "/staff", "token=x").status == 404
        assert server.request("POST", "/staff/logout").status == 404


def sign_in(server: WebServer, token: str, client: str) -> tuple[int, str]:
    reply = server.sign_in(token, client)
    return reply.status, reply.headers.get("Set-Cookie", "") if reply.status == 303 else ""


def session_cookie(set_cookie: str) -> str:
    return next(part.strip() for part in set_cookie.split(",") if part.strip().startswith("nis_staff=")).split(";")[0]


def test_staff_sign_in_sets_a_strict_http_only_session_cookie(server: WebServer, client: str) -> None:
    login = server.request("GET", "/staff")
    assert login.status == 200 and 'type="password"' in login.text and "Cache-Control" in login.headers
    status, cookie = sign_in(server, STAFF_TOKEN, client)
    assert status == 303
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path"} <= attributes and "secure" not in attributes  # over plain http here
    assert "SameSite=Strict" in cookie and "Path=/staff" in cookie
    session = cookie.split(";")[0]
    assert session.startswith("nis_staff=") and STAFF_TOKEN not in cookie
    page = server.request("GET", "/staff", headers={"Cookie": session})
    assert page.status == 200 and "последње учитавање" in page.text and "Питања без одговора: научите бота" in page.text
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    assert xsrf is not None
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with_xsrf_cookie = f"{session}; {page.headers['Set-Cookie'].split(';')[0]}"
    assert server.request("POST", "/staff/logout", "", form | {"Cookie": session}).status == 403  # no `_xsrf`
    assert server.request("GET", "/staff/logout", headers={"Cookie": session}).status == 405
    assert "последње учитавање" in server.request("GET", "/staff", headers={"Cookie": session}).text  # still in
    logout = server.request("POST", "/staff/logout", f"_xsrf={xsrf.group(1)}", form | {"Cookie": with_xsrf_cookie})
    assert logout.status == 303
    assert 'type="password"' in server.request("GET", "/staff", headers={"Cookie": session}).text


def test_a_sign_in_without_the_forms_token_gets_403(server: WebServer, client: str) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": client}
    assert server.request("POST", "/staff", f"token={STAFF_TOKEN}", headers).status == 403


def test_the_staff_page_is_never_framed_and_its_cookie_is_secure_behind_a_tls_proxy(
    server: WebServer, client: str
) -> None:
    assert server.request("GET", "/staff").headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    for method in ("PUT", "OPTIONS"):
        refused = server.request(method, "/staff", "x")
        assert refused.status == 405 and refused.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    reply = server.sign_in(STAFF_TOKEN, client, {"X-Forwarded-Proto": "https"})
    attributes = [part.strip().lower() for part in reply.headers["Set-Cookie"].split(";")[1:]]
    assert reply.status == 303 and "secure" in attributes


def test_after_a_wrong_token_the_next_try_waits_and_is_not_even_checked(server: WebServer, client: str) -> None:
    assert sign_in(server, "wrong-guess-number-one", client) == (403, "")
    early = server.sign_in(STAFF_TOKEN, client)  # even the right token is not checked within the back-off
    assert early.status == 429 and early.headers["Retry-After"] == "1" and "Покушајте поново за 1 s" in early.text
    time.sleep(1.1)
    assert sign_in(server, "wrong-guess-number-two", client)[0] == 403
    assert server.sign_in("wrong-guess-number-three", client).headers["Retry-After"] == "2"
    assert sign_in(server, STAFF_TOKEN, next(_clients))[0] == 303  # another address is not held up
    logs = server.logs()
    assert "1 wrong /staff token(s) since the last such line; this address: 1 in 15 min, next try in 1 s" in logs
    assert logs.count("wrong /staff token") == 1  # the second within LOG_EVERY_SECONDS waits for the next line
    assert "wrong-guess" not in logs and client not in logs


def test_a_burst_of_guesses_gets_one_checked_and_the_rest_429_at_once(server: WebServer, client: str) -> None:
    cookie, xsrf = server.form_token(client)
    form = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": client, "Cookie": cookie}

    def guess(number: int) -> int:
        body = urllib.parse.urlencode({"token": f"guess-number-{number}", "_xsrf": xsrf})
        return server.request("POST", "/staff", body, form).status

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(guess, range(60)))
    assert statuses.count(403) == 1 and statuses.count(429) == 59


def test_the_staff_page_shows_the_report_grouped_and_escaped(server: WebServer, client: str) -> None:
    for question in (
        "<img src=x onerror=alert(1)> koliko kosta parking",
        "<img src=x onerror=alert(1)> koliko košta parking",
    ):
        server.ask(question, client=client)
    _, cookie = sign_in(server, STAFF_TOKEN, next(_clients))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        page = server.request("GET", "/staff?days=1", headers={"Cookie": cookie.split(";")[0]}).text
        if "parking" in page:
            break
        time.sleep(0.1)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; koliko" in page
    assert re.search(r"&lt;img src=x onerror=alert\(1\)&gt; kolik\S+ \S+ parking</h3>\s*<p>пута: 2 ", page), page
    assert "web 2" in page
