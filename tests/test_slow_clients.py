"""Slow and idle clients are dropped (issue 18): headers, a body and an idle keep-alive each have a time limit.

The web side runs in this process, with the limits of bot/http_limits.py shortened
for the test (the real ones are 10 s and 30 s); each case holds a raw socket the
way a slow-loris client does and sees the server close it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.http_limits
from bot.loader import DEFAULT_INTENTS, DEFAULT_KNOWLEDGE
from bot.recording import Recorder, Stats
from bot.reloader import LiveKnowledge
from bot.settings import Settings
from bot.status import Status
from bot.storage.database import Health
from bot.web.base import Site
from bot.web.server import start_web, stop_web
from tests.bot_process import free_port

HEADERS, BODY = 0.5, 1.0


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    patch = pytest.MonkeyPatch()
    patch.setattr(bot.http_limits, "HEADERS_SECONDS", HEADERS)
    patch.setattr(bot.http_limits, "IDLE_SECONDS", HEADERS)
    patch.setattr(bot.http_limits, "BODY_SECONDS", BODY)
    chosen = free_port()
    data = tmp_path_factory.mktemp("data")
    settings = Settings(web_port=chosen, data_dir=Path(data), web_quota=0)
    live = LiveKnowledge(DEFAULT_KNOWLEDGE, DEFAULT_INTENTS, Path(data) / "models")

    def status() -> Status:
        return Status(live.version, len(live.engine.networks), None, Health(), 0, 0, 0)

    site = Site(settings, live, Recorder(Stats(), None), status)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def serve() -> None:
        server = start_web(site)
        await stop.wait()
        await stop_web(server)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", chosen), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield chosen
    loop.call_soon_threadsafe(stop.set)
    thread.join(5)
    patch.undo()


def closed_within(connection: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection (reading gives EOF or a reset) within `seconds`."""
    connection.settimeout(seconds)
    try:
        while connection.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def test_a_client_that_never_finishes_its_headers_is_dropped(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\n")  # and then nothing
        assert closed_within(connection, HEADERS + 3)


def test_a_client_that_never_finishes_its_body_is_dropped(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(
            b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        assert closed_within(connection, BODY + 3)


def test_an_idle_keep_alive_connection_is_closed(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.settimeout(5)
        assert connection.recv(4096).startswith(b"HTTP/1.1 200")
        assert closed_within(connection, HEADERS + 3)


def test_a_client_that_keeps_sending_is_served(port: int) -> None:
    """The limits are on slowness, not on work: a question sent at once is answered."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        body = '{"question": "Шта је НАЛЕД?"}'.encode()
        head = f"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
        connection.sendall(head.encode() + b"\r\n\r\n" + body)
        connection.settimeout(10)
        assert connection.recv(65536).startswith(b"HTTP/1.1 200")
