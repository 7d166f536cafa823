"""EcfrApi against the fake versioner server on 127.0.0.1: gzip negotiation, 404 fallback,
bounded retries of 5xx and timeouts, and clear errors."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import requests

from fedproc_pipeline.regulations.ecfr import EcfrApi, EcfrError
from slmkit.http import build_session
from tests.fakes.ecfr_server import FakeEcfrServer

DAY = date(2026, 3, 13)
XML = b'<?xml version="1.0"?>\n<DIV5 N="52" TYPE="PART"><DIV8 N="52.202-1" TYPE="SECTION"/></DIV5>\n'


def _api(server: FakeEcfrServer, **kwargs) -> EcfrApi:
    # Tiny backoff so retry tests stay fast; the bound (2 retries) is what is under test.
    session = build_session(retries=2, backoff_factor=0.01, backoff_max=0.05)
    return EcfrApi(server.base_url, session=session, **kwargs)


@pytest.fixture
def server():
    with FakeEcfrServer({(DAY, "52"): XML}) as fake:
        yield fake


def test_fetch_streams_plain_xml_and_asks_for_gzip(server):
    sink = io.BytesIO()
    fetched = _api(server).fetch_part("52", DAY, sink)
    assert sink.getvalue() == XML  # decoded from the gzip transfer
    assert (fetched.part, fetched.requested_date, fetched.served_date) == ("52", DAY, DAY)
    assert fetched.fallback_dates == []
    assert fetched.bytes == len(XML)
    assert fetched.sha256 == hashlib.sha256(XML).hexdigest()
    assert fetched.url == f"{server.base_url}/api/versioner/v1/full/2026-03-13/title-48.xml?part=52"
    [request] = server.requests
    assert "gzip" in request.accept_encoding
    assert (request.date, request.part, request.status) == ("2026-03-13", "52", 200)


def test_404_falls_back_to_earlier_dates_and_records_them(server):
    fetched = _api(server).fetch_part("52", DAY + timedelta(days=2), io.BytesIO())
    assert fetched.served_date == DAY
    assert fetched.requested_date == DAY + timedelta(days=2)
    assert fetched.fallback_dates == ["2026-03-15", "2026-03-14"]
    assert [r.status for r in server.requests] == [404, 404, 200]


def test_exhausted_fallback_raises(server):
    sink = io.BytesIO()
    with pytest.raises(EcfrError, match="2 days before"):
        _api(server, max_fallback_days=2).fetch_part("52", DAY + timedelta(days=5), sink)
    assert [r.date for r in server.requests] == ["2026-03-18", "2026-03-17", "2026-03-16"]
    assert sink.getvalue() == b""


def test_5xx_is_retried_then_succeeds(server):
    server.fail_next(2, status=500)
    sink = io.BytesIO()
    fetched = _api(server).fetch_part("52", DAY, sink)
    assert sink.getvalue() == XML and fetched.served_date == DAY
    assert [r.status for r in server.requests] == [500, 500, 200]


def test_5xx_beyond_the_retry_bound_raises(server):
    server.fail_next(5, status=503)
    with pytest.raises(EcfrError, match="HTTP 503"):
        _api(server).fetch_part("52", DAY, io.BytesIO())
    assert len(server.requests) == 3  # one try + 2 retries, no more


def test_timeout_is_retried_then_succeeds(server):
    server.delay_next(1, seconds=0.5)
    started = time.monotonic()
    fetched = _api(server, timeout=0.1).fetch_part("52", DAY, io.BytesIO())
    assert fetched.bytes == len(XML)
    assert len(server.requests) == 2
    assert time.monotonic() - started < 2


def test_timeouts_beyond_the_retry_bound_raise(server):
    server.delay_next(3, seconds=0.5)
    with pytest.raises(EcfrError, match="failed after retries"):
        _api(server, timeout=0.1).fetch_part("52", DAY, io.BytesIO())


def test_406_and_other_4xx_raise_clear_errors(server):
    server.fail_next(1, status=406)
    with pytest.raises(EcfrError, match=r"406 Not Acceptable.*gzip"):
        _api(server).fetch_part("52", DAY, io.BytesIO())
    server.fail_next(1, status=400)
    with pytest.raises(EcfrError, match="HTTP 400"):
        _api(server).fetch_part("52", DAY, io.BytesIO())


def test_fake_server_refuses_clients_without_gzip(server):
    response = requests.get(
        f"{server.base_url}/api/versioner/v1/full/2026-03-13/title-48.xml?part=52",
        headers={"Accept-Encoding": "identity"},
        timeout=5,
    )
    assert response.status_code == 406


def test_non_xml_answer_raises_before_writing(server):
    server.add(DAY, "252", b'{"error": "maintenance"}')
    sink = io.BytesIO()
    with pytest.raises(EcfrError, match="not XML"):
        _api(server).fetch_part("252", DAY, sink)
    assert sink.getvalue() == b""


def test_bad_part_and_future_date_are_rejected_without_a_request(server):
    api = _api(server)
    with pytest.raises(ValueError, match="part must be one of 52, 252"):
        api.fetch_part("53", DAY, io.BytesIO())
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    with pytest.raises(ValueError, match="in the future"):
        api.fetch_part("52", tomorrow, io.BytesIO())
    assert server.requests == []
