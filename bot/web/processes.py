"""WEB_PROCESSES: several processes answering the web side on one port, so every core answers.

The parent loads the knowledge once, checks that WEB_HOST:WEB_PORT is free, and
forks the processes; each listens on the port with SO_REUSEPORT, so the kernel
spreads new connections evenly over them (one shared listening socket would
let one process take most keep-alive connections and leave a core idle), and
runs the whole web side: the page, the API, /staff, /metrics.  What must be the same whichever process answers lives
in files they share: conversation memory, quotas and staff sessions
(bot/web/shared.py), unanswered questions and daily counts (the database), and
the Prometheus counters (PROMETHEUS_MULTIPROC_DIR, set before the first
import of prometheus_client by `prepare_metrics`).  The parent only passes
SIGTERM and SIGINT on and waits; when a process dies of anything else, the
others are stopped too and the exit code says so, for Docker or systemd to
restart the whole.  Telegram never runs here: `run` keeps it in one process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
from collections.abc import Callable
from typing import NamedTuple

from tornado.netutil import bind_sockets

from bot.settings import DEFAULT_WEB_PORT, Settings

log = logging.getLogger("bot.web")
METRICS_FOLDER = "metrics"


class Listening(NamedTuple):
    """A process's listening sockets: the web port and METRICS_PORT (if set), both SO_REUSEPORT."""

    web: list[socket.socket]
    metrics: list[socket.socket]


def prepare_metrics(settings: Settings) -> None:
    """Counters kept in files every process adds to (prometheus_client's multiprocess mode): must run before
    prometheus_client is first imported; the folder is emptied, as the counts start with the processes."""
    if settings.web_processes < 2:
        return
    folder = settings.data_dir / METRICS_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def serve_processes(settings: Settings, serve_one: Callable[[Listening], None]) -> int:
    """Check the ports, fork WEB_PROCESSES processes each binding them and running `serve_one(listening)`, and
    wait for them."""
    from bot.web.server import WebPortUnavailable
    from bot.web.shared import SharedFile

    try:
        web, metrics = _bind(settings)  # free now; each process binds its own below
        for probe in (*web, *metrics):
            probe.close()
    except OSError as error:
        raise WebPortUnavailable(
            f"WEB_PORT: страница за разговор не може да слуша на {settings.web_host}:{settings.web_port} "
            f"({error.strerror or error}); изаберите други WEB_PORT или зауставите програм који га користи."
        ) from error
    shared = SharedFile(settings.data_dir)
    shared.write(("DELETE FROM staff_session", ()))  # a restart signs staff out, as with one process
    del shared
    children: dict[int, int] = {}
    for index in range(settings.web_processes):
        pid = os.fork()
        if pid == 0:  # the child: serve until told to stop
            code = 1
            try:
                web, metrics = _bind(settings)
                serve_one(Listening(web, metrics))
                code = 0
            except BaseException:
                log.exception("web process %d failed", index + 1)
            finally:
                logging.shutdown()
                os._exit(code)
        children[pid] = index
    log.info("web side: %d processes on http://%s:%s/", len(children), settings.web_host, settings.web_port)
    return _wait(children)


def _bind(settings: Settings) -> tuple[list[socket.socket], list[socket.socket]]:
    """This process's own listening sockets on the web port and METRICS_PORT, shared with the others."""
    web = bind_sockets(settings.web_port or DEFAULT_WEB_PORT, settings.web_host, reuse_port=True)
    metrics = (
        bind_sockets(settings.metrics_port, settings.metrics_host, reuse_port=True) if settings.metrics_port else []
    )
    return web, metrics


def _wait(children: dict[int, int]) -> int:
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            _signal(pid, signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    code = 0
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.pop(pid, None)
        exit_code = os.waitstatus_to_exitcode(status)
        if exit_code != 0 and not stopping:
            log.error("a web process (%d) stopped with %d; stopping the others", pid, exit_code)
            code, stopping = 1, True
            for other in children:
                _signal(other, signal.SIGTERM)
    return code


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has stopped already
        os.kill(pid, signum)
