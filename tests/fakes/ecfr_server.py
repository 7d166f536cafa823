"""A fake eCFR versioner API on 127.0.0.1 for tests.

Serves ``GET /api/versioner/v1/full/{YYYY-MM-DD}/title-48.xml?part={part}`` from configured
documents, gzip-encoded like the real endpoint, with the real endpoint's refusals (406 without
gzip in Accept-Encoding, 404 for a date it does not have) and injectable faults.

    with FakeEcfrServer({("2026-03-13", "52"): xml}) as server:
        server.fail_next(2)              # two 500s, then normal answers
        server.delay_next(1, seconds=1)  # the next answer starts after 1 s
        EcfrApi(server.base_url).fetch_part(...)
        server.requests                  # what the client sent
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_PATH = re.compile(r"^/api/versioner/v1/full/(?P<date>\d{4}-\d{2}-\d{2})/title-48\.xml$")


@dataclass(frozen=True)
class LoggedRequest:
    path: str
    date: str | None
    part: str | None
    accept_encoding: str
    status: int


class FakeEcfrServer:
    def __init__(self, documents: dict[tuple[str | date, str], bytes] | None = None):
        self._documents: dict[tuple[str, str], bytes] = {}
        for (day, part), body in (documents or {}).items():
            self.add(day, part, body)
        self._lock = threading.Lock()
        self._failures: list[int] = []
        self._delays: list[float] = []
        self.requests: list[LoggedRequest] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def add(self, day: str | date, part: str, body: bytes) -> None:
        """Serve ``body`` (any bytes: XML, or junk to test validation) for (day, part)."""
        self._documents[(str(day), part)] = body

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next ``count`` requests with ``status``."""
        with self._lock:
            self._failures.extend([status] * count)

    def delay_next(self, count: int, seconds: float) -> None:
        """Hold the next ``count`` answers back ``seconds`` before sending anything."""
        with self._lock:
            self._delays.extend([seconds] * count)

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def start(self) -> FakeEcfrServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # A short poll interval keeps shutdown (and each test's teardown) fast.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-ecfr", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeEcfrServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _answer(self, path: str, accept_encoding: str) -> tuple[int, bytes, dict[str, str], float]:
        """Decide status, body, headers and delay for one request, and log it."""
        url = urlsplit(path)
        match = _PATH.match(url.path)
        day = match["date"] if match else None
        part = parse_qs(url.query).get("part", [""])[0] or None
        with self._lock:
            delay = self._delays.pop(0) if self._delays else 0.0
            if self._failures:
                status, body = self._failures.pop(0), b"fake failure"
            elif "gzip" not in accept_encoding.lower():
                status, body = 406, b"Not Acceptable"
            elif day is None or part is None or (day, part) not in self._documents:
                status, body = 404, json.dumps({"error": "Not Found", "date": day, "part": part}).encode()
            else:
                status, body = 200, self._documents[(day, part)]
            self.requests.append(LoggedRequest(url.path, day, part, accept_encoding, status))
        if status == 200:
            return (
                status,
                gzip.compress(body),
                {"Content-Type": "application/xml", "Content-Encoding": "gzip"},
                delay,
            )
        return status, body, {"Content-Type": "text/plain"}, delay

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, headers, delay = server._answer(
                    self.path, self.headers.get("Accept-Encoding", "")
                )
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean; ``requests`` is the log

        return Handler
