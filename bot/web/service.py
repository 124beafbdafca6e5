"""`python -m bot web`: the web side alone, with no Telegram token: the chat page, the API and /staff.

It answers from the same knowledge files (reloaded when staff edit them, logged
since there is no Telegram admin to tell) and keeps unanswered questions in the
same database as the Telegram bot (BOT_DATA_DIR), so `report` and /staff show
both.  It stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import signal

from bot.loop import use_uvloop
from bot.recording import Recorder, Stats
from bot.reloader import LiveKnowledge, watch
from bot.settings import Settings
from bot.status import Status
from bot.storage.database import Database
from bot.storage.questions import QuestionStore
from bot.web.base import Site
from bot.web.metrics_page import start_metrics
from bot.web.processes import Listening, serve_processes
from bot.web.server import start_web, stop_web


def run_web_processes(settings: Settings, live: LiveKnowledge) -> None:
    """WEB_PROCESSES > 1: that many processes on one port (bot/web/processes.py); each serves as `run_web`.
    The database is made (WAL, its tables) once here first: processes making a new one at the same moment
    could find it locked while one of them switches it to WAL, which SQLite does not wait for."""
    database = Database(settings.data_dir)
    QuestionStore(database, settings.retention_days)
    database.open()  # raises StoreUnavailable with its sentence, before anything is forked
    database.close()
    code = serve_processes(settings, lambda listening: run_web(settings, live, listening))
    if code:
        raise SystemExit(code)


def run_web(settings: Settings, live: LiveKnowledge, listening: Listening | None = None) -> None:
    """Serve until SIGINT or SIGTERM (on `listening`, sockets bound already, in one of WEB_PROCESSES). Raises
    `StoreUnavailable` or `WebPortUnavailable` at start."""
    database = Database(settings.data_dir)
    recorder = Recorder(Stats(), QuestionStore(database, settings.retention_days))
    database.open()
    use_uvloop()
    try:
        asyncio.run(_serve(settings, live, database, recorder, listening))
    finally:
        database.close()


async def _serve(
    settings: Settings, live: LiveKnowledge, database: Database, recorder: Recorder, listening: Listening | None
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    def status() -> Status:
        return Status(
            knowledge_version=live.version,
            networks=len(live.engine.networks),
            knowledge_problem=live.trouble(),
            storage=database.health(),
            waiting=0,
            remembered=len(site.conversations),
            skipped=recorder.stats.web_over_quota,
        )

    async def nobody_to_tell(_: object) -> None:
        """Without Telegram there is no admin to message; the reload is in the log (and on /staff)."""

    site = Site(settings, live, recorder, status)
    server = start_web(site, listening.web if listening else None)
    metrics = start_metrics(settings, status, listening.metrics if listening else None)
    watcher = (
        asyncio.create_task(watch(live, settings.reload_seconds, nobody_to_tell)) if settings.reload_seconds else None
    )
    try:
        await stop.wait()
    finally:
        if watcher is not None:
            watcher.cancel()
        if metrics is not None:
            metrics.stop()
        await stop_web(server)
