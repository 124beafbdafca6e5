"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and the load benchmark.

It speaks enough of the Bot API for python-telegram-bot: `getMe`,
`deleteWebhook`, long-polling `getUpdates` over a queue the test fills (an
offset confirms, and forgets, every update below it, as Telegram does),
`sendMessage`, `editMessageText`, `editMessageReplyMarkup`, `answerCallbackQuery`, `setWebhook`, `setMyCommands`,
`setMyDescription`, `setMyShortDescription`, `answerInlineQuery`.  Bodies are
parsed as python-telegram-bot sends them (form fields, JSON-encoded where the
value is not a plain string).  Every call is recorded; a test can make the next
call of a method fail once (a 500, or a 429 with `retry_after`).  Unknown
methods answer as Telegram does: `ok: false`, 404.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 7000001
BOT_USERNAME = "nis_mreze_bot"
TOKEN = "123456:TEST-token-never-logged"
# Fields python-telegram-bot sends JSON-encoded; all others are plain strings.
JSON_FIELDS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "reply_markup", "link_preview_options",
    "commands", "results", "reply_parameters", "allowed_updates", "entities", "show_alert", "is_personal",
    "drop_pending_updates", "disable_notification", "protect_content", "button", "scope",
}  # fmt: skip


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    ok: bool = True  # False when the fake refused it (an injected fault or a bad request)


class FakeBotApi:
    def __init__(self, token: str = TOKEN):
        self.token = token
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._faults: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._condition = threading.Condition()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.pushed_at: dict[int, float] = {}  # update id -> when the test pushed it
        self.confirmed = 0  # every update below this was confirmed, and is forgotten
        self.on_confirm: Callable[[int], None] | None = None  # called with each new offset, before forgetting

    # Life cycle ------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/bot"

    def start(self) -> FakeBotApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._condition:
            self._condition.notify_all()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # What tests do -------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        with self._condition:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **update})
            self.pushed_at[update_id] = time.monotonic()
            self._condition.notify_all()
        return update_id

    def push_text(self, chat_id: int, text: str, **extra: Any) -> int:
        return self.push({"message": self.message(chat_id, text=text, **extra)})

    def push_command(self, chat_id: int, command: str) -> int:
        """`/start` as a Telegram client sends it: with a `bot_command` entity over the command."""
        length = len(command.split()[0])
        return self.push_text(chat_id, command, entities=[{"type": "bot_command", "offset": 0, "length": length}])

    def message(
        self, chat_id: int, chat_type: str = "private", user_id: int | None = None, **fields: Any
    ) -> dict[str, Any]:
        user = {"id": user_id or chat_id, "is_bot": False, "first_name": "Грађанин"}
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Група"
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": user, **fields}

    def push_callback(self, chat_id: int, data: str, message_id: int = 1) -> int:
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Мреже"},
            "text": "…",
        }
        user = {"id": chat_id, "is_bot": False, "first_name": "Грађанин"}
        query = {"id": f"cb{next(self._message_ids)}", "from": user, "chat_instance": "ci", "data": data}
        return self.push({"callback_query": {**query, "message": message}})

    def push_inline(self, user_id: int, query: str) -> int:
        user = {"id": user_id, "is_bot": False, "first_name": "Грађанин"}
        return self.push(
            {"inline_query": {"id": f"iq{next(self._message_ids)}", "from": user, "query": query, "offset": ""}}
        )

    def fail_next(self, method: str, status: int, description: str, retry_after: int | None = None) -> None:
        """Make the next call of `method` fail once, as Telegram would."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self._condition:
            self._faults.setdefault(method, []).append((status, body))

    def calls_of(self, method: str) -> list[Call]:
        with self._condition:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, where: Callable[[Call], bool] = lambda c: True, timeout: float = 10.0, count: int = 1
    ) -> list[Call]:
        """Wait until `count` calls of `method` match `where`; return them (fail the test after `timeout`)."""
        deadline = time.monotonic() + timeout
        found: list[Call] = []
        scanned = 0
        with self._condition:
            while True:
                found.extend(c for c in self.calls[scanned:] if c.method == method and where(c))
                scanned = len(self.calls)
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.params.get("text", "")[:60]) for c in self.calls[-10:]]
                    raise AssertionError(f"no {count} × {method} within {timeout} s; last calls: {seen}")
                self._condition.wait(remaining)

    # Serving ---------------------------------------------------------------

    def _handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._condition:
            faults = self._faults.get(method)
            if faults:
                status, body = faults.pop(0)
                self.calls.append(Call(method, params, ok=False))
                self._condition.notify_all()
                return status, body
        if method == "getUpdates":
            with self._condition:
                self.calls.append(Call(method, params))
                self._condition.notify_all()
            return HTTPStatus.OK, {"ok": True, "result": self._get_updates(params)}
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return HTTPStatus.NOT_FOUND, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        refused = self._check(method, params)
        if refused:
            with self._condition:
                self.calls.append(Call(method, params, ok=False))
                self._condition.notify_all()
            return HTTPStatus.BAD_REQUEST, {"ok": False, "error_code": 400, "description": refused}
        result = handler(params)
        with self._condition:
            self.calls.append(Call(method, params))
            self._condition.notify_all()
        return HTTPStatus.OK, {"ok": True, "result": result}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """As Telegram: an offset confirms every update below it, which is then forgotten; the rest is sent
        again until confirmed."""
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(timeout, 5.0)
        if offset > self.confirmed:
            if self.on_confirm is not None:
                self.on_confirm(offset)
            self.confirmed = offset
        with self._condition:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._condition.wait(deadline - time.monotonic())
            return self._updates[:limit]

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Мреже градова",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    _api_setMyCommands = _api_setMyDescription = _api_setMyShortDescription = _api_deleteWebhook
    _api_answerCallbackQuery = _api_answerInlineQuery = _api_setWebhook = _api_deleteWebhook

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent_message(params)

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent_message(params, message_id=int(params.get("message_id", 0)))

    _api_editMessageReplyMarkup = _api_editMessageText

    def _check(self, method: str, params: dict[str, Any]) -> str | None:
        """What Telegram would refuse in this call, as its error description."""
        if method in ("sendMessage", "editMessageText"):
            text = params.get("text", "")
            if not text.strip():
                return "Bad Request: message text is empty"
            if len(text.encode("utf-16-le")) // 2 > 4096 + 2000:  # markup does not count; plain text must fit
                return "Bad Request: message is too long"
            if params.get("parse_mode") == "HTML":
                return _html_problem(text)
        return None

    def _sent_message(self, params: dict[str, Any], message_id: int | None = None) -> dict[str, Any]:
        chat_id = params["chat_id"]
        return {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "group"},
            "from": self._api_getMe({}),
            "text": params.get("text", ""),
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm on, the body then waits
            # for the client's delayed ACK (40 ms on Linux) on every kept-alive request.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                prefix = f"/bot{api.token}/"
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.startswith(prefix):
                    self._reply(
                        HTTPStatus.UNAUTHORIZED, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                    )
                    return
                params = _parse_body(raw, self.headers.get("Content-Type", ""))
                status, body = api._handle(self.path[len(prefix) :], params)
                self._reply(status, body)

            do_GET = do_POST

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                try:
                    data = json.dumps(body, ensure_ascii=False).encode()
                except UnicodeEncodeError:  # a lone surrogate: JSON can carry it only escaped, `\ud800`
                    data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # a bot under load opens hundreds of connections at once
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the bot hung up mid long-poll (it was stopped): nothing to report
        super().handle_error(request, client_address)


ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
}


def _html_problem(text: str) -> str | None:
    """Telegram's HTML rules, as far as the bot uses them: known tags, balanced, only escaped `<`, `&`."""
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-zA-Z-]+)[^>]*>|<|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|&", text):
        whole, closing, tag = match.group(0), match.group(1), match.group(2)
        if whole in ("<", "&"):
            return f"Bad Request: can't parse entities: unexpected '{whole}' at byte offset {match.start()}"
        if tag is None:
            continue  # an entity
        if tag.lower() not in ALLOWED_TAGS:
            return f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"'
        if closing:
            if not stack or stack.pop() != tag.lower():
                return f'Bad Request: can\'t parse entities: unexpected end tag "{tag}"'
        else:
            stack.append(tag.lower())
    return f'Bad Request: can\'t parse entities: unclosed tag "{stack[-1]}"' if stack else None


def _parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        parsed: dict[str, Any] = json.loads(raw)
        return parsed
    fields = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    return {key: json.loads(value) if key in JSON_FIELDS else value for key, value in fields.items()}
