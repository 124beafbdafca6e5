"""Serve any set of channels until SIGTERM or SIGINT: one database, one recorder, one status, one signal handling.

`python -m bot run` serves Telegram (and the web page beside it with WEB_PORT),
`python -m bot web` the web page alone (in each of WEB_PROCESSES).  Either way
this module opens the database (a damaged file is moved aside), sets up what the
channels share (bot/serving.py), watches the knowledge files (a reload is
logged, and each channel may tell someone: Telegram tells its admins), serves
/metrics on METRICS_PORT, and on a signal asks every channel to stop and waits
for them all.  When one channel fails, the others are stopped and its error is
raised.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import socket
from collections.abc import Callable, Sequence
from typing import Any

from bot.loop import use_uvloop
from bot.reloader import LiveKnowledge, Reload, watch
from bot.serving import ChannelMaker, Serving
from bot.settings import Settings
from bot.web.channel import web_channel
from bot.web.metrics_page import start_metrics
from bot.web.processes import Listening, serve_processes

log = logging.getLogger(__name__)


def serve(
    settings: Settings,
    live: LiveKnowledge,
    channels: Sequence[ChannelMaker],
    metrics_sockets: list[socket.socket] | None = None,
) -> None:
    """Run `channels` until SIGINT or SIGTERM (/metrics on METRICS_PORT, or on `metrics_sockets` bound already by
    WEB_PROCESSES).  Raises `StoreUnavailable` when BOT_DATA_DIR cannot hold the database, and what a channel
    raises at start (a port in use, a token Telegram refuses)."""
    serving = Serving.create(settings, live)
    serving.channels = [make(serving) for make in channels]
    serving.database.open()
    use_uvloop()
    try:
        asyncio.run(_serve(serving, metrics_sockets))
    finally:
        serving.database.close()


async def _serve(serving: Serving, metrics_sockets: list[socket.socket] | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    metrics = start_metrics(serving.settings, serving.status, metrics_sockets)
    reloads = serving.settings.reload_seconds
    watcher = asyncio.create_task(watch(serving.live, reloads, _telling(serving))) if reloads else None
    tasks = [asyncio.create_task(channel.serve(stop)) for channel in serving.channels]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        stop.set()  # one channel failed (or all stopped): the others stop too
        await asyncio.wait(tasks)
        if watcher is not None:
            watcher.cancel()
        if metrics is not None:
            metrics.stop()
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


def _telling(serving: Serving) -> Callable[[Reload], Any]:
    async def tell(result: Reload) -> None:
        for channel in serving.channels:
            try:
                await channel.tell(result)
            except Exception:  # a channel that cannot tell must not stop the watcher (and the reloads) for all
                log.exception("telling of a reload failed")

    return tell


def serve_web(settings: Settings, live: LiveKnowledge, listening: Listening | None = None) -> None:
    """`python -m bot web`: the web page alone (on `listening`, sockets bound already, in one of WEB_PROCESSES)."""
    serve(settings, live, [web_channel(listening.web if listening else None)], listening.metrics if listening else None)


def serve_web_processes(settings: Settings, live: LiveKnowledge) -> None:
    """WEB_PROCESSES > 1: that many processes on one port (bot/web/processes.py); each serves as `serve_web`.
    The database is made (WAL, its tables) once here first: processes making a new one at the same moment
    could find it locked while one of them switches it to WAL, which SQLite does not wait for."""
    serving = Serving.create(settings, live)
    serving.database.open()  # raises StoreUnavailable with its sentence, before anything is forked
    serving.database.close()
    live.engine.warm()
    gc.freeze()  # what the processes share stays shared: no collection in them writes to those pages
    code = serve_processes(settings, lambda listening: serve_web(settings, live, listening))
    if code:
        raise SystemExit(code)
