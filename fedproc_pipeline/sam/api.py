"""Client for the SAM.gov Get Opportunities Public API v2, built around a small daily quota.

Every request sent (retries included) first takes one unit from a :class:`DailyRequestLedger`, so the
ledger always equals what the server saw. A day interrupted by the quota keeps its progress as plain
JSON and resumes after the UTC reset without fetching again what it already has. The API key travels
as a query parameter, so it is kept out of every message, ``repr`` and log line this module produces.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeGuard, TypeVar
from urllib.parse import quote, quote_plus, urlsplit

import requests
import urllib3

from slmkit.http import URL_LOGGERS, build_session, install_redaction, redact
from slmkit.quota import DailyRequestLedger, QuotaExhausted, utc_today

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.sam.gov/opportunities/v2/search"
MAX_PAGE_SIZE = 1000
BACKOFF_MAX = 30.0
# Our own warnings are built without the key; the filter on this module's logger is a second guard.
_REDACTED_LOGGERS = (*URL_LOGGERS, __name__)

T = TypeVar("T")
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class SamApiError(RuntimeError):
    """SAM.gov refused the request or kept failing; the message never holds the API key.

    ``transient``: retries ran out on 5xx, timeouts, broken connections or malformed bodies, so a later
    attempt may succeed; otherwise (400, 401, 403, a foreign description host) asking again cannot help.
    """

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


class QuotaStop(QuotaExhausted):
    """The daily budget is spent or SAM.gov answered 429: nothing more is sent until the UTC reset.

    ``progress`` (from :meth:`SamApi.fetch_day`) or ``descriptions`` (from
    :meth:`SamApi.fetch_descriptions`) hold what was fetched so far; persist it and pass it back later.
    """

    def __init__(
        self,
        progress: DayProgress | None,
        message: str,
        *,
        descriptions: dict[str, str] | None = None,
        server_refused: bool = False,
    ):
        super().__init__(message)
        self.progress = progress
        self.descriptions = descriptions if descriptions is not None else {}
        self.server_refused = server_refused  # True: a 429 from SAM.gov, False: our own ledger said no


class _QuotaHit(Exception):
    def __init__(self, server_refused: bool):
        super().__init__("server 429" if server_refused else "ledger budget spent")
        self.server_refused = server_refused


class _Malformed(Exception):
    pass


class _NotFound(Exception):
    pass


def _stop_message(done: int, total: int | None, noun: str) -> str:
    of = "?" if total is None else total
    return f"quota exhausted, resumes after reset ({done} of {of} {noun} fetched)"


def format_sam_date(d: date) -> str:
    """SAM.gov's ``postedFrom``/``postedTo`` format, ``MM/dd/yyyy``."""
    return d.strftime("%m/%d/%Y")


def is_http_url(value: object) -> TypeGuard[str]:
    """Whether ``value`` is an http(s) URL: a description link (not inline text), or a usable base URL."""
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def check_day(day: object) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise ValueError(
            f"day must be a datetime.date (parse a partition key with date.fromisoformat), "
            f"got {type(day).__name__} {day!r}"
        )
    return day


@dataclass
class DayProgress:
    """What is known of one posted day; JSON-serialisable so it can be saved after every page."""

    day: date
    total_records: int | None = None
    next_offset: int = 0
    records: dict[str, dict] = field(default_factory=dict)  # noticeId -> raw record, in server order
    complete: bool = False
    requests: int = 0  # requests spent over this progress's whole lifetime, retries included

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "total_records": self.total_records,
            "next_offset": self.next_offset,
            "records": self.records,
            "complete": self.complete,
            "requests": self.requests,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DayProgress:
        try:
            progress = cls(
                day=date.fromisoformat(data["day"]),
                total_records=None if data["total_records"] is None else int(data["total_records"]),
                next_offset=int(data["next_offset"]),
                records={str(k): dict(v) for k, v in data["records"].items()},
                complete=bool(data["complete"]),
                requests=int(data["requests"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a saved SAM.gov day progress: {exc!r}") from None
        return progress


class SamApi:
    """SAM.gov Get Opportunities Public API v2 (search pages and notice descriptions).

    ``session`` must not retry by itself (the default is ``build_session(retries=0)``): retries are
    made here, one ledger unit each, so the ledger counts every request the server receives.
    """

    def __init__(
        self,
        api_key: str,
        *,
        ledger: DailyRequestLedger,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        page_size: int = MAX_PAGE_SIZE,
        retries: int = 4,
        backoff_factor: float = 0.5,
        session: requests.Session | None = None,
    ):
        if not isinstance(api_key, str) or not api_key.strip():
            raise ValueError("SAM.gov API key is empty; set SAM_API_KEY or use the packaged sample")
        if type(page_size) is not int or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be an integer from 1 to {MAX_PAGE_SIZE}, got {page_size!r}")
        if not is_http_url(base_url):
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout!r}")
        if retries < 0 or backoff_factor < 0:
            raise ValueError("retries and backoff_factor must be >= 0")
        self._api_key = api_key
        # requests percent-encodes query values, so the encoded forms must be scrubbed as well.
        self._secrets = sorted({api_key, quote(api_key, safe=""), quote_plus(api_key)}, key=len, reverse=True)
        for secret in self._secrets:
            install_redaction(secret, loggers=_REDACTED_LOGGERS)
        self.ledger = ledger
        self.base_url = base_url
        self.timeout = timeout
        self.page_size = page_size
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.session = session or build_session(retries=0)
        self.requests_sent = 0  # by this client, over its lifetime
        origin = urlsplit(base_url)
        self._origin = (origin.scheme, origin.netloc.lower())

    def __repr__(self) -> str:
        return f"SamApi(base_url={self.base_url!r}, page_size={self.page_size}, api_key='***')"

    # -- search ------------------------------------------------------------------------------------

    def fetch_day(
        self,
        day: date,
        progress: DayProgress | None = None,
        *,
        on_page: Callable[[DayProgress], None] | None = None,
    ) -> DayProgress:
        """Every notice posted on ``day``, deduplicated by ``noticeId``, resuming from ``progress``.

        ``on_page`` is called after each page with the updated progress (persist it). Raises
        :class:`QuotaStop` carrying the progress when the quota stops the day.
        """
        check_day(day)
        today = utc_today()
        if day > today:
            raise ValueError(f"day {day.isoformat()} is in the future (UTC today is {today.isoformat()})")
        if progress is None:
            progress = DayProgress(day=day)
        elif progress.day != day:
            raise ValueError(f"progress is for {progress.day.isoformat()}, not {day.isoformat()}")
        posted = format_sam_date(day)
        while not progress.complete:
            params = {
                "postedFrom": posted,
                "postedTo": posted,
                "limit": self.page_size,
                "offset": progress.next_offset,
            }
            what = f"SAM.gov search {day.isoformat()} offset {progress.next_offset}"
            try:
                body = self._get(self.base_url, params, what=what, parse=_parse_search, progress=progress)
            except _QuotaHit as hit:
                message = _stop_message(len(progress.records), progress.total_records, "notices")
                raise QuotaStop(progress, message, server_refused=hit.server_refused) from None
            page = body["opportunitiesData"]
            progress.total_records = body["totalRecords"]
            for record in page:
                progress.records.setdefault(record["noticeId"], record)
            # Offset counts records received (not unique ones): that is how the server pages.
            progress.next_offset += len(page)
            progress.complete = not page or len(progress.records) >= progress.total_records
            if on_page:
                on_page(progress)
        return progress

    # -- descriptions ------------------------------------------------------------------------------

    def fetch_descriptions(
        self,
        records: Iterable[dict],
        have: Mapping[str, str],
        *,
        on_item: Callable[[str, str], None] | None = None,
    ) -> dict[str, str]:
        """Description text of each record not already in ``have``; returns ``have`` merged with them.

        A notice SAM.gov has no description for (404) maps to ``""``. ``on_item(notice_id, text)`` is
        called after each new one. Raises :class:`QuotaStop` with the partial mapping in ``descriptions``.
        """
        result = dict(have)
        by_id: dict[str, Mapping[str, Any]] = {}
        for record in records:
            by_id.setdefault(_notice_id(record), record)
        for notice_id, first in by_id.items():
            if notice_id in result:
                continue
            try:
                text = self._fetch_description(notice_id, first)
            except _QuotaHit as hit:
                message = _stop_message(sum(n in result for n in by_id), len(by_id), "descriptions")
                stop = QuotaStop(None, message, descriptions=result, server_refused=hit.server_refused)
                raise stop from None
            result[notice_id] = text
            if on_item:
                on_item(notice_id, text)
        return result

    def _fetch_description(self, notice_id: str, record: Mapping[str, Any]) -> str:
        link = record.get("description")
        if not is_http_url(link):
            return link if isinstance(link, str) else ""
        parts = urlsplit(link)
        if (parts.scheme, parts.netloc.lower()) != self._origin:
            # The key goes along as a query parameter: never hand it to another host.
            raise SamApiError(
                f"description link of notice {notice_id} points at {parts.scheme}://{parts.netloc}, "
                f"not at the API host {self._origin[0]}://{self._origin[1]}; refusing to send the key there"
            )
        what = f"SAM.gov description of notice {notice_id}"
        try:
            return self._get(link, {}, what=what, parse=_parse_description, allow_404=True)
        except _NotFound:
            logger.info("SAM.gov has no description for notice %s (404); recorded as empty", notice_id)
            return ""

    # -- transport ---------------------------------------------------------------------------------

    def _clean(self, text: str) -> str:
        return redact(text, self._secrets)

    def _get(
        self,
        url: str,
        params: Mapping[str, Any],
        *,
        what: str,
        parse: Callable[[str], T],
        progress: DayProgress | None = None,
        allow_404: bool = False,
    ) -> T:
        """GET with one ledger unit per attempt; ``_NotFound`` on 404 if ``allow_404``. 5xx, timeouts,
        connection errors and malformed bodies are retried with bounded exponential backoff; 429 stops
        at once (``_QuotaHit``), as does a refusal from the ledger."""
        attempts = self.retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                delay = min(BACKOFF_MAX, self.backoff_factor * 2 ** (attempt - 1))
                logger.warning(
                    "%s: %s; retry %d of %d in %.2f s", what, problem, attempt, self.retries, delay
                )
                time.sleep(delay)
            day = utc_today()
            if not self.ledger.try_acquire(day):
                raise _QuotaHit(server_refused=False)
            self.requests_sent += 1
            if progress is not None:
                progress.requests += 1
            try:
                response = self.session.get(
                    url,
                    params={**params, "api_key": self._api_key},
                    timeout=self.timeout,
                    allow_redirects=False,  # a redirect would be an uncounted request, maybe to another host
                )
            except _TRANSIENT as exc:
                if _is_timeout(exc):
                    problem = f"no answer within {self.timeout} s (timeout)"
                else:  # requests' messages embed the full URL, key included
                    problem = self._clean(f"connection failed: {exc}")
                continue
            except requests.RequestException as exc:
                raise SamApiError(self._clean(f"{what}: {type(exc).__name__}: {exc}")) from None
            status = response.status_code
            if status == 429:
                self.ledger.mark_exhausted(day)
                logger.warning("%s: SAM.gov answered 429: %s", what, self._server_message(response))
                raise _QuotaHit(server_refused=True)
            if status >= 500:
                problem = f"HTTP {status} from SAM.gov: {self._server_message(response)}"
                continue
            if status == 404 and allow_404:
                raise _NotFound(what)
            if status != 200:
                raise SamApiError(f"{what}: SAM.gov answered HTTP {status}: {self._server_message(response)}")
            try:
                # Scrubbed before parsing: nothing the server echoes back carries the key into storage.
                return parse(self._clean(response.text))
            except _Malformed as exc:
                problem = self._clean(f"malformed response from SAM.gov: {exc}")
        raise SamApiError(f"{problem} ({what}; gave up after {attempts} attempts)", transient=True)

    def _server_message(self, response: requests.Response) -> str:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        message: object = None
        if isinstance(body, dict):
            error = body.get("error")
            if isinstance(error, dict):
                message = error.get("message") or error.get("code")
            message = message or body.get("errorMessage") or body.get("message") or body.get("detail")
        if not message:
            message = response.text.strip()[:300] or response.reason or "(no message)"
        return self._clean(str(message))


def _is_timeout(exc: requests.RequestException) -> bool:
    # A session that does not retry reports a read timeout as ConnectionError(MaxRetryError(reason=...)).
    # (Not urllib3's TimeoutError: NewConnectionError, a refused connection, subclasses it.)
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.Timeout) or isinstance(reason, urllib3.exceptions.ReadTimeoutError)


def _notice_id(record: Mapping[str, Any]) -> str:
    notice_id = record.get("noticeId") if isinstance(record, Mapping) else None
    if not isinstance(notice_id, str) or not notice_id:
        raise ValueError(f"SAM.gov record without a noticeId: {str(record)[:200]}")
    return notice_id


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise _Malformed(f"invalid JSON ({exc.__class__.__name__}: {str(exc)[:120]})") from None


def _parse_search(text: str) -> dict[str, Any]:
    body = _json(text)
    if not isinstance(body, dict):
        raise _Malformed(f"expected a JSON object, got {type(body).__name__}")
    total = body.get("totalRecords")
    page = body.get("opportunitiesData")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise _Malformed(f"missing or invalid 'totalRecords': {total!r}")
    if not isinstance(page, list):
        raise _Malformed(f"missing or invalid 'opportunitiesData' (a {type(page).__name__})")
    for record in page:
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("noticeId"), str)
            or not record["noticeId"]
        ):
            raise _Malformed("a record in 'opportunitiesData' has no noticeId")
    return body


def _parse_description(text: str) -> str:
    body = _json(text)
    if not isinstance(body, dict) or "description" not in body:
        raise _Malformed("expected a JSON object with 'description'")
    text = body["description"]
    if text is not None and not isinstance(text, str):
        raise _Malformed(f"'description' is a {type(text).__name__}, not text")
    return text or ""
