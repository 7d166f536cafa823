"""SAM assets, schedule and backfill sensor through Dagster, offline (packaged sample)."""

from datetime import UTC, date, datetime

import dagster as dg

from fedproc_pipeline.definitions import defs
from fedproc_pipeline.sam.assets import (
    descriptions_path,
    opportunities_path,
    sam_notice_descriptions,
    sam_opportunities,
)
from fedproc_pipeline.sam.resources import SamGovClient
from fedproc_pipeline.sam.sample import SampleSam
from fedproc_pipeline.sam.schedules import sam_daily_schedule
from fedproc_pipeline.sam.sensors import sam_quota_backfill_sensor
from fedproc_pipeline.sam.tables import raw_records
from tests.conftest import latest_materialization

SAM_ASSETS = [sam_opportunities, sam_notice_descriptions]


def test_sample_day_materialises_every_notice_and_description(instance, store):
    sample = SampleSam()
    day = sample.days()[0]
    expected = sample.fetch_day(day).records
    result = dg.materialize(
        SAM_ASSETS,
        resources={"sam": SamGovClient(), "store": store},
        instance=instance,
        partition_key=day.isoformat(),
    )
    assert result.success
    artifacts = store.store()
    records = raw_records(artifacts.read_parquet(opportunities_path(day)))
    assert sorted(r["noticeId"] for r in records) == sorted(expected)
    assert records == sorted(expected.values(), key=lambda r: r["noticeId"])  # raw JSON kept intact
    descriptions = artifacts.read_parquet(descriptions_path(day)).to_pylist()
    assert {d["notice_id"] for d in descriptions} == set(expected)
    assert all(d["description"] for d in descriptions)
    meta = latest_materialization(instance, "sam_opportunities", day.isoformat()).metadata
    assert meta["source"].value == "sample"
    assert meta["notices"].value == len(expected)
    desc_meta = latest_materialization(instance, "sam_notice_descriptions", day.isoformat()).metadata
    assert desc_meta["upstream_versions"].value == {"sam_opportunities": meta["content_hash"].value}


def test_a_day_outside_the_sample_is_empty_not_an_error(instance, store):
    result = dg.materialize(
        SAM_ASSETS,
        resources={"sam": SamGovClient(), "store": store},
        instance=instance,
        partition_key="2026-11-25",
    )
    assert result.success
    assert store.store().read_parquet(opportunities_path(date(2026, 11, 25))).num_rows == 0


def test_schedule_targets_yesterdays_partition():
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 21, 6, 15, tzinfo=UTC))
    schedule = defs.resolve_schedule_def(sam_daily_schedule.name)
    requests = list(schedule.evaluate_tick(context).run_requests or [])
    assert [r.partition_key for r in requests] == ["2026-11-20"]


def test_backfill_sensor_requests_the_oldest_missing_partition(instance, store):
    sam = SamGovClient()
    first = dg.build_sensor_context(instance=instance, resources={"sam": sam})
    request = sam_quota_backfill_sensor(first)
    assert isinstance(request, dg.RunRequest)
    assert request.partition_key == "2026-11-09"
    dg.materialize(
        SAM_ASSETS, resources={"sam": sam, "store": store}, instance=instance, partition_key="2026-11-09"
    )
    after = sam_quota_backfill_sensor(dg.build_sensor_context(instance=instance, resources={"sam": sam}))
    assert after.partition_key == "2026-11-10"


def test_backfill_sensor_stops_when_todays_budget_is_spent(instance, tmp_path):
    sam = SamGovClient(api_key="SECRET-KEY-abc123", daily_budget=2, ledger_path=str(tmp_path / "q.sqlite"))
    ledger = sam.ledger()
    assert ledger.try_acquire() and ledger.try_acquire()
    result = sam_quota_backfill_sensor(dg.build_sensor_context(instance=instance, resources={"sam": sam}))
    assert isinstance(result, dg.SkipReason)
    assert "budget is spent" in (result.skip_message or "")


def test_backfill_sensor_waits_for_a_run_in_progress(instance):
    instance.add_run(
        dg.DagsterRun(job_name="sam_daily_job", run_id="a" * 36, status=dg.DagsterRunStatus.STARTED)
    )
    result = sam_quota_backfill_sensor(
        dg.build_sensor_context(instance=instance, resources={"sam": SamGovClient()})
    )
    assert isinstance(result, dg.SkipReason)
    assert "in progress" in (result.skip_message or "")


def test_live_backfill_refetches_days_that_were_filled_from_the_sample(instance, store, tmp_path):
    sample_only = SamGovClient()
    for day in ("2026-11-09", "2026-11-10"):
        dg.materialize(
            SAM_ASSETS, resources={"sam": sample_only, "store": store}, instance=instance, partition_key=day
        )
    offline = sam_quota_backfill_sensor(
        dg.build_sensor_context(instance=instance, resources={"sam": sample_only})
    )
    assert offline.partition_key == "2026-11-11"
    live = SamGovClient(api_key="SECRET-KEY-abc123", ledger_path=str(tmp_path / "q.sqlite"))
    request = sam_quota_backfill_sensor(dg.build_sensor_context(instance=instance, resources={"sam": live}))
    assert request.partition_key == "2026-11-09"


def test_resource_repr_never_shows_the_key():
    client = SamGovClient(api_key="SECRET-KEY-abc123")
    for text in (repr(client), str(client), f"{client}"):
        assert "SECRET-KEY-abc123" not in text
        assert "api_key=***" in text
