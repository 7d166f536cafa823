"""The `fedproc_dataset` asset and its blocking checks: SAM notices (every materialised day) and
passages of real FAR/DFARS text, labelled for the four tasks and split by origin document."""

from collections import Counter
from typing import Any

import dagster as dg
import pyarrow as pa

from fedproc_pipeline.dataset import (
    grouped_split,
    registry_number_set,
    registry_passages,
    sam_records,
    split_shares,
)
from fedproc_pipeline.dataset.synthetic import (
    SyntheticExcerpt,
    local_excerpt,
    plan_requests,
    synthetic_records,
    without_plan,
)
from fedproc_pipeline.regulations.assets import REGISTRY_PATH, far_clause_registry
from fedproc_pipeline.sam.assets import (
    descriptions_path,
    opportunities_path,
    sam_daily_partitions,
    sam_notice_descriptions,
    sam_opportunities,
)
from pipeline_runtime.automation import stale_over_partitions
from pipeline_runtime.env import env_int
from pipeline_runtime.llm import LLMResource
from pipeline_runtime.provenance import provenance_metadata, upstream_versions
from pipeline_runtime.resources import ArtifactStoreResource
from slmkit.provenance import records_hash

DATASET_PATH = "fedproc/fedproc_dataset.parquet"
SYNTHETIC_PATH = "fedproc/synthetic_excerpts.parquet"
SEED = 0

CLAUSE_SPAN = pa.struct(
    [("start", pa.int32()), ("end", pa.int32()), ("label", pa.string()), ("number", pa.string())]
)
DATASET_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("source", pa.string()),
        ("label_origin", pa.list_(pa.string())),
        ("doc_id", pa.string()),
        ("task_mask", pa.list_(pa.bool_())),
        ("notice_type", pa.string()),
        ("naics_sector", pa.string()),
        ("set_asides", pa.list_(pa.string())),
        ("clause_spans", pa.list_(CLAUSE_SPAN)),
        ("clause_numbers_rejected", pa.list_(pa.string())),
        ("split", pa.string()),
    ]
)


class SyntheticConfig(dg.Config):
    per_set_aside: int = env_int("FEDPROC_SYNTHETIC_PER_SET_ASIDE", 6, minimum=1)
    """Excerpts asked for per rare set-aside (HUBZONE, EDWOSB, 8A, SDB, WOSB)."""


@dg.asset(
    group_name="dataset",
    code_version="1",
    kinds={"parquet"},
    pool="llm_api",
    deps=[far_clause_registry],
    description="Generated notice excerpts for the rare set-asides, all four tasks labelled; the prompt pins "
    "real registry clause numbers and any excerpt citing a number outside the registry is rejected.",
)
def fedproc_synthetic_excerpts(
    context: dg.AssetExecutionContext, config: SyntheticConfig, llm: LLMResource, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    registry = artifacts.read_parquet(REGISTRY_PATH).to_pylist()
    session = llm.session(artifacts, local_excerpt)
    requests = plan_requests(registry, n_per_set_aside=config.per_set_aside, seed=SEED, model=session.model)
    # The plan rides in the prompt; remote APIs must not receive it as call parameters.
    pairs, budget_stop = session.generate_all(
        requests, SyntheticExcerpt, send=without_plan, log=context.log.warning
    )
    records, counts = synthetic_records(pairs, registry_number_set(registry))
    records.sort(key=lambda r: r["id"])
    artifacts.write_parquet(SYNTHETIC_PATH, pa.Table.from_pylist(records, schema=DATASET_SCHEMA))
    content_hash = records_hash(records)
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source=f"synthetic ({session.selection.provider})",
            content_hash=content_hash,
            upstream=upstream_versions(context, [far_clause_registry.key]),
            records=len(records),
            planned=len(requests),
            rejected=dg.MetadataValue.json(counts["rejected_by_reason"]),
            budget_stop=budget_stop or "no",
            path=SYNTHETIC_PATH,
            **session.metadata(),
        ),
    )


def _materialised_days(context: dg.AssetExecutionContext) -> list[str]:
    done = context.instance.get_materialized_partitions(sam_notice_descriptions.key)
    return [key for key in sam_daily_partitions.get_partition_keys() if key in done]


def _markdown(counts: dict[str, Counter], header: str) -> dg.MetadataValue:
    splits = ("train", "val", "test")
    lines = [f"| {header} | " + " | ".join(splits) + " |", "|---|" + "---:|" * len(splits)]
    lines += [
        f"| {name} | " + " | ".join(str(c.get(s, 0)) for s in splits) + " |" for name, c in counts.items()
    ]
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(
    group_name="dataset",
    code_version="2",
    automation_condition=stale_over_partitions(
        dg.AssetSelection.assets(sam_opportunities, sam_notice_descriptions)
    ),
    kinds={"parquet"},
    deps=[far_clause_registry, fedproc_synthetic_excerpts, sam_opportunities, sam_notice_descriptions],
    description="Four-task FedProc dataset (notice type, NAICS sector, set-asides, clause spans) with task "
    "masks and provenance, split ~70/15/15 by origin document.",
)
def fedproc_dataset(context: dg.AssetExecutionContext, store: ArtifactStoreResource) -> dg.MaterializeResult:
    artifacts = store.store()
    registry = artifacts.read_parquet(REGISTRY_PATH).to_pylist()
    numbers = registry_number_set(registry)
    days = _materialised_days(context)
    notices: list[dict[str, Any]] = []
    descriptions: dict[str, str] = {}
    for key in days:
        day = sam_daily_partitions.time_window_for_partition_key(key).start.date()
        notices.extend(artifacts.read_parquet(opportunities_path(day)).to_pylist())
        rows = artifacts.read_parquet(descriptions_path(day)).to_pylist()
        descriptions.update({row["notice_id"]: row["description"] for row in rows})
    synthetic = artifacts.read_parquet(SYNTHETIC_PATH).drop_columns(["split"]).to_pylist()
    records = sam_records(notices, descriptions, numbers) + registry_passages(registry, seed=SEED) + synthetic
    records = grouped_split(records, seed=SEED)
    records.sort(key=lambda r: r["id"])
    artifacts.write_parquet(DATASET_PATH, pa.Table.from_pylist(records, schema=DATASET_SCHEMA))
    content_hash = records_hash(records)
    by_source: dict[str, Counter] = {}
    for record in records:
        by_source.setdefault(record["source"], Counter())[record["split"]] += 1
    rejected = sum(len(r.get("clause_numbers_rejected") or []) for r in records)
    upstream = upstream_versions(context, [far_clause_registry.key, fedproc_synthetic_excerpts.key])
    for key in days:
        version = upstream_versions(context, [sam_notice_descriptions.key], key)["sam_notice_descriptions"]
        upstream[f"sam_notice_descriptions[{key}]"] = version
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source="sam + ecfr + synthetic",
            content_hash=content_hash,
            upstream=upstream,
            records=len(records),
            sam_days=len(days),
            records_per_source_and_split=_markdown(by_source, "source"),
            split_shares=dg.MetadataValue.json(split_shares(records)),
            clause_spans=sum(len(r.get("clause_spans") or []) for r in records),
            clause_numbers_rejected=rejected,
            path=DATASET_PATH,
        ),
    )
