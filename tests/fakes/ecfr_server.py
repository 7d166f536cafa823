"""A fake eCFR versioner API on 127.0.0.1 for tests.

Serves ``GET /api/versioner/v1/full/{YYYY-MM-DD}/title-48.xml?part={part}`` from configured
documents, gzip-encoded like the real endpoint, with the real endpoint's refusals (406 without
gzip in Accept-Encoding, 404 for a date it does not have) and injectable faults.

    with FakeEcfrServer({("2026-03-13", "52"): xml}) as server:
        server.fail_next(2)              # two 500s, then normal answers
        server.delay_next(1, seconds=1)  # the next answer starts after 1 s (or at stop())
        EcfrApi(server.base_url).fetch_part(...)
        server.requests                  # what the client sent
        server.count(status=404)         # how many were answered 404
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

from tests.fakes._http import Handler, LocalHTTPServer

_PATH = re.compile(r"^/api/versioner/v1/full/(?P<date>\d{4}-\d{2}-\d{2})/title-48\.xml$")


@dataclass(frozen=True)
class EcfrRequest:
    path: str
    date: str | None
    part: str | None
    accept_encoding: str
    status: int


class FakeEcfrServer(LocalHTTPServer):
    thread_name = "fake-ecfr"

    def __init__(self, documents: dict[tuple[str | date, str], bytes] | None = None):
        super().__init__()
        self._documents: dict[tuple[str, str], bytes] = {}
        for (day, part), body in (documents or {}).items():
            self.add(day, part, body)
        self._failures: list[int] = []
        self._delays: list[float] = []

    def add(self, day: str | date, part: str, body: bytes) -> None:
        """Serve ``body`` (any bytes: XML, or junk to test validation) for (day, part)."""
        self._documents[(str(day), part)] = body

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next ``count`` requests with ``status``."""
        with self._lock:
            self._failures.extend([status] * count)

    def delay_next(self, count: int, seconds: float) -> None:
        """Hold the next ``count`` answers back ``seconds`` (or until stop()) before sending anything."""
        with self._lock:
            self._delays.extend([seconds] * count)

    def handle(self, handler: Handler) -> None:
        url = urlsplit(handler.path)
        accept_encoding = handler.headers.get("Accept-Encoding", "")
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
            self.log(EcfrRequest(url.path, day, part, accept_encoding, status))
        self.wait(delay)
        if status == 200:
            headers = {"Content-Type": "application/xml", "Content-Encoding": "gzip"}
            handler.reply(status, gzip.compress(body), headers)
        else:
            handler.reply(status, body, {"Content-Type": "text/plain"})
