"""A fake SAM.gov Get Opportunities Public API v2 on 127.0.0.1, for tests of clients and assets.

Usage::

    with FakeSamServer(api_key="k", daily_quota=10) as server:
        records = server.add_synthetic_day(date(2024, 3, 4), 25)
        server.inject("500", "short_page")       # consumed in order by the next requests
        ...  # point a client at server.search_url
        server.count(SEARCH_PATH)                # requests received on that path
        server.requests                          # each as a ReceivedRequest
        server.reset_quota()                     # "the next day"

Request handling, in the real service's order: the key is checked (401 if missing or wrong), then the
daily quota (429 once ``daily_quota`` requests were admitted), then the next injected fault, then the
parameters (400 with a JSON message), and then the answer. Every request received is counted,
whatever its answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.fakes._http import Handler, LocalHTTPServer

SEARCH_PATH = "/opportunities/v2/search"
DESCRIPTION_PATH = "/prod/opportunities/v1/noticedesc"
FAULTS = frozenset({"500", "slow", "malformed", "short_page"})
MAX_LIMIT = 1000
SET_ASIDE = "Total Small Business Set-Aside (FAR 19.5)"
_SAM_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


@dataclass
class ReceivedRequest:
    """One request as the server saw it (``api_key`` left out of ``params``). Recorded on arrival:
    ``status`` stays None until the answer is ready (a ``slow`` request counts while it sleeps)."""

    path: str
    params: dict[str, str]
    status: int | None = None
    fault: str | None = None


class _BadRequest(Exception):
    pass


def synthetic_records(day: date, n: int, *, base_url: str, start: int = 0) -> list[dict[str, Any]]:
    """``n`` v2-shaped records posted on ``day``; ``noticeId`` is unique per (day, index) and
    ``description`` links to ``base_url``'s description endpoint, as SAM.gov's do."""
    records = []
    for index in range(start, start + n):
        notice_id = hashlib.md5(f"{day.isoformat()}#{index}".encode()).hexdigest()
        records.append(
            {
                "noticeId": notice_id,
                "title": f"Synthetic requirement {index} posted {day.isoformat()}",
                "solicitationNumber": f"SYN{day:%y%m%d}R{index:04d}",
                "fullParentPathName": "GENERAL SERVICES ADMINISTRATION.FEDERAL ACQUISITION SERVICE",
                "fullParentPathCode": "047.4732",
                "postedDate": day.isoformat(),
                "type": ("Solicitation", "Combined Synopsis/Solicitation", "Sources Sought")[index % 3],
                "baseType": "Solicitation",
                "archiveType": "autocustom",
                "archiveDate": (day + timedelta(days=45)).isoformat(),
                "typeOfSetAsideDescription": SET_ASIDE if index % 2 else None,
                "typeOfSetAside": "SBA" if index % 2 else None,
                "responseDeadLine": f"{(day + timedelta(days=30)).isoformat()}T17:00:00-04:00",
                "naicsCode": "541511",
                "classificationCode": "D302",
                "active": "Yes",
                "award": None,
                "pointOfContact": [],
                "description": f"{base_url}{DESCRIPTION_PATH}?noticeid={notice_id}",
                "organizationType": "OFFICE",
                "uiLink": f"https://sam.gov/opp/{notice_id}/view",
                "links": [{"rel": "self", "href": f"https://api.sam.gov/prod/opportunities/v2/{notice_id}"}],
            }
        )
    return records


class FakeSamServer(LocalHTTPServer):
    """The fake service; a context manager that serves from a daemon thread on an ephemeral port.

    ``daily_quota``: requests admitted per "day" (None: unlimited); change it or call
    :meth:`reset_quota` at any time. ``slow_seconds``: how long a ``slow`` fault waits before
    answering (set it above the client's timeout).
    """

    protocol_version = "HTTP/1.1"  # keep-alive, as a real client session would use
    thread_name = "fake-sam"

    def __init__(
        self, *, api_key: str = "test-key", daily_quota: int | None = None, slow_seconds: float = 2.0
    ):
        # The base binds the port now, so base_url is known before records are generated.
        super().__init__()
        self.api_key = api_key
        self.daily_quota = daily_quota
        self.slow_seconds = slow_seconds
        self._days: dict[date, list[dict[str, Any]]] = {}
        self._descriptions: dict[str, str] = {}
        self._faults: list[str] = []
        self._quota_used = 0

    @property
    def search_url(self) -> str:
        return self.base_url + SEARCH_PATH

    # -- data --------------------------------------------------------------------------------------

    def add_records(self, day: date, records: Iterable[dict[str, Any]], *, at: int | None = None) -> None:
        """Add records posted on ``day``: appended, or inserted before index ``at`` (to shift the
        pages a client is in the middle of). Served in list order; the dicts are served live."""
        with self._lock:
            served = self._days.setdefault(day, [])
            if at is None:
                served.extend(records)
            else:
                served[at:at] = list(records)

    def set_description(self, notice_id: str, text: str) -> None:
        with self._lock:
            self._descriptions[notice_id] = text

    def remove_description(self, notice_id: str) -> None:
        """The description endpoint then answers 404 for this notice."""
        with self._lock:
            self._descriptions.pop(notice_id, None)

    def add_synthetic_day(self, day: date, n: int) -> list[dict[str, Any]]:
        """Add ``n`` synthetic records for ``day`` (after any already there), each with a description."""
        with self._lock:
            start = len(self._days.get(day, []))
        records = synthetic_records(day, n, base_url=self.base_url, start=start)
        self.add_records(day, records)
        for record in records:
            self.set_description(record["noticeId"], f"Statement of work for {record['title']}.")
        return records

    def description_of(self, notice_id: str) -> str | None:
        with self._lock:
            return self._descriptions.get(notice_id)

    # -- faults and quota --------------------------------------------------------------------------

    def inject(self, *faults: str) -> None:
        """Queue faults, each consumed by the next request that passes the key and quota checks:
        ``500`` (HTTP 500), ``slow`` (sleep ``slow_seconds``, then answer normally), ``malformed``
        (HTTP 200 with invalid JSON), ``short_page`` (a search page with half the records asked for,
        though more remain; a no-op on other requests)."""
        unknown = set(faults) - FAULTS
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; choose from {sorted(FAULTS)}")
        with self._lock:
            self._faults.extend(faults)

    def reset_quota(self) -> None:
        """Start a new quota day."""
        with self._lock:
            self._quota_used = 0

    @property
    def quota_used(self) -> int:
        with self._lock:
            return self._quota_used

    # -- request handling (called on the server's threads) -----------------------------------------

    def _admit(self, params: dict[str, str]) -> tuple[int, Any, str | None]:
        """The key and quota checks, and the next fault: (status, body, fault); status 0 = go on."""
        key = params.get("api_key")
        if not key:
            return 401, _api_error("API_KEY_MISSING", "No api_key was supplied."), None
        if key != self.api_key:
            return 401, _api_error("API_KEY_INVALID", "An invalid api_key was supplied."), None
        with self._lock:
            if self.daily_quota is not None and self._quota_used >= self.daily_quota:
                message = "You have exceeded your rate limit. Try again later."
                return 429, _api_error("OVER_RATE_LIMIT", message), None
            self._quota_used += 1
            return 0, None, self._faults.pop(0) if self._faults else None

    def _search(self, params: dict[str, str], fault: str | None) -> dict[str, Any]:
        if "postedFrom" not in params or "postedTo" not in params:
            raise _BadRequest("PostedFrom and PostedTo are mandatory")
        posted_from, posted_to = _sam_date(params["postedFrom"]), _sam_date(params["postedTo"])
        if posted_to < posted_from:
            raise _BadRequest("PostedTo must be on or after PostedFrom")
        if posted_to - posted_from > timedelta(days=366):
            raise _BadRequest("Date range must be 1 year(s) apart")
        limit = _int_param(params, "limit", default=1)
        offset = _int_param(params, "offset", default=0)
        if limit > MAX_LIMIT:
            raise _BadRequest(f"Limit valid range is 0-{MAX_LIMIT}. Please provide valid input.")
        with self._lock:
            matching = [
                record
                for day in sorted(self._days)
                if posted_from <= day <= posted_to
                for record in self._days[day]
            ]
        page = matching[offset : offset + limit]
        if fault == "short_page" and len(page) > 1:
            page = page[: len(page) // 2]
        public = {k: v for k, v in params.items() if k != "api_key"}
        return {
            "totalRecords": len(matching),
            "limit": limit,
            "offset": offset,
            "opportunitiesData": page,
            "links": [{"rel": "self", "href": f"{self.search_url}?{urlencode(public)}"}],
        }

    def handle(self, handler: Handler) -> None:
        url = urlsplit(handler.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        received = ReceivedRequest(url.path, {k: v for k, v in params.items() if k != "api_key"})
        self.log(received)
        status, body, fault = self._admit(params)
        received.fault = fault
        if status == 0:
            if fault == "slow":
                self.wait(self.slow_seconds)
            try:
                if fault == "500":
                    status, body = 500, {"errorCode": "500", "errorMessage": "Internal Server Error"}
                elif fault == "malformed":
                    status, body = 200, b'{"totalRecords": 3, "opportunitiesData": [{"noticeId": "trunc'
                elif url.path == SEARCH_PATH:
                    status, body = 200, self._search(params, fault)
                elif url.path == DESCRIPTION_PATH:
                    status, body = self._description(params)
                else:
                    status, body = 404, {"errorCode": "404", "errorMessage": f"No such resource: {url.path}"}
            except _BadRequest as exc:
                status, body = 400, {"errorCode": "400", "errorMessage": str(exc)}
        received.status = status
        handler.reply_json(status, body)

    def _description(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        notice_id = params.get("noticeid")
        if not notice_id:
            raise _BadRequest("noticeid is mandatory")
        text = self.description_of(notice_id)
        if text is None:
            return 404, {"errorCode": "404", "errorMessage": f"Description not found for {notice_id}"}
        return 200, {"description": text}


def _api_error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _sam_date(value: str) -> date:
    if not _SAM_DATE.fullmatch(value):
        raise _BadRequest("Invalid Date Entered. Expected date format is MM/dd/yyyy")
    try:
        return datetime.strptime(value, "%m/%d/%Y").date()
    except ValueError:
        raise _BadRequest("Invalid Date Entered. Expected date format is MM/dd/yyyy") from None


def _int_param(params: dict[str, str], name: str, *, default: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    if not value.isdigit():
        raise _BadRequest(f"{name} must be a non-negative integer")
    return int(value)
