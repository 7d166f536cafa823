"""SAM.gov assets, one partition per posted day. Both spend the daily quota, so both sit in the
``sam_api`` pool (one at a time across runs) and persist progress after every page or batch."""

import os
from collections import Counter
from datetime import date
from typing import Any

import dagster as dg

from fedproc_pipeline.sam.api import DayProgress, QuotaStop, SamApi
from fedproc_pipeline.sam.resources import SamGovClient
from fedproc_pipeline.sam.tables import descriptions_table, opportunities_table, raw_records
from pipeline_runtime.provenance import provenance_metadata, upstream_versions
from pipeline_runtime.resources import ArtifactStoreResource
from slmkit.provenance import records_hash
from slmkit.storage import ArtifactStore

# The packaged sample starts on 2026-11-09; live users may start earlier (SAM allows a year per query).
sam_daily_partitions = dg.DailyPartitionsDefinition(
    start_date=os.environ.get("SAM_PARTITIONS_START", "2026-11-09")
)

RETRY = dg.RetryPolicy(max_retries=2, delay=60, backoff=dg.Backoff.EXPONENTIAL)
DESCRIPTION_SAVE_EVERY = 20


class SamFetchConfig(dg.Config):
    refresh: bool = False
    """Fetch the day again from scratch instead of reusing what earlier runs saved."""


def opportunities_path(day: date) -> str:
    return f"sam/opportunities/{day.isoformat()}.parquet"


def descriptions_path(day: date) -> str:
    return f"sam/descriptions/{day.isoformat()}.parquet"


def _progress_path(kind: str, day: date) -> str:
    return f"sam/{kind}/{day.isoformat()}.progress.json"


def _partition_day(context: dg.AssetExecutionContext) -> date:
    return context.partition_time_window.start.date()


def _quota_failure(stop: QuotaStop, sam: SamGovClient, **metadata: Any) -> dg.Failure:
    # allow_retries=False: a retry would only meet the same 429 again (no retry storm).
    return dg.Failure(
        description=str(stop),
        allow_retries=False,
        metadata={"budget_remaining_today": sam.ledger().remaining(), **metadata},
    )


def _counts_table(counter: Counter, header: str) -> dg.MetadataValue:
    lines = [f"| {header} | notices |", "|---|---|"] + [f"| {k} | {n} |" for k, n in counter.most_common()]
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(
    partitions_def=sam_daily_partitions,
    group_name="sam",
    code_version="1",
    kinds={"parquet"},
    pool="sam_api",
    retry_policy=RETRY,
    description="SAM.gov contract opportunities posted on the partition's day: every v2 field plus raw JSON, "
    "deduplicated by noticeId.",
)
def sam_opportunities(
    context: dg.AssetExecutionContext, config: SamFetchConfig, sam: SamGovClient, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    day = _partition_day(context)
    artifacts = store.store()
    source = sam.source()
    progress_path = _progress_path("opportunities", day)
    saved = None
    if sam.is_live and artifacts.exists(progress_path) and not config.refresh:
        saved = DayProgress.from_dict(artifacts.read_json(progress_path))
    requests_before = saved.requests if saved else 0

    def save(progress: DayProgress) -> None:
        artifacts.write_json(progress_path, progress.to_dict())

    try:
        progress = source.fetch_day(day, saved, on_page=save if sam.is_live else None)
    except QuotaStop as stop:
        kept = stop.progress or saved
        if kept:
            save(kept)
        raise _quota_failure(stop, sam, notices_kept=len(kept.records) if kept else 0) from None
    if sam.is_live:
        save(progress)
    records = list(progress.records.values())
    artifacts.write_parquet(opportunities_path(day), opportunities_table(records))
    content_hash = records_hash(sorted(records, key=lambda r: r["noticeId"]))
    context.log.info(f"{day}: {len(records)} notices")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source="sam.gov" if sam.is_live else "sample",
            content_hash=content_hash,
            posted_date=day.isoformat(),
            notices=len(records),
            total_records=progress.total_records or 0,
            requests_spent=progress.requests - requests_before,
            budget_remaining_today=sam.ledger().remaining() if sam.is_live else "n/a (sample)",
            notice_types=_counts_table(Counter(r.get("type") for r in records), "type"),
            set_asides=_counts_table(
                Counter(r.get("typeOfSetAside") or "none" for r in records), "set-aside"
            ),
            path=opportunities_path(day),
        ),
    )


@dg.asset(
    partitions_def=sam_daily_partitions,
    group_name="sam",
    code_version="1",
    kinds={"parquet"},
    pool="sam_api",
    retry_policy=RETRY,
    deps=[sam_opportunities],
    description="Description text of each notice of the day, fetched incrementally: a partition the quota "
    "interrupted completes on a later day without fetching again what it has.",
)
def sam_notice_descriptions(
    context: dg.AssetExecutionContext, config: SamFetchConfig, sam: SamGovClient, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    day = _partition_day(context)
    artifacts = store.store()
    records = raw_records(artifacts.read_parquet(opportunities_path(day)))
    have = {} if config.refresh else _saved_descriptions(artifacts, day)
    notice_ids = {r["noticeId"] for r in records}
    have = {k: v for k, v in have.items() if k in notice_ids}
    progress_path = _progress_path("descriptions", day)
    fetched_now: dict[str, str] = {}

    def save_item(notice_id: str, text: str) -> None:
        fetched_now[notice_id] = text
        if len(fetched_now) % DESCRIPTION_SAVE_EVERY == 0:
            artifacts.write_json(progress_path, {**have, **fetched_now})

    source = sam.source()
    try:
        descriptions = source.fetch_descriptions(records, have, on_item=save_item)
    except QuotaStop as stop:
        artifacts.write_json(progress_path, {**have, **stop.descriptions})
        raise _quota_failure(
            stop, sam, descriptions_kept=len(stop.descriptions), notices=len(records)
        ) from None
    artifacts.write_json(progress_path, descriptions)
    artifacts.write_parquet(descriptions_path(day), descriptions_table(descriptions))
    content_hash = records_hash(
        {"notice_id": k, "description": descriptions[k]} for k in sorted(descriptions)
    )
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source="sam.gov" if sam.is_live else "sample",
            content_hash=content_hash,
            upstream=upstream_versions(context, [sam_opportunities.key], context.partition_key),
            posted_date=day.isoformat(),
            notices=len(records),
            descriptions=len(descriptions),
            reused=len(have),
            fetched=len(descriptions) - len(have),
            empty=sum(not text for text in descriptions.values()),
            requests_spent=source.requests_sent if isinstance(source, SamApi) else 0,
            path=descriptions_path(day),
        ),
    )


def _saved_descriptions(artifacts: ArtifactStore, day: date) -> dict[str, str]:
    """What earlier runs fetched: the progress file if a run was interrupted, else the last output."""
    progress_path = _progress_path("descriptions", day)
    if artifacts.exists(progress_path):
        return dict(artifacts.read_json(progress_path))
    if artifacts.exists(descriptions_path(day)):
        table = artifacts.read_parquet(descriptions_path(day)).to_pylist()
        return {row["notice_id"]: row["description"] for row in table}
    return {}
