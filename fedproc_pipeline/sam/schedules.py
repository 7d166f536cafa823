"""Every morning (UTC), fetch the day that just ended."""

import dagster as dg

from fedproc_pipeline.sam.jobs import sam_daily_job

# A daily-partitioned job's schedule targets the last complete partition: yesterday.
sam_daily_schedule = dg.build_schedule_from_partitioned_job(
    sam_daily_job,
    hour_of_day=6,
    minute_of_hour=15,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
