"""`python -m bot healthcheck`: the container's probe, from the outside of the running bot.

It asks `/healthz` on the webhook port (webhook mode) or on WEB_PORT, or else reads
the status file polling mode writes (bot/status.py).  A degraded bot (a storage
fault, knowledge files answering from the last good version) passes with what is
wrong on stderr: it answers, and a restart would not mend it.
"""

from __future__ import annotations

import json
import sys

from bot.exit_codes import EXIT_OK, EXIT_PROBLEMS
from bot.settings import Settings


def healthcheck(settings: Settings, timeout: float) -> int:
    """The container's HEALTHCHECK: the bot runs: `/healthz` answers on the webhook port (webhook mode) or on
    WEB_PORT (when set), or else the status file polling mode writes is fresh. A storage fault, or knowledge
    files that do not load while the bot answers from the last good version, print `degraded` but pass:
    the bot answers, and a restart would not mend them."""
    if settings.webhook_url or settings.web_port:
        import urllib.request

        server, port, what = (
            (settings.webhook_listen, settings.webhook_port, "webhook сервер")
            if settings.webhook_url
            else (settings.web_host, settings.web_port, "страница за разговор (WEB_PORT)")
        )
        host = "127.0.0.1" if server in ("0.0.0.0", "::", "") else server
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=timeout) as reply:
                text = reply.read().decode()
        except OSError as error:
            print(f"{what} не одговара на порту {port}: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
    else:
        from bot.status import read_status

        alive, text = read_status(settings.status_file)
        if not alive:
            print(text, file=sys.stderr)
            return EXIT_PROBLEMS
    print(text)
    for problem in _degraded(text):
        print(f"ради, али: {problem}", file=sys.stderr)
    return EXIT_OK


def _degraded(status_json: str) -> list[str]:
    """The sentences of a `degraded` status: why the files on disk do not answer, why storage fails."""
    try:
        status = json.loads(status_json)
        found = [status.get("knowledge_problem"), (status.get("storage") or {}).get("problem")]
    except (ValueError, AttributeError):
        return []
    return [str(problem) for problem in found if problem]
