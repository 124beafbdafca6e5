"""The web page as a channel: the chat page, its API and /staff on WEB_PORT, answering through its door.

Served alone (`python -m bot web`, in each of WEB_PROCESSES) or beside Telegram
(`run` with WEB_PORT) by the runner (bot/runner.py); either way it answers from
the same knowledge and records into the same database.  There is no admin to
tell of a reload: it is in the log and on /staff.
"""

from __future__ import annotations

import asyncio
import socket

from bot.reloader import Reload
from bot.serving import ChannelMaker, Serving
from bot.web.base import Site
from bot.web.server import start_web, stop_web


class WebChannel:
    def __init__(self, serving: Serving, sockets: list[socket.socket] | None = None):
        self.site = Site(serving.settings, serving.live, serving.recorder, serving.status)
        self.doors = [self.site.door]
        self._sockets = sockets

    def waiting(self) -> tuple[int, float]:
        return 0, 0.0  # a request is answered while its client waits: nothing is kept waiting

    async def serve(self, stop: asyncio.Event) -> None:
        server = start_web(self.site, self._sockets)  # raises WebPortUnavailable
        try:
            await stop.wait()
        finally:
            await stop_web(server)

    async def tell(self, reload: Reload) -> None:
        """Nobody to tell on the web side."""


def web_channel(sockets: list[socket.socket] | None = None) -> ChannelMaker:
    """The web channel, on WEB_HOST:WEB_PORT or on `sockets` bound already (WEB_PROCESSES)."""
    return lambda serving: WebChannel(serving, sockets)
