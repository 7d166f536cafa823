"""Client for the eCFR versioner API: one whole part of Title 48 as XML, streamed to a file.

eCFR publishes a date's edition a day or two late and answers 404 for dates it does not have
yet, so ``fetch_part`` walks back day by day (bounded) and records which dates it skipped.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

import requests

from fedproc_pipeline.regulations.parser import PARTS
from slmkit.http import build_session


class BytesSink(Protocol):
    """Anything XML bytes can be written to: a file, or a gzip stream over one."""

    def write(self, data: bytes, /) -> int: ...


CHUNK_BYTES = 1 << 16
# A byte-order mark or whitespace may precede the XML declaration.
_LEADING = b"\xef\xbb\xbf \t\r\n"

logger = logging.getLogger(__name__)


class EcfrError(RuntimeError):
    """The eCFR API did not deliver the requested part.

    ``transient``: the client's retries ran out on a 5xx, a timeout or a broken connection, so a later
    attempt may succeed; otherwise (406, other 4xx, no edition, not XML) asking again cannot help.
    """

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class EcfrFetch:
    part: str
    requested_date: date
    served_date: date
    url: str
    fallback_dates: list[str]  # ISO dates that answered 404, newest first
    bytes: int  # size of the (decompressed) XML written to the sink
    sha256: str  # of those bytes


class EcfrApi:
    def __init__(
        self,
        base_url: str = "https://www.ecfr.gov",
        *,
        timeout: float = 60.0,
        max_fallback_days: int = 10,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_fallback_days = max_fallback_days
        # build_session retries 5xx answers, connection errors and read timeouts, bounded.
        self.session = session or build_session()

    def part_url(self, part: str, day: date) -> str:
        return f"{self.base_url}/api/versioner/v1/full/{day.isoformat()}/title-48.xml?part={part}"

    def fetch_part(self, part: str, on_or_before: date, sink: BytesSink) -> EcfrFetch:
        """Write 48 CFR ``part`` as of ``on_or_before`` (or the newest earlier date eCFR has,
        at most ``max_fallback_days`` back) to ``sink`` as plain XML bytes.

        A failure part-way through the body leaves partial bytes in ``sink``; write through an
        atomic writer so they never become visible.
        """
        if part not in PARTS:
            raise ValueError(f"part must be one of {', '.join(PARTS)} (FAR 52, DFARS 252), got {part!r}")
        today = datetime.now(UTC).date()
        if on_or_before > today:
            raise ValueError(
                f"on_or_before {on_or_before.isoformat()} is in the future (today is {today} UTC)"
            )

        fallback_dates: list[str] = []
        for offset in range(self.max_fallback_days + 1):
            day = on_or_before - timedelta(days=offset)
            url = self.part_url(part, day)
            response = self._get(url)
            with response:
                if response.status_code == 404:
                    fallback_dates.append(day.isoformat())
                    logger.info("eCFR has no edition for %s (404); trying the day before", day)
                    continue
                self._raise_for_status(response, url)
                size, digest = self._copy_xml(response, sink, url)
            return EcfrFetch(
                part=part,
                requested_date=on_or_before,
                served_date=day,
                url=url,
                fallback_dates=fallback_dates,
                bytes=size,
                sha256=digest,
            )
        raise EcfrError(
            f"eCFR has no title 48 part {part} edition on {on_or_before.isoformat()} "
            f"or the {self.max_fallback_days} days before (404 for {', '.join(fallback_dates)})"
        )

    def _get(self, url: str) -> requests.Response:
        try:
            # The versioner endpoint answers 406 unless the client accepts gzip.
            return self.session.get(
                url,
                headers={"Accept-Encoding": "gzip", "Accept": "application/xml"},
                timeout=self.timeout,
                stream=True,
            )
        except requests.RequestException as exc:  # retries (5xx, timeouts) already exhausted
            raise EcfrError(f"eCFR request failed after retries: {url}: {exc}", transient=True) from exc

    @staticmethod
    def _raise_for_status(response: requests.Response, url: str) -> None:
        status = response.status_code
        if status == 200:
            return
        if status == 406:
            raise EcfrError(f"eCFR answered 406 Not Acceptable for {url}: the request must accept gzip")
        detail = response.text[:200].strip()
        if status >= 500:
            raise EcfrError(f"eCFR answered HTTP {status} for {url} after retries: {detail}", transient=True)
        raise EcfrError(f"eCFR answered HTTP {status} for {url}: {detail}")

    @staticmethod
    def _copy_xml(response: requests.Response, sink: BytesSink, url: str) -> tuple[int, str]:
        """Stream the (gzip-decoded) body into ``sink``; refuse a body that is not XML before
        writing any of it."""
        digest = hashlib.sha256()
        size = 0
        head: bytes | None = b""  # bytes held back until the first non-blank byte is checked
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                if head is not None:
                    head += chunk
                    first = head.lstrip(_LEADING)[:1]
                    if not first:
                        continue
                    if first != b"<":
                        raise EcfrError(f"eCFR answer for {url} is not XML: {head[:80]!r}")
                    chunk, head = head, None
                sink.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        except requests.RequestException as exc:
            raise EcfrError(
                f"eCFR body for {url} broke off after {size} bytes: {exc}", transient=True
            ) from exc
        if head is not None:
            raise EcfrError(f"eCFR answer for {url} is empty")
        return size, digest.hexdigest()
