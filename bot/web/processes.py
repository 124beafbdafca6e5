"""WEB_PROCESSES: several processes answering the web side on one port, so every core answers.

The parent takes the data folder's lock (one multi-process web side per data
folder: a second would share the port and the files), loads the knowledge once,
checks that the ports are free, and forks the processes; each listens with
SO_REUSEPORT, so the kernel spreads new connections evenly over them (one shared
listening socket would let one process take most keep-alive connections and
leave a core idle), and runs the whole web side: the page, the API, /staff,
/metrics.  What must be the same whichever process answers lives in files they
share: conversation memory, quotas and staff sessions (bot/web/shared.py),
unanswered questions and daily counts (the database), and the Prometheus
counters (PROMETHEUS_MULTIPROC_DIR, set by `prepare` before the first import of
prometheus_client).  The parent only passes SIGTERM and SIGINT on and waits;
when a process dies of anything else, the others are stopped too and the exit
code says so, for Docker or systemd to restart the whole; a parent killed
outright takes its processes with it (PR_SET_PDEATHSIG).  Telegram never runs
here: `run` keeps it in one process.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import logging
import os
import shutil
import signal
import socket
from collections.abc import Callable
from typing import IO, NamedTuple

from tornado.netutil import bind_sockets

from bot.settings import DEFAULT_WEB_PORT, Settings

log = logging.getLogger("bot.web")
METRICS_FOLDER = "metrics"
LOCK_FILE = "web.lock"
_PR_SET_PDEATHSIG = 1
_held: list[IO[str]] = []  # the data folder's lock, held for the parent's life


class Listening(NamedTuple):
    """A process's listening sockets: the web port and METRICS_PORT (if set), both SO_REUSEPORT."""

    web: list[socket.socket]
    metrics: list[socket.socket]


class AlreadyServing(Exception):
    """Another multi-process web side uses this data folder; the message says so."""


def prepare(settings: Settings) -> None:
    """Before anything imports prometheus_client: take the data folder's lock, then empty the counters' folder
    (the counts start with the processes) and point prometheus_client at it.  With one process, make sure no
    folder from elsewhere is used: its old counts would be added forever.  Raises AlreadyServing."""
    if settings.web_processes < 2:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = (settings.data_dir / LOCK_FILE).open("a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise AlreadyServing(
            f"WEB_PROCESSES: у {settings.data_dir} већ ради страница са више процеса; два не могу да деле исте "
            "датотеке (зауставите први или задајте други BOT_DATA_DIR)."
        ) from None
    _held.append(lock)
    folder = settings.data_dir / METRICS_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def serve_processes(settings: Settings, serve_one: Callable[[Listening], None]) -> int:
    """Check the ports, fork WEB_PROCESSES processes each binding them and running `serve_one(listening)`, and
    wait for them."""
    from bot.web.shared import SharedFile

    _check_free(settings)
    shared = SharedFile(settings.data_dir)
    shared.write(("DELETE FROM staff_session", ()))  # a restart signs staff out, as with one process
    shared.close()  # no SQLite connection may cross a fork
    children: dict[int, int] = {}
    state = {"stopping": False}

    def stop(signum: int, _frame: object) -> None:
        state["stopping"] = True
        for pid in children:
            _signal(pid, signum)

    stopping_signals = {signal.SIGTERM, signal.SIGINT}
    for signum in stopping_signals:
        signal.signal(signum, stop)
    # Held back while forking: a stop that comes then is handled once every process is known, not lost.
    signal.pthread_sigmask(signal.SIG_BLOCK, stopping_signals)
    for index in range(settings.web_processes):
        pid = os.fork()
        if pid == 0:
            _child(settings, index, serve_one)
        children[pid] = index
    signal.pthread_sigmask(signal.SIG_UNBLOCK, stopping_signals)
    log.info("web side: %d processes on http://%s:%s/", len(children), settings.web_host, settings.web_port)
    return _wait(children, state)


def _child(settings: Settings, index: int, serve_one: Callable[[Listening], None]) -> None:
    """In a forked process: die with the parent, bind, serve until told to stop; never returns."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)  # the event loop installs its own
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})  # held back by the parent
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before we asked to die with it
        os._exit(1)
    code = 1
    try:
        web, metrics = _bind(settings, reuse=True)
        serve_one(Listening(web, metrics))
        code = 0
    except BaseException:
        log.exception("web process %d failed", index + 1)
    finally:
        logging.shutdown()
        os._exit(code)


def _check_free(settings: Settings) -> None:
    """Bind each port without SO_REUSEPORT: that fails when anyone holds it, another of our own sides included
    (with SO_REUSEPORT it would join it)."""
    from bot.web.server import WebPortUnavailable

    for name, port, host in (
        ("WEB_PORT", settings.web_port or DEFAULT_WEB_PORT, settings.web_host),
        ("METRICS_PORT", settings.metrics_port, settings.metrics_host),
    ):
        if port is None:
            continue
        try:
            for probe in bind_sockets(port, host):
                probe.close()
        except OSError as error:
            raise WebPortUnavailable(
                f"{name}: не може да се слуша на {host}:{port} ({error.strerror or error}); изаберите други {name} "
                "или зауставите програм који га користи."
            ) from error


def _bind(settings: Settings, reuse: bool) -> tuple[list[socket.socket], list[socket.socket]]:
    """This process's own listening sockets on the web port and METRICS_PORT, shared with the others."""
    web = bind_sockets(settings.web_port or DEFAULT_WEB_PORT, settings.web_host, reuse_port=reuse)
    metrics = (
        bind_sockets(settings.metrics_port, settings.metrics_host, reuse_port=reuse) if settings.metrics_port else []
    )
    return web, metrics


def _wait(children: dict[int, int], state: dict[str, bool]) -> int:
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
        if exit_code != 0 and not state["stopping"]:
            log.error("a web process (%d) stopped with %d; stopping the others", pid, exit_code)
            code, state["stopping"] = 1, True
            for other in children:
                _signal(other, signal.SIGTERM)
    return code


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has stopped already
        os.kill(pid, signum)
