"""SamApi against the fake SAM.gov server: paging, resumption across quota days, the shared request
budget, retries, and that the API key never leaks. Everything runs on 127.0.0.1."""

from __future__ import annotations

import gzip
import inspect
import json
import logging
import math
import multiprocessing
import socket
import threading
import traceback
from datetime import date, datetime, timedelta

import pytest
import requests

from fedproc_pipeline.sam import api
from fedproc_pipeline.sam.api import DayProgress, QuotaStop, SamApi, SamApiError, format_sam_date
from fedproc_pipeline.sam.sample import SAMPLE_PATH, SampleSam
from slmkit.quota import DailyRequestLedger, QuotaExhausted, utc_today
from tests.conftest import KEY, QUOTA_DAY
from tests.fakes.sam_server import DESCRIPTION_PATH, SEARCH_PATH, FakeSamServer

WRONG_KEY = "SECRET-KEY-wrong999"
DAY = date(2024, 3, 4)  # the posted day (partition)
QUOTA_DAY_1 = QUOTA_DAY  # UTC days on which requests are spent (the quota_day fixture's)
QUOTA_DAY_2 = QUOTA_DAY + timedelta(days=1)


@pytest.fixture
def server():
    with FakeSamServer(api_key=KEY) as fake:
        yield fake


def make_ledger(tmp_path, budget=1000) -> DailyRequestLedger:
    return DailyRequestLedger(tmp_path / "ledger.sqlite", budget, name="sam.gov")


def make_client(server: FakeSamServer, ledger: DailyRequestLedger, **kwargs) -> SamApi:
    kwargs.setdefault("backoff_factor", 0.001)
    kwargs.setdefault("timeout", 5.0)
    return SamApi(kwargs.pop("api_key", KEY), ledger=ledger, base_url=server.search_url, **kwargs)


def ids(records) -> list[str]:
    return [r["noticeId"] for r in records]


def roundtrip(progress: DayProgress) -> DayProgress:
    """What a caller persisting progress as JSON gets back."""
    return DayProgress.from_dict(json.loads(json.dumps(progress.to_dict())))


# -- paging ----------------------------------------------------------------------------------------


def test_pages_lose_and_duplicate_nothing(server, tmp_path, quota_day):
    expected = server.add_synthetic_day(DAY, 23)
    server.add_synthetic_day(DAY + timedelta(days=1), 4)  # another day must not leak in
    ledger = make_ledger(tmp_path)
    saved = []
    progress = make_client(server, ledger, page_size=5).fetch_day(
        DAY, on_page=lambda p: saved.append(roundtrip(p))
    )

    assert progress.complete and progress.total_records == 23
    assert list(progress.records) == ids(expected)
    assert server.count(SEARCH_PATH) == progress.requests == ledger.used(QUOTA_DAY_1) == 5
    assert [p.next_offset for p in saved] == [5, 10, 15, 20, 23]
    assert [p.complete for p in saved] == [False] * 4 + [True]
    assert {r.params["postedFrom"] for r in server.requests} == {"03/04/2024"}
    assert {r.params["postedTo"] for r in server.requests} == {"03/04/2024"}


def test_short_pages_continue(server, tmp_path, quota_day):
    expected = server.add_synthetic_day(DAY, 23)
    server.inject("short_page", "short_page")
    progress = make_client(server, make_ledger(tmp_path), page_size=5).fetch_day(DAY)

    assert list(progress.records) == ids(expected)
    # Two pages of 2, then offsets 4, 9, 14, 19.
    assert [int(r.params["offset"]) for r in server.requests] == [0, 2, 4, 9, 14, 19]


def test_shifted_pages_are_deduplicated_keeping_the_first_copy(server, tmp_path, quota_day):
    records = server.add_synthetic_day(DAY, 12)
    first_title = records[4]["title"]

    def shift_after_first_page(progress: DayProgress) -> None:
        if progress.next_offset == 5:  # a notice posted meanwhile pushes record 4 onto page 2
            server.add_records(DAY, [{**records[0], "noticeId": "late-notice"}], at=0)
            records[4]["title"] = "changed after it was fetched"

    progress = make_client(server, make_ledger(tmp_path), page_size=5).fetch_day(
        DAY, on_page=shift_after_first_page
    )
    assert progress.complete
    assert list(progress.records) == ids(records)  # each once, in first-seen order
    assert progress.records[records[4]["noticeId"]]["title"] == first_title


def test_empty_day_is_complete_after_one_request(server, tmp_path, quota_day):
    progress = make_client(server, make_ledger(tmp_path)).fetch_day(DAY)
    assert progress.complete and progress.total_records == 0 and not progress.records
    assert server.count() == progress.requests == 1


# -- quota: resume without refetching ----------------------------------------------------------------


def test_budget_stop_resumes_next_day_without_refetching(server, tmp_path, quota_day):
    expected = server.add_synthetic_day(DAY, 23)
    ledger = make_ledger(tmp_path, budget=3)
    client = make_client(server, ledger, page_size=5)

    with pytest.raises(QuotaStop) as stop:
        client.fetch_day(DAY)
    assert str(stop.value) == "quota exhausted, resumes after reset (15 of 23 notices fetched)"
    assert isinstance(stop.value, QuotaExhausted) and not stop.value.server_refused
    assert server.count() == 3 == ledger.used(QUOTA_DAY_1)
    assert stop.value.progress is not None
    saved = roundtrip(stop.value.progress)
    assert saved.next_offset == 15 and len(saved.records) == 15 and not saved.complete

    with pytest.raises(QuotaStop):  # same day: refused before anything is sent
        client.fetch_day(DAY, saved)
    assert server.count() == 3

    quota_day.day = QUOTA_DAY_2
    progress = client.fetch_day(DAY, saved)
    assert progress.complete and list(progress.records) == ids(expected)
    assert server.count(SEARCH_PATH) == progress.requests == math.ceil(23 / 5)
    assert ledger.used(QUOTA_DAY_2) == 2
    assert client.fetch_day(DAY, progress) is progress  # complete: nothing more to send
    assert server.count() == 5


def test_descriptions_resume_next_day_without_refetching(server, tmp_path, quota_day):
    records = server.add_synthetic_day(DAY, 7)
    ledger = make_ledger(tmp_path, budget=4)
    client = make_client(server, ledger)
    seen = []

    with pytest.raises(QuotaStop) as stop:
        client.fetch_descriptions(records, {}, on_item=lambda n, t: seen.append(n))
    assert str(stop.value) == "quota exhausted, resumes after reset (4 of 7 descriptions fetched)"
    partial = stop.value.descriptions
    assert list(partial) == seen == ids(records[:4])

    quota_day.day = QUOTA_DAY_2
    result = client.fetch_descriptions(records, partial, on_item=lambda n, t: seen.append(n))
    assert result == {r["noticeId"]: server.description_of(r["noticeId"]) for r in records}
    assert seen == ids(records)
    assert server.count(DESCRIPTION_PATH) == 7


def test_descriptions_skip_known_missing_and_inline(server, tmp_path, quota_day):
    records = server.add_synthetic_day(DAY, 5)
    server.remove_description(records[1]["noticeId"])
    records[2] = {**records[2], "description": "Inline text, no link."}
    have = {records[0]["noticeId"]: "kept from an earlier run"}
    items: dict[str, str] = {}

    result = make_client(server, make_ledger(tmp_path)).fetch_descriptions(
        records + records[:2], have, on_item=items.__setitem__
    )
    assert result[records[0]["noticeId"]] == "kept from an earlier run"
    assert result[records[1]["noticeId"]] == ""  # 404: recorded as missing, not an error
    assert result[records[2]["noticeId"]] == "Inline text, no link."
    assert list(items) == ids(records[1:])
    assert server.count(DESCRIPTION_PATH) == 3  # records 1, 3 and 4; duplicates asked once


def test_description_link_to_another_host_gets_no_key(server, tmp_path, quota_day):
    record = {"noticeId": "x1", "description": "https://example.invalid/noticedesc?noticeid=x1"}
    with pytest.raises(SamApiError, match="refusing to send the key"):
        make_client(server, make_ledger(tmp_path)).fetch_descriptions([record], {})
    assert server.count() == 0


# -- quota: server 429 -----------------------------------------------------------------------------


def test_server_429_stops_at_once_and_marks_the_ledger(server, tmp_path, quota_day):
    expected = server.add_synthetic_day(DAY, 23)
    server.daily_quota = 2
    ledger = make_ledger(tmp_path, budget=100)
    client = make_client(server, ledger, page_size=5, retries=4)

    with pytest.raises(QuotaStop) as stop:
        client.fetch_day(DAY)
    assert stop.value.server_refused
    assert str(stop.value) == "quota exhausted, resumes after reset (10 of 23 notices fetched)"
    assert server.count() == 3 and server.count(status=429) == 1
    assert ledger.remaining(QUOTA_DAY_1) == 0
    with pytest.raises(QuotaStop):
        client.fetch_day(DAY, stop.value.progress)
    assert server.count() == 3  # the ledger now refuses locally

    server.reset_quota()
    server.daily_quota = 3  # exactly the pages left
    quota_day.day = QUOTA_DAY_2
    progress = client.fetch_day(DAY, stop.value.progress)
    assert list(progress.records) == ids(expected)
    assert server.count(SEARCH_PATH) == progress.requests == 5 + 1  # the minimum plus the one 429


def test_server_429_on_descriptions(server, tmp_path, quota_day):
    records = server.add_synthetic_day(DAY, 5)
    server.daily_quota = 2
    ledger = make_ledger(tmp_path)
    with pytest.raises(QuotaStop) as stop:
        make_client(server, ledger).fetch_descriptions(records, {})
    assert len(stop.value.descriptions) == 2 and stop.value.progress is None
    assert server.count(status=429) == 1 and server.count() == 3
    assert ledger.remaining(QUOTA_DAY_1) == 0


# -- the shared budget is never exceeded ------------------------------------------------------------


def test_retries_each_take_a_unit(server, tmp_path, quota_day):
    server.add_synthetic_day(DAY, 3)
    server.inject("500", "500", "500")
    ledger = make_ledger(tmp_path, budget=2)
    with pytest.raises(QuotaStop):
        make_client(server, ledger).fetch_day(DAY)
    assert server.count() == 2 == ledger.used(QUOTA_DAY_1)


BUDGET = 9


def test_budget_holds_across_threads(server, tmp_path):
    server.add_synthetic_day(DAY, 200)
    # Created once up front: two ledgers creating the same new file at once can meet
    # "database is locked" (slmkit.quota's PRAGMA journal_mode=WAL does not wait).
    make_ledger(tmp_path, budget=BUDGET)
    outcomes = []

    def worker() -> None:
        client = make_client(server, make_ledger(tmp_path, budget=BUDGET), page_size=5)
        try:
            client.fetch_day(DAY)
            outcomes.append("complete")
        except QuotaStop:
            outcomes.append("quota")

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["quota", "quota"]
    assert server.count() <= BUDGET
    assert make_ledger(tmp_path, budget=BUDGET).used() == server.count()


def _fetch_in_subprocess(ledger_path: str, search_url: str, day: str) -> None:
    client = SamApi(
        KEY,
        ledger=DailyRequestLedger(ledger_path, BUDGET, name="sam.gov"),
        base_url=search_url,
        page_size=5,
        backoff_factor=0.001,
    )
    try:
        client.fetch_day(date.fromisoformat(day))
    except QuotaStop:
        return
    raise SystemExit(3)  # the budget should have stopped it


def test_budget_holds_across_processes(server, tmp_path):
    server.add_synthetic_day(DAY, 200)
    ledger_path = str(tmp_path / "ledger.sqlite")
    DailyRequestLedger(ledger_path, BUDGET, name="sam.gov")  # created up front, as in the thread test
    context = multiprocessing.get_context("spawn")  # no fork of a process with server threads
    processes = [
        context.Process(target=_fetch_in_subprocess, args=(ledger_path, server.search_url, DAY.isoformat()))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0, 0]
    assert server.count() <= BUDGET
    assert DailyRequestLedger(ledger_path, BUDGET, name="sam.gov").used() == server.count()


# -- retries ---------------------------------------------------------------------------------------


def test_500_then_success(server, tmp_path, quota_day):
    expected = server.add_synthetic_day(DAY, 8)
    server.inject("500")
    ledger = make_ledger(tmp_path)
    progress = make_client(server, ledger, page_size=5).fetch_day(DAY)
    assert list(progress.records) == ids(expected)
    assert server.count(status=500) == 1
    assert server.count() == progress.requests == ledger.used(QUOTA_DAY_1) == 3


def test_persistent_500_ends_in_an_error(server, tmp_path, quota_day):
    server.add_synthetic_day(DAY, 3)
    server.inject(*["500"] * 3)
    with pytest.raises(SamApiError, match=r"HTTP 500 .*gave up after 3 attempts"):
        make_client(server, make_ledger(tmp_path), retries=2).fetch_day(DAY)
    assert server.count() == 3


def test_backoff_is_exponential_and_bounded(server, tmp_path, quota_day, monkeypatch):
    delays: list[float] = []
    monkeypatch.setattr(api.time, "sleep", delays.append)
    server.inject(*["500"] * 7)
    with pytest.raises(SamApiError):
        make_client(server, make_ledger(tmp_path), retries=6, backoff_factor=4.0).fetch_day(DAY)
    assert delays == [4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_slow_answer_is_retried(server, tmp_path, quota_day):
    expected = server.add_synthetic_day(DAY, 3)
    server.slow_seconds = 2.0
    server.inject("slow")
    progress = make_client(server, make_ledger(tmp_path), timeout=0.3).fetch_day(DAY)
    assert list(progress.records) == ids(expected)
    assert server.count() == progress.requests == 2


def test_slow_answers_end_in_a_clear_error(server, tmp_path, quota_day):
    server.slow_seconds = 2.0
    server.inject("slow", "slow")
    with pytest.raises(SamApiError, match=r"no answer within 0.3 s \(timeout\).*gave up after 2 attempts"):
        make_client(server, make_ledger(tmp_path), timeout=0.3, retries=1).fetch_day(DAY)
    assert server.count() == 2


def test_malformed_json_is_retried(server, tmp_path, quota_day):
    expected = server.add_synthetic_day(DAY, 3)
    server.inject("malformed")
    progress = make_client(server, make_ledger(tmp_path)).fetch_day(DAY)
    assert list(progress.records) == ids(expected)
    assert server.count() == 2


def test_malformed_json_ends_in_an_error(server, tmp_path, quota_day):
    server.inject(*["malformed"] * 3)
    with pytest.raises(SamApiError) as error:
        make_client(server, make_ledger(tmp_path), retries=2).fetch_day(DAY)
    assert str(error.value).startswith("malformed response")
    assert "gave up after 3 attempts" in str(error.value)
    assert server.count() == 3


def test_missing_fields_count_as_malformed(tmp_path, quota_day):
    class Canned(requests.Session):
        def get(self, url, **kwargs):
            response = requests.Response()
            response.status_code, response._content = 200, b'{"opportunitiesData": []}'
            return response

    ledger = make_ledger(tmp_path)
    client = SamApi(KEY, ledger=ledger, base_url="http://127.0.0.1:9/x", retries=1, session=Canned())
    with pytest.raises(SamApiError, match=r"^malformed response.*'totalRecords'"):
        client.fetch_day(DAY)
    assert ledger.used(QUOTA_DAY_1) == 2


def test_client_errors_are_not_retried(server, tmp_path, quota_day):
    wrong_key = make_client(server, make_ledger(tmp_path), api_key=WRONG_KEY)
    with pytest.raises(SamApiError, match=r"HTTP 401: An invalid api_key was supplied"):
        wrong_key.fetch_day(DAY)
    assert server.count() == 1

    wrong_path = SamApi(KEY, ledger=make_ledger(tmp_path), base_url=server.base_url + "/opportunities/v9/x")
    with pytest.raises(SamApiError, match=r"HTTP 404: No such resource"):
        wrong_path.fetch_day(DAY)
    assert server.count() == 2


# -- secrets ---------------------------------------------------------------------------------------


def test_api_key_never_leaks(server, tmp_path, quota_day, caplog):
    caplog.set_level(logging.DEBUG)
    records = server.add_synthetic_day(DAY, 4)
    server.remove_description(records[0]["noticeId"])
    server.slow_seconds = 2.0
    ledger = make_ledger(tmp_path, budget=10)
    client = make_client(server, ledger, timeout=0.3, retries=1, page_size=2)
    texts = [repr(client)]
    errors: list[BaseException] = []

    server.inject("500", "slow")
    with pytest.raises(SamApiError) as timeout_error:
        client.fetch_day(DAY)
    server.inject("malformed")
    progress = client.fetch_day(DAY)
    texts.append(json.dumps(progress.to_dict()))
    client.fetch_descriptions(progress.records.values(), {})
    with pytest.raises(SamApiError) as auth_error:
        make_client(server, ledger, api_key=WRONG_KEY).fetch_day(DAY)
    with pytest.raises(QuotaStop) as stop:
        client.fetch_day(DAY + timedelta(days=1))  # all 10 units spent: the ledger refuses
    errors += [timeout_error.value, auth_error.value, stop.value]

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    unreachable = SamApi(
        KEY,
        ledger=make_ledger(tmp_path),
        base_url=f"http://127.0.0.1:{closed_port}/x",
        retries=1,
        backoff_factor=0,
    )
    with pytest.raises(SamApiError, match="connection failed") as connection_error:
        unreachable.fetch_day(DAY)
    errors.append(connection_error.value)
    assert "api_key=***" in str(connection_error.value)  # requests' message kept, key scrubbed

    for error in errors:
        assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
    texts.append(caplog.text)
    assert "api_key=***" in caplog.text  # urllib3's request lines were logged, scrubbed
    assert server.count(status=401) == 1 and server.count(status=404) == 1
    for text in texts:
        assert KEY not in text and WRONG_KEY not in text


# -- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "   ", None])
def test_empty_key_is_refused(tmp_path, key):
    with pytest.raises(ValueError, match="API key is empty"):
        SamApi(key, ledger=make_ledger(tmp_path))


@pytest.mark.parametrize("page_size", [0, 1001, -5, True, 2.5, "10"])
def test_page_size_must_be_1_to_1000(tmp_path, page_size):
    with pytest.raises(ValueError, match="page_size must be an integer from 1 to 1000"):
        SamApi(KEY, ledger=make_ledger(tmp_path), page_size=page_size)


def test_bad_days_are_refused_before_any_request(server, tmp_path):
    client = make_client(server, make_ledger(tmp_path))
    for bad in ("2024-03-04", datetime(2024, 3, 4, 12), None, 20240304):
        with pytest.raises(ValueError, match=r"day must be a datetime\.date"):
            client.fetch_day(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is in the future"):
        client.fetch_day(utc_today() + timedelta(days=1))
    with pytest.raises(ValueError, match="progress is for 2024-03-05, not 2024-03-04"):
        client.fetch_day(DAY, DayProgress(day=date(2024, 3, 5)))
    assert server.count() == 0


def test_format_sam_date():
    assert format_sam_date(date(2024, 3, 4)) == "03/04/2024"
    assert format_sam_date(date(1999, 12, 31)) == "12/31/1999"


def test_progress_roundtrip_and_bad_input():
    progress = DayProgress(DAY, 2, 2, {"a": {"noticeId": "a"}, "b": {"noticeId": "b"}}, True, 3)
    assert roundtrip(progress) == progress
    with pytest.raises(ValueError, match=r"not a saved SAM\.gov day progress"):
        DayProgress.from_dict({"day": "2024-03-04"})


# -- the fake server itself ------------------------------------------------------------------------


def test_fake_server_validates_like_sam(server):
    def get(**params):
        return requests.get(server.search_url, params=params, timeout=5)

    assert get(postedFrom="03/04/2024", postedTo="03/04/2024").status_code == 401
    bad_date = get(api_key=KEY, postedFrom="2024-03-04", postedTo="03/04/2024")
    assert bad_date.status_code == 400
    assert bad_date.json()["errorMessage"] == "Invalid Date Entered. Expected date format is MM/dd/yyyy"
    assert get(api_key=KEY, postedTo="03/04/2024").status_code == 400
    too_big = get(api_key=KEY, postedFrom="03/04/2024", postedTo="03/04/2024", limit=1001)
    assert too_big.status_code == 400 and "Limit" in too_big.json()["errorMessage"]
    ok = get(api_key=KEY, postedFrom="03/04/2024", postedTo="03/04/2024", limit=1000, offset=0)
    assert ok.status_code == 200 and ok.json()["totalRecords"] == 0
    server.daily_quota = server.quota_used
    over = get(api_key=KEY, postedFrom="03/04/2024", postedTo="03/04/2024")
    assert over.status_code == 429 and over.json()["error"]["code"] == "OVER_RATE_LIMIT"
    assert server.count() == server.count(SEARCH_PATH) == 6
    with pytest.raises(ValueError, match="unknown faults"):
        server.inject("teapot")


# -- the packaged sample ---------------------------------------------------------------------------


def write_sample(path, *, days, descriptions):
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump({"edition": "test-edition", "days": days, "descriptions": descriptions}, handle)
    return path


def test_sample_serves_days_and_descriptions(tmp_path):
    linked = {
        "noticeId": "n1",
        "type": "Solicitation",
        "description": "https://api.sam.gov/prod/x?noticeid=n1",
    }
    inline = {"noticeId": "n2", "type": "Sources Sought", "description": "Inline text."}
    body = {"totalRecords": 2, "limit": 1000, "offset": 0, "opportunitiesData": [linked, inline, linked]}
    sample = SampleSam(
        write_sample(tmp_path / "s.json.gz", days={"2024-03-04": body}, descriptions={"n1": "One."})
    )

    assert sample.edition == "test-edition" and sample.days() == [DAY]
    progress = sample.fetch_day(DAY)
    assert progress.complete and progress.requests == 0 and list(progress.records) == ["n1", "n2"]
    empty = sample.fetch_day(date(2024, 3, 5))
    assert empty.complete and empty.records == {} and empty.total_records == 0
    assert sample.fetch_descriptions(progress.records.values(), {}) == {"n1": "One.", "n2": "Inline text."}
    assert sample.fetch_descriptions([linked, inline], {"n1": "kept"}) == {"n1": "kept", "n2": "Inline text."}
    with pytest.raises(ValueError, match=r"day must be a datetime\.date"):
        sample.fetch_day("2024-03-04")  # type: ignore[arg-type]


def test_sample_and_api_are_interchangeable():
    for method in ("fetch_day", "fetch_descriptions"):
        assert inspect.signature(getattr(SampleSam, method)) == inspect.signature(getattr(SamApi, method))


def test_missing_sample_file_says_where(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"SAM\.gov sample not found"):
        SampleSam(tmp_path / "absent.json.gz")


@pytest.mark.skipif(not SAMPLE_PATH.exists(), reason="packaged sample not written yet")
def test_packaged_sample_loads():
    sample = SampleSam()
    assert sample.edition and sample.days()
    for day in sample.days():
        progress = sample.fetch_day(day)
        assert progress.complete and progress.requests == 0
        assert 0 < len(progress.records) <= progress.total_records
        descriptions = sample.fetch_descriptions(progress.records.values(), {})
        assert set(descriptions) == set(progress.records)
