"""`POST /api/ask`, `POST /api/rate` and `GET /healthz`.

`/api/ask` takes `{"question": "…", "conversation": "…"}` (conversation optional);
the answer has the fields of `python -m bot ask --json`, the `conversation` to
send with the next question, the `script` the interface should use and, for an
answer about a network, an `answer_id`.  `/api/rate` takes `{"conversation": "…",
"answer_id": "…", "helpful": true}` and counts it like a 👍/👎 in Telegram
(204): only for an answer this conversation got, once (409 the second time).

Both take only JSON (`Content-Type: application/json`, else 415) and only from
the page's own site or WEB_EMBED_ORIGINS: a browser's `Origin` from anywhere
else gets 403, so another site cannot post in a visitor's name (a plain form or
`text/plain` post carries no JSON type, and a JSON one from another site needs
a CORS permission this server never gives).  A body over 64 KB gets 413, one
that is not what the endpoint takes gets 400 and a sentence, a client over
WEB_QUOTA requests a minute (both endpoints together) 429 with Retry-After.  The
question is cleaned as it enters (bot/text.py); an empty one is the engine's
business (it answers with its fallback), and a long one too (it reads the
beginning).
"""

from __future__ import annotations

import json
import re
import time
from http import HTTPStatus
from typing import Any

from tornado.web import stream_request_body

from bot.memory import Vote
from bot.quota import Verdict
from bot.text import is_number
from bot.web.base import BaseHandler

MAX_BODY = 64 * 1024
# A body up to this size is read to its end and then refused with 413, so the client reads the refusal; a
# larger one is refused before it is read, and the connection closed (a client still sending may see a reset).
MAX_READ_BODY = 1024 * 1024
CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
JSON_TYPE = "application/json"


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
        self.arrived = time.time()  # the headers are in (the body streams after): the answer time counts from here
        self._body = bytearray()
        self._too_large = False
        declared = self.request.headers.get("Content-Length", "")
        if is_number(declared) and int(declared) > MAX_READ_BODY:
            self._refuse(Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _TOO_LARGE))
        elif self.request.connection is not None:
            self.request.connection.set_max_body_size(MAX_READ_BODY)  # type: ignore[attr-defined]

    def check_xsrf_cookie(self) -> None:
        """Not tornado's form token: the API is guarded by its JSON type and the Origin (`_check_sender`)."""

    def data_received(self, chunk: bytes) -> None:
        if len(self._body) + len(chunk) > MAX_BODY:
            self._too_large = True
        elif not self._too_large:
            self._body.extend(chunk)

    def post(self) -> None:
        try:
            self._check_sender()
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

    def _check_sender(self) -> None:
        """JSON only, and from a browser only when the page came from here or from a site allowed to embed it."""
        origin = self.request.headers.get("Origin")
        if origin is not None and not self.same_site(origin):
            raise Refused(HTTPStatus.FORBIDDEN, _CROSS_SITE)
        media_type = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type != JSON_TYPE:
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, _NOT_JSON_TYPE)

    def _check_quota(self) -> None:
        door, client = self.site.door, self.client_address()
        if door.quota is None or door.admit(client) is Verdict.ANSWER:
            return
        self.set_header("Retry-After", str(max(1, door.retry_after(client))))
        raise Refused(HTTPStatus.TOO_MANY_REQUESTS, _TOO_MANY.format(per_minute=door.quota.per_minute))

    def _read_object(self) -> dict[str, Any]:
        if self._too_large:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _TOO_LARGE)
        try:
            request = json.loads(self._body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise Refused(HTTPStatus.BAD_REQUEST, _NOT_JSON) from error
        except RecursionError as error:  # `[[[[…]]]]` thousands deep: Python's parser gives up
            raise Refused(HTTPStatus.BAD_REQUEST, _TOO_DEEP) from error
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
        question, conversation = request.get("question"), request.get("conversation")
        if not isinstance(question, str):
            raise Refused(HTTPStatus.BAD_REQUEST, _NO_QUESTION)
        turn = self.site.door.ask(_conversation_id(conversation, required=False), question, self.arrived)
        reply = {**turn.answer.to_json(), "conversation": turn.conversation, "script": turn.answer.script.value}
        return reply | ({"answer_id": turn.answer_id} if turn.answer_id else {})


class RateHandler(JsonPost):
    def answer(self, request: dict[str, Any]) -> None:
        conversation = _conversation_id(request.get("conversation"), required=True)
        answer_id, helpful = request.get("answer_id"), request.get("helpful")
        if not (isinstance(answer_id, str) and CONVERSATION_ID.fullmatch(answer_id)) or not isinstance(helpful, bool):
            raise Refused(HTTPStatus.BAD_REQUEST, _BAD_RATING)
        assert conversation is not None
        vote, given = self.site.door.rate(conversation, answer_id, helpful)
        if vote is Vote.UNAVAILABLE:
            self.set_header("Retry-After", "5")
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, _TRY_AGAIN)
        if vote is Vote.UNKNOWN or given is None:
            raise Refused(HTTPStatus.BAD_REQUEST, _NOT_GIVEN)
        if vote is Vote.ALREADY:
            raise Refused(HTTPStatus.CONFLICT, _ALREADY_RATED)


def _conversation_id(value: object, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not (isinstance(value, str) and CONVERSATION_ID.fullmatch(value)):
        raise Refused(HTTPStatus.BAD_REQUEST, _BAD_CONVERSATION)
    return value


class HealthHandler(BaseHandler):
    """GET /healthz: the bot's status as JSON (the container's health check reads it), without the
    details of a fault (file paths, error texts): those are for /staff and the logs."""

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write(self.site.status().to_json(public=True))

    head = get  # an uptime probe may ask with HEAD


# The API's refusals, for whoever builds a client: English, since they are for developers, not citizens.
_TOO_LARGE = f"The request body is larger than {MAX_BODY // 1024} KB; a question needs far less."
_NOT_JSON = 'The request body is not JSON; send {"question": "…"} in UTF-8 with Content-Type: application/json.'
_NOT_AN_OBJECT = 'The request body must be a JSON object, e.g. {"question": "Шта је НАЛЕД?"}.'
_TOO_DEEP = "The request body nests too deeply; a question is one JSON object of plain values."
_NOT_JSON_TYPE = "Send the request body as JSON, with Content-Type: application/json."
_CROSS_SITE = "Requests from other sites are refused; the chat page of this server (or of a site embedding it) can ask."
_NO_QUESTION = 'The request needs a "question" field with text, e.g. {"question": "Шта је НАЛЕД?"}.'
_BAD_CONVERSATION = (
    'The "conversation" field must be the id a previous answer returned (letters, digits, - and _), or left out.'
)
_BAD_RATING = 'A rating needs "conversation" and "answer_id" as an answer returned them, and "helpful": true or false.'
_NOT_GIVEN = "That answer was not given in this conversation (or the conversation has ended); it cannot be rated."
_ALREADY_RATED = "That answer has already been rated."
_TRY_AGAIN = "The rating could not be recorded just now; please try again in a few seconds."
_TOO_MANY = "More than {per_minute} questions a minute came from this address; ask again after Retry-After seconds."
