"""SAM.gov assets, one partition per posted day. Both spend the daily quota, so both sit in the
``sam_api`` pool (one at a time across runs) and keep what they fetched as they go."""

from collections import Counter
from datetime import date
from typing import Any

import dagster as dg

from fedproc_pipeline.sam.api import DayProgress, QuotaStop, SamApi, SamApiError
from fedproc_pipeline.sam.resources import SamGovClient
from fedproc_pipeline.sam.tables import descriptions_table, opportunities_table, raw_records
from pipeline_runtime.env import env_date
from pipeline_runtime.provenance import provenance_metadata, upstream_versions
from pipeline_runtime.resources import ArtifactStoreResource
from slmkit.provenance import records_hash

# The packaged sample starts on 2026-11-09; live users may start earlier (SAM allows a year per query).
sam_daily_partitions = dg.DailyPartitionsDefinition(start_date=env_date("SAM_PARTITIONS_START", "2026-11-09"))

SAM_ASSET_ARGS: dict[str, Any] = {
    "partitions_def": sam_daily_partitions,
    "group_name": "sam",
    "code_version": "1",
    "kinds": {"parquet"},
    "pool": "sam_api",
    "retry_policy": dg.RetryPolicy(max_retries=2, delay=60, backoff=dg.Backoff.EXPONENTIAL),
}


class SamFetchConfig(dg.Config):
    refresh: bool = False
    """Fetch the day again from scratch instead of reusing what earlier runs saved."""


def opportunities_path(day: date) -> str:
    return f"sam/opportunities/{day.isoformat()}.parquet"


def descriptions_path(day: date) -> str:
    return f"sam/descriptions/{day.isoformat()}.parquet"


def opportunities_progress_path(day: date) -> str:
    return f"sam/opportunities/{day.isoformat()}.progress.json"


def descriptions_log_path(day: date) -> str:
    """Append-only log of fetched descriptions: every one is kept the moment it arrives."""
    return f"sam/descriptions/{day.isoformat()}.fetched.jsonl"


def _partition_day(context: dg.AssetExecutionContext) -> date:
    return context.partition_time_window.start.date()


def _source_label(sam: SamGovClient) -> str:
    return "sam.gov" if sam.is_live else "sample"


def _failure(error: Exception, sam: SamGovClient, **metadata: Any) -> dg.Failure:
    """A quota stop or a permanent error is not retried (a retry would meet the same answer and
    spend quota); a transient error after the client's own retries is left to the retry policy."""
    if isinstance(error, QuotaStop):
        metadata["refused_by"] = "SAM.gov (HTTP 429)" if error.server_refused else "daily budget"
    retry = isinstance(error, SamApiError) and error.transient
    return dg.Failure(
        description=str(error),
        allow_retries=retry,
        metadata={"budget_remaining_today": sam.ledger().remaining(), **metadata},
    )


def _counts_table(counter: Counter, header: str) -> dg.MetadataValue:
    lines = [f"| {header} | notices |", "|---|---|"] + [f"| {k} | {n} |" for k, n in counter.most_common()]
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(
    **SAM_ASSET_ARGS,
    description="SAM.gov contract opportunities posted on the partition's day: every v2 field plus raw JSON, "
    "deduplicated by noticeId.",
)
def sam_opportunities(
    context: dg.AssetExecutionContext, config: SamFetchConfig, sam: SamGovClient, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    day = _partition_day(context)
    artifacts = store.store()
    source = sam.source()
    progress_path = opportunities_progress_path(day)
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
        raise _failure(stop, sam, notices_kept=len(kept.records) if kept else 0) from None
    except (SamApiError, ValueError) as error:
        raise _failure(error, sam) from error
    if sam.is_live:
        save(progress)
    records = list(progress.records.values())
    artifacts.write_parquet(opportunities_path(day), opportunities_table(records))
    content_hash = records_hash(sorted(records, key=lambda r: r["noticeId"]))
    context.log.info(f"{day}: {len(records)} notices")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source=_source_label(sam),
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
    **SAM_ASSET_ARGS,
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
    notice_ids = {r["noticeId"] for r in records}
    log_path = descriptions_log_path(day)
    if config.refresh and artifacts.exists(log_path):
        artifacts.write_bytes(log_path, b"")
    have = {
        e["notice_id"]: e["description"]
        for e in artifacts.read_jsonl(log_path)
        if e["notice_id"] in notice_ids
    }

    def keep(notice_id: str, text: str) -> None:
        artifacts.append_jsonl(log_path, {"notice_id": notice_id, "description": text})

    source = sam.source()
    try:
        descriptions = source.fetch_descriptions(records, have, on_item=keep)
    except QuotaStop as stop:
        raise _failure(stop, sam, descriptions_kept=len(stop.descriptions), notices=len(records)) from None
    except (SamApiError, ValueError) as error:
        raise _failure(error, sam) from error
    artifacts.write_parquet(descriptions_path(day), descriptions_table(descriptions))
    content_hash = records_hash(
        {"notice_id": k, "description": descriptions[k]} for k in sorted(descriptions)
    )
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source=_source_label(sam),
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
