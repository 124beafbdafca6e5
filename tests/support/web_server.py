"""Run `python -m bot web` (or `run` with WEB_PORT) as a subprocess on a free port, and talk HTTP to it."""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tests.support.bot_process import bot_environment, free_port, start_bot

STAFF_TOKEN = "staff-token-for-the-tests-0123456789"


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class WebServer:
    def __init__(self, process: subprocess.Popen[str], port: int, log: IO[str], data_dir: Path):
        self.process = process
        self.port = port
        self.log = log
        self.data_dir = data_dir
        self.base_url = f"http://127.0.0.1:{port}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | Iterable[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """One request on a new connection; an iterable body is sent in chunks (Transfer-Encoding: chunked)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        chunked = body is not None and not isinstance(body, bytes | str)
        try:
            connection.request(method, path, body=body, headers=dict(headers or {}), encode_chunked=chunked)
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def ask(self, question: Any, conversation: str | None = None, client: str | None = None) -> Reply:
        """POST /api/ask; `client` is sent as X-Forwarded-For (only a server with WEB_TRUST_PROXY believes it)."""
        body: dict[str, Any] = {"question": question}
        if conversation is not None:
            body["conversation"] = conversation
        headers = {"Content-Type": "application/json"} | ({"X-Forwarded-For": client} if client else {})
        return self.request("POST", "/api/ask", json.dumps(body, ensure_ascii=False).encode(), headers)

    def form_token(self, client: str | None = None) -> tuple[str, str]:
        """(Cookie header, `_xsrf` field) from the staff login form, as a browser would carry them to a post."""
        page = self.request("GET", "/staff", headers={"X-Forwarded-For": client} if client else {})
        field = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        assert field is not None, page.text
        return page.headers["Set-Cookie"].split(";")[0], field.group(1)

    def sign_in(self, token: str, client: str, headers: Mapping[str, str] = {}) -> Reply:
        """POST the login form (with its `_xsrf` token) from `client`."""
        cookie, xsrf = self.form_token(client)
        form = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": client, "Cookie": cookie}
        body = urllib.parse.urlencode({"token": token, "_xsrf": xsrf})
        return self.request("POST", "/staff", body, form | dict(headers))

    def logs(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


@contextmanager
def web_server(env: Mapping[str, str] = {}, ready_timeout: float = 60) -> Iterator[WebServer]:
    """Start `python -m bot web` with WEB_PORT on a free port and the given settings; wait for /healthz;
    on exit stop it with SIGTERM and check it stopped cleanly and never logged the staff token."""
    port = free_port()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log, tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(env.get("BOT_DATA_DIR", f"{scratch}/data"))
        full_env = bot_environment(
            {"WEB_PORT": str(port), "BOT_DATA_DIR": str(data_dir), "LOG_LEVEL": "INFO"}
            | {"BOT_STATUS_FILE": f"{scratch}/status.json"}
            | dict(env)
        )
        process = start_bot("web", full_env, log)
        server = WebServer(process, port, log, data_dir)
        try:
            _wait_until_serving(server, ready_timeout)
            yield server
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(20)
            process.kill()
        assert process.returncode == 0, server.logs()
        assert STAFF_TOKEN not in server.logs()


def _wait_until_serving(server: WebServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server exited at start:\n{server.logs()}")
        try:
            if server.request("GET", "/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not answer /healthz within {timeout} s:\n{server.logs()}")
