"""ClarioScope assets: the label schema, and per task (intent / phi / insurance) raw generation, cue-word
cleaning and the final split dataset. The per-task assets come from one factory, :func:`build_task_assets`."""

import json
import os
from collections import Counter
from typing import Any, Literal

import dagster as dg
import pyarrow as pa
from pydantic import Field

from clarioscope_pipeline import datasets
from clarioscope_pipeline.generation.llm import GeneratedMessage, llm_records, plan_message_requests
from clarioscope_pipeline.gold import gold_summary, load_gold
from clarioscope_pipeline.labels import label_schema
from pipeline_runtime.automation import STALE
from pipeline_runtime.env import env_choice, env_int
from pipeline_runtime.llm import LLMResource
from pipeline_runtime.paths import project_root
from pipeline_runtime.provenance import provenance_metadata, upstream_versions
from pipeline_runtime.resources import ArtifactStoreResource
from slmkit.provenance import records_hash, sha256_bytes

LABEL_SCHEMA_PATH = "clarioscope/label_schema.json"
GOLD_SET_PATH = "clarioscope/gold/gold_set.json"
GROUP = "clarioscope_data"


@dg.asset(group_name="schema", code_version="1", kinds={"python", "json"})
def clarioscope_label_schema(store: ArtifactStoreResource) -> dg.MaterializeResult:
    """Intent classes (7), PHI types (18, HIPAA Safe Harbor) and insurance fields (12) with their BIO tags."""
    schema = label_schema()
    payload = json.dumps(schema, indent=2, sort_keys=True).encode()
    store.store().write_bytes(LABEL_SCHEMA_PATH, payload)
    digest = sha256_bytes(payload)
    counts = {name: len(labels) for name, labels in schema.items() if isinstance(labels, list)}
    return dg.MaterializeResult(
        data_version=dg.DataVersion(digest),
        metadata=provenance_metadata(
            source="code",
            content_hash=digest,
            path=LABEL_SCHEMA_PATH,
            label_counts=dg.MetadataValue.json(counts),
        ),
    )


class ClarioscopeData(dg.ConfigurableResource):
    """Size profile and seed of the ClarioScope datasets (local generator, offline)."""

    profile: Literal["demo", "full"] = Field(
        default="demo",
        description="; ".join(
            f"{p.name}: {p.train_val:,} train+val and {p.test:,} test messages per task"
            for p in datasets.PROFILES.values()
        ),
    )
    seed: int = Field(default=0, description="Seed of the local generator and of the train/val draw.")
    gold_path: str | None = Field(
        default=None,
        description="A human gold set (project JSONL or Label Studio JSON export, file or folder) that every "
        "model is scored on; never trained on.",
    )


def clarioscope_data_from_env() -> ClarioscopeData:
    """``CLARIOSCOPE_PROFILE`` (demo|full), ``CLARIOSCOPE_SEED`` and ``CLARIOSCOPE_GOLD_PATH`` without code
    changes."""
    return ClarioscopeData(
        profile=env_choice("CLARIOSCOPE_PROFILE", "demo", tuple(datasets.PROFILES)),  # type: ignore[arg-type]
        seed=env_int("CLARIOSCOPE_SEED", 0),
        gold_path=os.environ.get("CLARIOSCOPE_GOLD_PATH", default_gold_path()) or None,
    )


def default_gold_path() -> str:
    """The project's own hand-written gold set when running from the checkout (``""``: none). Setting
    ``CLARIOSCOPE_GOLD_PATH`` (empty: no gold set) replaces it."""
    path = project_root() / "benchmarks" / "gold" / "clarioscope_handwritten.jsonl"
    return str(path) if path.is_file() else ""


def raw_path(task: str) -> str:
    return f"clarioscope/raw/{task}.parquet"


def cleaned_path(task: str) -> str:
    return f"clarioscope/cleaned/{task}.parquet"


def dataset_path(task: str) -> str:
    return f"clarioscope/datasets/{task}.parquet"


SPAN_TYPE = pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32()), ("label", pa.string())]))


def table_schema(task: str, *, with_split: bool) -> pa.Schema:
    fields: list[tuple[str, pa.DataType]] = [
        ("id", pa.string()),
        ("text", pa.string()),
        ("channel", pa.string()),
        ("style", pa.string()),
    ]
    if with_split:
        fields.append(("split", pa.string()))
    fields += [("generator", pa.string()), ("source", pa.string()), ("label_origin", pa.string())]
    fields.append(("intent", pa.string()) if task == "intent" else ("spans", SPAN_TYPE))
    return pa.schema(fields)


def _write(
    store: ArtifactStoreResource, path: str, task: str, records: list[dict[str, Any]], split: bool
) -> str:
    schema = table_schema(task, with_split=split)
    rows = [{name: r.get(name) for name in schema.names} for r in records]
    store.store().write_parquet(path, pa.Table.from_pylist(rows, schema=schema))
    return records_hash(rows)


def _sources(records: list[dict[str, Any]]) -> str:
    """Who wrote the records (local generator or an LLM provider), as the raw asset recorded it."""
    return ", ".join(sorted({str(r["source"]) for r in records})) or "none"


def _read(store: ArtifactStoreResource, path: str) -> list[dict[str, Any]]:
    return store.store().read_parquet(path).to_pylist()


def _remote_raw(
    context: dg.AssetExecutionContext,
    task: str,
    data: ClarioscopeData,
    llm: LLMResource,
    store: ArtifactStoreResource,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Messages from a remote provider through the generation layer (cache, ledger, budget)."""
    session = llm.session(store.store())
    sizes = datasets.get_profile(data.profile)
    requests = [
        request
        for family, n in (("A", sizes.train_val), ("B", sizes.test))
        for request in plan_message_requests(task, family, n, data.seed, session.model)
    ]
    pairs, budget_stop = session.generate_all(requests, GeneratedMessage, log=context.log.warning)
    records, problems = llm_records(pairs, f"{session.selection.provider}:{session.model}")
    return records, {
        **session.metadata(),
        "entity_problems": dg.MetadataValue.json(dict(problems)),
        "budget_stop": budget_stop or "no",
    }


def build_task_assets(task: datasets.Task) -> list[dg.AssetsDefinition]:
    """``{task}_raw`` → ``{task}_cleaned`` → ``{task}_dataset`` for one task."""

    @dg.asset(
        name=f"{task}_raw",
        group_name=GROUP,
        code_version="2",
        kinds={"python", "parquet"},
        deps=[clarioscope_label_schema],
        pool="llm_api",
        description=f"Raw {task} messages: train/val from family A, test from family B; written by the local "
        "generator (default) or by the LLM provider the `llm` resource selects.",
    )
    def raw(
        context: dg.AssetExecutionContext,
        store: ArtifactStoreResource,
        clarioscope_data: ClarioscopeData,
        llm: LLMResource,
    ) -> dg.MaterializeResult:
        selection = llm.selection()
        if selection.provider == "local":
            records = datasets.raw_records(task, clarioscope_data.profile, clarioscope_data.seed)
            generation: dict[str, Any] = {
                "llm_provider": "local",
                "llm_provider_note": selection.reason or "local as requested",
            }
        else:
            records, generation = _remote_raw(context, task, clarioscope_data, llm, store)
        digest = _write(store, raw_path(task), task, records, split=False)
        per_generator = dict(sorted(Counter(r["generator"] for r in records).items()))
        return dg.MaterializeResult(
            data_version=dg.DataVersion(digest),
            metadata=provenance_metadata(
                source=selection.provider,
                content_hash=digest,
                upstream=upstream_versions(context, [clarioscope_label_schema.key]),
                profile=clarioscope_data.profile,
                seed=clarioscope_data.seed,
                records=len(records),
                records_per_generator=dg.MetadataValue.json(per_generator),
                spans=sum(len(r.get("spans") or []) for r in records),
                path=raw_path(task),
                **generation,
            ),
        )

    @dg.asset(
        name=f"{task}_cleaned",
        group_name=GROUP,
        code_version="1",
        automation_condition=STALE,
        kinds={"python", "parquet"},
        deps=[raw],
        description=f"{task} messages after cue-word cleaning of their spans (intent passes through).",
    )
    def cleaned(context: dg.AssetExecutionContext, store: ArtifactStoreResource) -> dg.MaterializeResult:
        records, report = datasets.clean_records(_read(store, raw_path(task)))
        digest = _write(store, cleaned_path(task), task, records, split=False)
        summary = report.as_dict()
        return dg.MaterializeResult(
            data_version=dg.DataVersion(digest),
            metadata=provenance_metadata(
                source=_sources(records),
                content_hash=digest,
                upstream=upstream_versions(context, [raw.key]),
                records=len(records),
                spans=summary["total"],
                spans_changed=summary["changed"],
                spans_dropped=summary["dropped"],
                spans_by_label=dg.MetadataValue.md(datasets.clean_report_markdown(report)),
                cleaning=dg.MetadataValue.json(summary),
                path=cleaned_path(task),
            ),
        )

    @dg.asset(
        name=f"{task}_dataset",
        group_name=GROUP,
        code_version="1",
        automation_condition=STALE,
        kinds={"python", "parquet"},
        deps=[cleaned],
        description=(
            f"The {task} dataset: one row per message with its split (train/val: generator A, test: B); "
            "cross-split duplicates removed."
        ),
    )
    def dataset(
        context: dg.AssetExecutionContext, store: ArtifactStoreResource, clarioscope_data: ClarioscopeData
    ) -> dg.MaterializeResult:
        records = datasets.assign_splits(_read(store, cleaned_path(task)), clarioscope_data.seed)
        records, dropped = datasets.drop_cross_split_duplicates(records)
        order = {s: i for i, s in enumerate(datasets.SPLITS)}
        records.sort(key=lambda r: (order.get(r["split"], 9), r["id"]))
        digest = _write(store, dataset_path(task), task, records, split=True)
        realism = datasets.dataset_realism(records)
        return dg.MaterializeResult(
            data_version=dg.DataVersion(digest),
            metadata=provenance_metadata(
                source=_sources(records),
                content_hash=digest,
                upstream=upstream_versions(context, [cleaned.key]),
                records=len(records),
                split_counts=dg.MetadataValue.json(datasets.split_counts(records)),
                label_counts=dg.MetadataValue.json(datasets.label_counts(task, records)),
                realism=dg.MetadataValue.json(realism),
                duplicates_dropped=len(dropped),
                duplicates_dropped_ids=dg.MetadataValue.json(dropped[:50]),
                path=dataset_path(task),
            ),
        )

    return [raw, cleaned, dataset]


@dg.asset(group_name=GROUP, code_version="1", kinds={"python", "json"})
def clarioscope_gold_set(
    clarioscope_data: ClarioscopeData, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    """The human gold set at ``CLARIOSCOPE_GOLD_PATH`` (project JSONL or a Label Studio export), validated
    all or nothing; the leaderboard scores every model on it as its own row. Empty when no path is set.
    Metadata holds counts only, never message text."""
    records = load_gold(clarioscope_data.gold_path) if clarioscope_data.gold_path else []
    payload = {"configured": bool(clarioscope_data.gold_path), "records": records}
    store.store().write_json(GOLD_SET_PATH, payload)
    digest = records_hash(records)
    summary = gold_summary(records)
    return dg.MaterializeResult(
        data_version=dg.DataVersion(digest),
        metadata=provenance_metadata(
            source="human" if records else "not configured (set CLARIOSCOPE_GOLD_PATH)",
            content_hash=digest,
            path=GOLD_SET_PATH,
            records=len(records),
            without_entities=summary["without_entities"],
            summary=dg.MetadataValue.json(summary),
        ),
    )


TASK_ASSETS: dict[str, list[dg.AssetsDefinition]] = {task: build_task_assets(task) for task in datasets.TASKS}
intent_raw, intent_cleaned, intent_dataset = TASK_ASSETS["intent"]
phi_raw, phi_cleaned, phi_dataset = TASK_ASSETS["phi"]
insurance_raw, insurance_cleaned, insurance_dataset = TASK_ASSETS["insurance"]
DATASET_ASSETS = {task: assets[-1] for task, assets in TASK_ASSETS.items()}
CLARIOSCOPE_ASSETS = [
    clarioscope_label_schema,
    *(a for assets in TASK_ASSETS.values() for a in assets),
    clarioscope_gold_set,
]
