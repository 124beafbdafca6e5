"""`POST /api/ask`, `POST /api/rate` and `GET /healthz`.

`/api/ask` takes `{"question": "…", "conversation": "…"}` (conversation optional);
the answer has the fields of `python -m bot ask --json`, the `conversation` to
send with the next question, and the `script` the interface should use.
`/api/rate` takes `{"intent": "…", "network": "…", "helpful": true}` for an
answer and counts it like a 👍/👎 in Telegram (204).  A body over 64 KB gets 413,
one that is not what the endpoint takes gets 400 and a sentence, a client over
WEB_QUOTA requests a minute (both endpoints together) 429 with Retry-After.  An
empty question is the engine's business (it answers with its fallback), and a
long one too (it reads the first 1,000 characters).
"""

from __future__ import annotations

import json
import re
import time
from http import HTTPStatus
from typing import Any

from tornado.web import stream_request_body

from bot.recording import WEB
from bot.tg.quota import Verdict
from bot.web.base import BaseHandler

MAX_BODY = 64 * 1024
# A body up to this size is read to its end and then refused with 413, so the client reads the refusal; a
# larger one is refused before it is read, and the connection closed (a client still sending may see a reset).
MAX_READ_BODY = 1024 * 1024
CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class Refused(Exception):
    """A request the API does not answer: the HTTP status and the sentence saying why."""

    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


@stream_request_body
class JsonPost(BaseHandler):
    """A POST whose body is a JSON object of at most MAX_BODY bytes, from a client within its quota;
    `answer` turns the object into the reply, or raises `Refused`."""

    def prepare(self) -> None:
        self._body = bytearray()
        self._too_large = False
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_READ_BODY:
            self._refuse(Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _TOO_LARGE))
        elif self.request.connection is not None:
            self.request.connection.set_max_body_size(MAX_READ_BODY)  # type: ignore[attr-defined]

    def data_received(self, chunk: bytes) -> None:
        if len(self._body) + len(chunk) > MAX_BODY:
            self._too_large = True
        elif not self._too_large:
            self._body.extend(chunk)

    def post(self) -> None:
        try:
            self._check_quota()
            reply = self.answer(self._read_object())
        except Refused as refused:
            self._refuse(refused)
            return
        if reply is None:
            self.set_status(HTTPStatus.NO_CONTENT)
            self.finish()
        else:
            self._json(reply)

    def answer(self, request: dict[str, Any]) -> dict[str, Any] | None:
        raise NotImplementedError

    def _check_quota(self) -> None:
        quota = self.site.quota
        if quota is None:
            return
        client = self.client_address()
        if quota.check(client) is Verdict.ANSWER:
            return
        self.site.recorder.stats.web_over_quota += 1
        self.set_header("Retry-After", str(max(1, quota.retry_after(client))))
        raise Refused(HTTPStatus.TOO_MANY_REQUESTS, _TOO_MANY.format(per_minute=quota.per_minute))

    def _read_object(self) -> dict[str, Any]:
        if self._too_large:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _TOO_LARGE)
        try:
            request = json.loads(self._body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise Refused(HTTPStatus.BAD_REQUEST, _NOT_JSON) from error
        if not isinstance(request, dict):
            raise Refused(HTTPStatus.BAD_REQUEST, _NOT_AN_OBJECT)
        return request

    def _refuse(self, refused: Refused) -> None:
        self.set_status(refused.status)
        self._json({"error": str(refused)})

    def _json(self, body: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body, ensure_ascii=False))


class AskHandler(JsonPost):
    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        question, conversation = request.get("question"), request.get("conversation")
        if not isinstance(question, str):
            raise Refused(HTTPStatus.BAD_REQUEST, _NO_QUESTION)
        if conversation is not None and not (isinstance(conversation, str) and CONVERSATION_ID.fullmatch(conversation)):
            raise Refused(HTTPStatus.BAD_REQUEST, _BAD_CONVERSATION)
        conversation, state = self.site.conversations.get(conversation)
        answer = self.site.live.engine.answer(question, state)
        self.site.conversations.remember(conversation, answer.state)
        self.site.recorder.note(answer, started, WEB)
        return {**answer.to_json(), "conversation": conversation, "script": answer.script.value}


class RateHandler(JsonPost):
    def answer(self, request: dict[str, Any]) -> None:
        engine = self.site.live.engine
        intent, network, helpful = request.get("intent"), request.get("network"), request.get("helpful")
        if intent not in engine.responses or not (network is None or network in engine.networks):
            raise Refused(HTTPStatus.BAD_REQUEST, _BAD_RATING)
        if not isinstance(helpful, bool):
            raise Refused(HTTPStatus.BAD_REQUEST, _BAD_RATING)
        self.site.recorder.vote(str(intent), network, helpful)


class HealthHandler(BaseHandler):
    """GET /healthz: the bot's status as JSON (the container's health check reads it)."""

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write(self.site.status().to_json())


# The API's refusals, for whoever builds a client: English, since they are for developers, not citizens.
_TOO_LARGE = f"The request body is larger than {MAX_BODY // 1024} KB; a question needs far less."
_NOT_JSON = 'The request body is not JSON; send {"question": "…"} in UTF-8 with Content-Type: application/json.'
_NOT_AN_OBJECT = 'The request body must be a JSON object, e.g. {"question": "Шта је НАЛЕД?"}.'
_NO_QUESTION = 'The request needs a "question" field with text, e.g. {"question": "Шта је НАЛЕД?"}.'
_BAD_CONVERSATION = (
    'The "conversation" field must be the id a previous answer returned (letters, digits, - and _), or left out.'
)
_BAD_RATING = 'A rating needs "intent" and "network" as an answer returned them, and "helpful": true or false.'
_TOO_MANY = "More than {per_minute} questions a minute came from this address; ask again after Retry-After seconds."
