"""The plumbing the fake servers share: an HTTP server on 127.0.0.1 (an ephemeral port) served from
a daemon thread, a request log, and a stop() that also cuts short any answer the fake holds back.

A fake subclasses :class:`LocalHTTPServer` and implements :meth:`LocalHTTPServer.handle`, which
runs on the server's threads for every GET and answers through :meth:`Handler.reply` or
:meth:`Handler.reply_json`. Entries appended with :meth:`LocalHTTPServer.log` need ``path`` and
``status`` attributes, which :meth:`LocalHTTPServer.count` filters on.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, Self


class LoggedRequest(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def status(self) -> int | None: ...  # None while the answer is not decided yet


class LocalHTTPServer:
    """Binds on construction, so ``base_url`` is known before :meth:`start`; a context manager."""

    protocol_version = "HTTP/1.0"  # what the handler speaks; "HTTP/1.1" keeps connections alive
    thread_name = "fake-http"

    def __init__(self) -> None:
        self._lock = threading.RLock()  # fakes may log() while holding it
        self._stopping = threading.Event()
        self._requests: list[Any] = []
        handler = type("Handler", (Handler,), {"protocol_version": self.protocol_version})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> Self:
        # A short poll interval keeps stop() (and so each test's teardown) fast.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=self.thread_name,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes any answer held back in wait()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait(self, seconds: float) -> None:
        """Hold an answer back ``seconds``, or until stop()."""
        if seconds > 0:
            self._stopping.wait(seconds)

    # -- the request log ---------------------------------------------------------------------------

    def log(self, request: LoggedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[Any]:
        """What was received so far, in order (a copy)."""
        with self._lock:
            return list(self._requests)

    def count(self, path: str | None = None, *, status: int | None = None) -> int:
        """Requests received, optionally only on ``path`` and/or only those answered ``status``."""
        with self._lock:
            return sum(
                1
                for r in self._requests
                if (path is None or r.path == path) and (status is None or r.status == status)
            )

    # -- for subclasses ----------------------------------------------------------------------------

    def handle(self, handler: Handler) -> None:
        """Answer one GET (on a server thread)."""
        raise NotImplementedError


class Handler(BaseHTTPRequestHandler):
    # Headers and body go out in two writes: without TCP_NODELAY each keep-alive answer waits
    # ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self.server.fake.handle(self)  # type: ignore[attr-defined]

    def reply(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (timeout tests)

    def reply_json(self, status: int, payload: Any) -> None:
        """``payload`` serialised as JSON; bytes are sent as they are (to send invalid JSON)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.reply(status, body, {"Content-Type": "application/json"})

    def log_message(self, format: str, *args: object) -> None:
        """Silent: keeps test output clean, and the default would write the query (keys included)
        to stderr; the fake's request log is the record."""
