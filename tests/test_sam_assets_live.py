"""SAM assets in live mode against the fake SAM.gov server on 127.0.0.1: quota stop and resume
across days, server 429, concurrent runs, and the API key kept out of everything Dagster records."""

import logging
import multiprocessing
from datetime import date, timedelta

import dagster as dg
import pytest

from fedproc_pipeline.sam.assets import (
    descriptions_log_path,
    descriptions_path,
    opportunities_path,
    sam_notice_descriptions,
    sam_opportunities,
)
from fedproc_pipeline.sam.resources import SamGovClient
from tests.conftest import KEY, QUOTA_DAY, latest_materialization
from tests.fakes.sam_server import DESCRIPTION_PATH, SEARCH_PATH, FakeSamServer, synthetic_records

DAY = QUOTA_DAY - timedelta(days=1)  # the partition: yesterday, on the first quota day
SAM_ASSETS = [sam_opportunities, sam_notice_descriptions]


def _client(server, tmp_path, budget, page_size=10):
    return SamGovClient(
        api_key=KEY,
        base_url=server.search_url,
        daily_budget=budget,
        page_size=page_size,
        ledger_path=str(tmp_path / "quota.sqlite"),
        timeout=5,
    )


def _run(sam, store, instance, selection=SAM_ASSETS, partition=DAY):
    return dg.materialize(
        selection,
        resources={"sam": sam, "store": store},
        instance=instance,
        partition_key=partition.isoformat(),
        raise_on_error=False,
    )


def _failure_messages(result):
    return [e.step_failure_data.error.message for e in result.get_step_failure_events()]


def _everything_recorded(instance):
    """Every event Dagster stored (logs, metadata, failures), as text."""
    return "\n".join(repr(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id))


def test_quota_stop_keeps_progress_and_the_next_day_completes_without_refetching(
    tmp_path, store, instance, quota_day, caplog
):
    caplog.set_level(logging.DEBUG)
    with FakeSamServer(api_key=KEY) as server:
        records = server.add_synthetic_day(DAY, 25)
        sam = _client(server, tmp_path, budget=16)  # 3 search pages + 13 of 25 descriptions
        first = _run(sam, store, instance)
        assert not first.success
        [message] = _failure_messages(first)
        assert "quota exhausted, resumes after reset" in message
        assert store.store().exists(opportunities_path(DAY))
        assert not store.store().exists(descriptions_path(DAY))
        assert server.count() == 16  # the budget, never more

        quota_day.advance()
        second = _run(sam, store, instance)
        assert second.success, _failure_messages(second)
        descriptions = store.store().read_parquet(descriptions_path(DAY)).to_pylist()
        assert {d["notice_id"] for d in descriptions} == {r["noticeId"] for r in records}
        # Nothing fetched twice: 3 pages once, each description once.
        assert server.count(SEARCH_PATH) == 3
        assert server.count(DESCRIPTION_PATH) == 25
    meta = latest_materialization(instance, "sam_notice_descriptions", DAY.isoformat()).metadata
    assert meta["reused"].value == 13
    assert meta["fetched"].value == 12
    assert meta["source"].value == "sam.gov"
    recorded = _everything_recorded(instance)
    assert "quota exhausted" in recorded
    assert KEY not in recorded
    assert KEY not in caplog.text
    assert not any(KEY in p.read_text() for p in (tmp_path / "artifacts").rglob("*.json"))


def test_server_429_stops_the_partition_at_once(tmp_path, store, instance, quota_day):
    with FakeSamServer(api_key=KEY, daily_quota=2) as server:
        server.add_synthetic_day(DAY, 25)
        sam = _client(server, tmp_path, budget=1000)
        result = _run(sam, store, instance, selection=[sam_opportunities])
        assert not result.success
        assert "quota exhausted, resumes after reset" in _failure_messages(result)[0]
        assert server.count(status=429) == 1  # no retry storm, no Dagster retry either
        assert sam.ledger().remaining() == 0  # nothing else is sent today
        server.reset_quota()
        quota_day.advance()
        assert _run(sam, store, instance, selection=[sam_opportunities]).success
        assert store.store().read_parquet(opportunities_path(DAY)).num_rows == 25
        assert server.count(SEARCH_PATH, status=200) == 3


def _materialize_in_own_process(sam_config: dict, store_root: str, day: str, out) -> None:
    # Dagster's in-process executor configures logging globally, so concurrent runs need processes.
    from pipeline_runtime.resources import ArtifactStoreResource

    with dg.instance_for_test() as own_instance:
        result = dg.materialize(
            SAM_ASSETS,
            resources={"sam": SamGovClient(**sam_config), "store": ArtifactStoreResource(root=store_root)},
            instance=own_instance,
            partition_key=day,
            raise_on_error=False,
        )
    out.put((day, result.success))


def test_two_runs_at_once_never_exceed_the_budget(tmp_path, store):
    days = [DAY, DAY - timedelta(days=1)]
    context = multiprocessing.get_context("spawn")
    with FakeSamServer(api_key=KEY) as server:
        for day in days:
            server.add_synthetic_day(day, 30)
        sam = _client(server, tmp_path, budget=20)
        sam.ledger()  # create the ledger file before two processes race to
        results = context.Queue()
        workers = [
            context.Process(
                target=_materialize_in_own_process,
                args=(sam.model_dump(), store.root, day.isoformat(), results),
            )
            for day in days
        ]
        for worker in workers:
            worker.start()
        outcome = dict(results.get(timeout=180) for _ in workers)
        for worker in workers:
            worker.join(timeout=30)
        assert server.count() == 20
        assert sam.ledger().used() == 20
        assert outcome == {days[0].isoformat(): False, days[1].isoformat(): False}  # 66 requests needed


def test_a_day_that_is_not_a_partition_is_refused_before_any_request(tmp_path, store, instance, quota_day):
    with FakeSamServer(api_key=KEY) as server:
        sam = _client(server, tmp_path, budget=10)
        future = date.today() + timedelta(days=3)
        with pytest.raises(dg.DagsterError, match=future.isoformat()):
            _run(sam, store, instance, partition=future)
        assert server.count() == 0


def _retried(result) -> bool:
    return any(e.event_type_value == "STEP_UP_FOR_RETRY" for e in result.all_events)


def test_a_permanent_error_is_not_retried_and_descriptions_fetched_so_far_are_kept(
    tmp_path, store, instance, quota_day
):
    with FakeSamServer(api_key=KEY) as server:
        records = synthetic_records(DAY, 10, base_url=server.base_url)
        ordered = sorted(records, key=lambda r: r["noticeId"])  # the order descriptions are fetched in
        bad = ordered[4]
        bad["description"] = "http://127.0.0.2:9/prod/opportunities/v1/noticedesc?noticeid=" + bad["noticeId"]
        server.add_records(DAY, records)
        for record in records:
            server.set_description(record["noticeId"], f"text of {record['noticeId']}")
        result = _run(_client(server, tmp_path, budget=100), store, instance)
        assert not result.success
        assert not _retried(result)
        [message] = _failure_messages(result)
        assert "refusing to send the key there" in message
        assert KEY not in message
        assert server.count(DESCRIPTION_PATH) == 4
    kept = store.store().read_jsonl(descriptions_log_path(DAY))
    assert [k["notice_id"] for k in kept] == [r["noticeId"] for r in ordered[:4]]


def test_a_rejected_key_fails_at_once_without_retries(tmp_path, store, instance, quota_day):
    with FakeSamServer(api_key="the-right-key") as server:
        server.add_synthetic_day(DAY, 5)
        result = _run(_client(server, tmp_path, budget=100), store, instance, selection=[sam_opportunities])
        assert not result.success
        assert not _retried(result)
        assert "401" in _failure_messages(result)[0]
        assert server.count() == 1
