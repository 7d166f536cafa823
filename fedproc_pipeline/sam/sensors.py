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
    done = context.instance.get_materialized_partitions(sam_notice_descriptions.key)
    missing = [key for key in sam_daily_partitions.get_partition_keys() if key not in done]
    if not missing:
        return dg.SkipReason("every SAM.gov partition is materialised")
    oldest = missing[0]
    # The run key includes today's date: a partition the quota stopped is asked for again tomorrow, not today.
    return dg.RunRequest(partition_key=oldest, run_key=f"{oldest}@{utc_today().isoformat()}")
