"""How long an HTTP client may take, the same on every port the bot listens on (web side, webhook).

A client that opens a connection and sends its request slowly, or never, holds
a connection and its memory (400 such clients were held a whole minute, issue
18).  So the request's headers must arrive within `HEADERS_SECONDS` and its
body within `BODY_SECONDS`.  tornado times the headers of a request and a
keep-alive connection's wait for the next one with one clock, so an idle
keep-alive connection is closed after `HEADERS_SECONDS` too, well within the
minute the issue allows; a browser or proxy opens a new one without notice.
"""

from __future__ import annotations

from typing import Any

HEADERS_SECONDS = 10.0
BODY_SECONDS = 30.0
IDLE_SECONDS = HEADERS_SECONDS  # see above: one clock in tornado


def server_options() -> dict[str, Any]:
    """Keyword arguments for tornado's `HTTPServer` (or `Application.listen`)."""
    return {"idle_connection_timeout": IDLE_SECONDS, "body_timeout": BODY_SECONDS}
