"""What an HTTP client may cost, the same on every port the bot listens on (web side, webhook).

A client that sends its request slowly, or never, or never reads the answer,
holds a connection and its memory; one that opens thousands, or pipelines
thousands of requests on one, holds the server (issue 18).  So:

* the request's headers must arrive within `HEADERS_SECONDS` and its body
  within `BODY_SECONDS`; tornado times the headers of a request and a
  keep-alive connection's wait for the next one with one clock, so an idle
  keep-alive connection is closed after `HEADERS_SECONDS` too, well within the
  minute the issue allows (a browser or proxy opens a new one without notice);
* an answer the client does not read within `WRITE_SECONDS` closes the
  connection, and so does an unread backlog of `MAX_WRITE_BUFFER` bytes;
* one connection serves at most `MAX_REQUESTS` requests (the last answer says
  `Connection: close`, so a keep-alive proxy opens a new one rather than
  sending the next request into a closed socket), one peer address holds
  at most `MAX_PER_PEER` connections and the server `MAX_CONNECTIONS`; a
  connection over these is closed at once.  (Behind the city's proxy every
  connection comes from the proxy, whose own pool stays well under the limit.)

`GuardedHTTPServer` is tornado's `HTTPServer` with these limits.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from tornado import httputil
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.iostream import IOStream

HEADERS_SECONDS = 10.0
BODY_SECONDS = 30.0
IDLE_SECONDS = HEADERS_SECONDS  # see above: one clock in tornado
WRITE_SECONDS = 30.0
MAX_WRITE_BUFFER = 1024 * 1024
MAX_REQUESTS = 100
MAX_PER_PEER = 200
MAX_CONNECTIONS = 2000
CHECK_EVERY_SECONDS = 1.0


class _LastOnConnection(httputil.HTTPMessageDelegate):
    """A request whose answer carries `Connection: close`, and after which tornado closes the connection.

    tornado decides that from the request's headers just before it hands them over, and keeps the decision in
    the connection's `_disconnect_on_finish` (tornado/http1connection.py); this sets it then."""

    def __init__(self, delegate: httputil.HTTPMessageDelegate, connection: httputil.HTTPConnection):
        self._delegate = delegate
        self._connection = connection

    def headers_received(
        self, start_line: httputil.RequestStartLine | httputil.ResponseStartLine, headers: httputil.HTTPHeaders
    ) -> Any:
        self._connection._disconnect_on_finish = True  # type: ignore[attr-defined]
        return self._delegate.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Any:
        return self._delegate.data_received(chunk)

    def finish(self) -> None:
        self._delegate.finish()

    def on_connection_close(self) -> None:
        self._delegate.on_connection_close()


def server_options() -> dict[str, Any]:
    """Keyword arguments for tornado's `HTTPServer` (or `Application.listen`)."""
    return {"idle_connection_timeout": IDLE_SECONDS, "body_timeout": BODY_SECONDS}


class GuardedHTTPServer(HTTPServer):
    """tornado's HTTPServer, closing connections that cost more than a client may (the module's limits)."""

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        super().initialize(*args, **server_options() | kwargs)
        self._peer_of: dict[IOStream, str] = {}
        self._peers: Counter[str] = Counter()
        self._requests: Counter[IOStream] = Counter()
        self._writing_since: dict[IOStream, float] = {}
        self._watchdog = PeriodicCallback(self._close_slow_readers, CHECK_EVERY_SECONDS * 1000)

    def add_sockets(self, sockets: Any) -> None:
        super().add_sockets(sockets)
        self._watchdog.start()

    def stop(self) -> None:
        self._watchdog.stop()
        super().stop()

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        peer = str(address[0]) if address else ""
        if len(self._peer_of) >= MAX_CONNECTIONS or self._peers[peer] >= MAX_PER_PEER:
            stream.close()
            return
        stream.max_write_buffer_size = MAX_WRITE_BUFFER
        self._peer_of[stream] = peer
        self._peers[peer] += 1
        super().handle_stream(stream, address)

    def start_request(self, server_conn: object, request_conn: httputil.HTTPConnection) -> httputil.HTTPMessageDelegate:
        stream: IOStream = server_conn.stream  # type: ignore[attr-defined]
        self._requests[stream] += 1
        if self._requests[stream] > MAX_REQUESTS:  # a pipelined flood: this connection has had its share
            stream.close()
        delegate = super().start_request(server_conn, request_conn)
        if self._requests[stream] == MAX_REQUESTS:  # the last one: its answer says so, so a proxy opens a new one
            return _LastOnConnection(delegate, request_conn)
        return delegate

    def on_close(self, server_conn: object) -> None:
        stream: IOStream = server_conn.stream  # type: ignore[attr-defined]
        peer = self._peer_of.pop(stream, None)
        if peer is not None:
            self._peers[peer] -= 1
            if self._peers[peer] <= 0:
                del self._peers[peer]
        self._requests.pop(stream, None)
        self._writing_since.pop(stream, None)
        super().on_close(server_conn)

    def _close_slow_readers(self) -> None:
        """Close each connection whose answer has waited to be read for WRITE_SECONDS."""
        now = time.monotonic()
        for stream in list(self._peer_of):
            if not stream.writing():
                self._writing_since.pop(stream, None)
            elif now - self._writing_since.setdefault(stream, now) >= WRITE_SECONDS:
                stream.close()
