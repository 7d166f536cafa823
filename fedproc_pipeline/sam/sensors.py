"""Quota-aware backfill: fill missing SAM partitions oldest first, one run at a time, and stop for
the day once the daily request budget is spent."""

import dagster as dg

from fedproc_pipeline.sam.assets import sam_daily_partitions, sam_notice_descriptions
from fedproc_pipeline.sam.jobs import sam_daily_job
from fedproc_pipeline.sam.resources import SamGovClient
from slmkit.quota import utc_today

IN_PROGRESS = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _fetched_live(instance: dg.DagsterInstance, partition_key: str) -> bool:
    """Whether the partition's descriptions came from SAM.gov, not from the offline sample."""
    records_filter = dg.AssetRecordsFilter(
        asset_key=sam_notice_descriptions.key, asset_partitions=[partition_key]
    )
    records = instance.fetch_materializations(records_filter, limit=1).records
    materialization = records[0].asset_materialization if records else None
    source = materialization.metadata.get("source") if materialization else None
    return getattr(source, "value", None) == "sam.gov"


def next_partition_to_fill(instance: dg.DagsterInstance, live: bool) -> str | None:
    """The oldest partition not yet materialised; with a key, days filled from the sample count as
    missing, so data fetched offline never stands in for the real thing."""
    done = instance.get_materialized_partitions(sam_notice_descriptions.key)
    for key in sam_daily_partitions.get_partition_keys():
        if key not in done or (live and not _fetched_live(instance, key)):
            return key
    return None


@dg.sensor(
    job=sam_daily_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Backfills missing SAM.gov days oldest first while today's request budget lasts.",
)
def sam_quota_backfill_sensor(
    context: dg.SensorEvaluationContext, sam: SamGovClient
) -> dg.RunRequest | dg.SkipReason:
    if sam.is_live and sam.ledger().remaining() <= 0:
        return dg.SkipReason(
            "today's SAM.gov request budget is spent; the backfill resumes after the UTC reset"
        )
    # One run at a time: runs would otherwise race for the same budget and jump the oldest-first order.
    if context.instance.get_runs(
        filters=dg.RunsFilter(job_name=sam_daily_job.name, statuses=IN_PROGRESS), limit=1
    ):
        return dg.SkipReason("a SAM.gov run is in progress")
    oldest = next_partition_to_fill(context.instance, sam.is_live)
    if oldest is None:
        return dg.SkipReason("every SAM.gov partition is materialised")
    # The run key holds today's date: a partition that failed (quota or otherwise) is asked for
    # again tomorrow, not in a loop today.
    return dg.RunRequest(partition_key=oldest, run_key=f"{oldest}@{utc_today().isoformat()}")
