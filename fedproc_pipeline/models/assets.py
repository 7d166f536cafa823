"""FedProc model assets: ``fedproc_model`` (train the multi-task model, evaluate it per task and per
source on the test split, save it with a model card), ``fedproc_frontier_baselines`` and
``fedproc_leaderboard``."""

import json
from typing import Any

import dagster as dg
from pydantic import Field

from fedproc_pipeline.dataset.assets import DATASET_PATH, fedproc_dataset
from fedproc_pipeline.dataset.clauses import registry_number_set
from fedproc_pipeline.dataset.labels import NAICS_SECTORS, NOTICE_TYPES, SET_ASIDES
from fedproc_pipeline.dataset.records import TASKS
from fedproc_pipeline.models import baselines
from fedproc_pipeline.models.training import (
    CLAUSE_TAGS,
    MODEL_NAME,
    aggregate,
    evaluate,
    scores,
    task_scores,
    train_model,
)
from fedproc_pipeline.regulations.assets import REGISTRY_PATH, far_clause_registry
from pipeline_runtime.automation import STALE
from pipeline_runtime.llm import LLMResource
from pipeline_runtime.provenance import upstream_versions
from pipeline_runtime.reports import (
    LATENCY_COLUMNS,
    baselines_result,
    frontier_columns,
    frontier_sessions,
    latency_columns,
    leaderboard_result,
    png_markdown,
)
from pipeline_runtime.resources import ArtifactStoreResource
from pipeline_runtime.training import (
    TrainingConfig,
    model_identity,
    model_metadata,
    model_path,
    progress_log,
    training_op_tags,
)
from slmkit import metrics
from slmkit.llm.baseline import run_baseline
from slmkit.modeling.card import write_model_card
from slmkit.storage import ArtifactStore

GROUP = "fedproc_models"
REPORT_PATH = "reports/fedproc/fedproc_model.json"
BASELINES_PATH = "reports/fedproc/frontier_baselines.json"
SCORE_COLUMNS = (
    "n",
    "aggregate",
    "notice_type_macro_f1",
    "naics_sector_macro_f1",
    "set_asides_macro_f1",
    "clause_f1",
    "hallucination_rate",
)
LIMITATIONS = [
    "SAM.gov notices in the demo come from the packaged offline sample (363 notices over 12 days); a live "
    "key widens them. Rare set-asides are topped up with synthetic excerpts.",
    "Task 4 labels come from a pattern over the text; the reported clauses are the model's spans whose "
    "number exists in the registry (the rest are flagged invalid).",
    "The demo profile trains a few epochs on CPU: its scores prove the pipeline, not production quality.",
]


def registry_numbers(store: ArtifactStore) -> set[str]:
    return registry_number_set(store.read_parquet(REGISTRY_PATH).to_pylist())


def score_row(model: str, report: dict[str, Any], shipped: bool = True) -> dict[str, Any]:
    """One leaderboard row from a :func:`scores` report: the shipped extractor's clause F1 and
    hallucination rate, or the raw spans' with ``shipped=False``; the aggregate of the row's own scores."""
    parts = task_scores(report, shipped)
    hallucination = report.get("hallucination_shipped" if shipped else "hallucination_raw")
    return {
        "model": model,
        "n": report.get("n"),
        "aggregate": aggregate(parts),
        **parts,
        "hallucination_rate": hallucination["rate"] if hallucination else None,
    }


@dg.asset(
    group_name=GROUP,
    code_version="1",
    automation_condition=STALE,
    kinds={"pytorch", "safetensors"},
    deps=[fedproc_dataset, far_clause_registry],
    pool="training",
    op_tags=training_op_tags(),
    description="One shared encoder, four heads (notice type, NAICS sector, set-asides with tuned "
    "thresholds, clause BIO), loss masked per record; scored per task and per source on the test split.",
)
def fedproc_model(
    context: dg.AssetExecutionContext, store: ArtifactStoreResource, training: TrainingConfig
) -> dg.MaterializeResult:
    artifacts = store.store()
    records = artifacts.read_parquet(DATASET_PATH).to_pylist()
    registry = registry_numbers(artifacts)
    predictor, result = train_model(
        records,
        registry,
        base_model=training.base(),
        settings=training.settings("fedproc"),
        windows=training.windows(),
        log=progress_log(context),
    )
    test = [r for r in records if r["split"] == "test"]
    with artifacts.staged_folder(model_path(MODEL_NAME)) as staged:
        predictor.model.save(staged, predictor.tokenizer)
        results = predictor.predict([str(r["text"]) for r in test])
        report = evaluate(test, results, registry)
        rows = [
            score_row(MODEL_NAME, report),
            score_row(f"{MODEL_NAME} (raw clause spans)", report, shipped=False),
        ]
        rows[0] |= latency_columns(predictor.predict, [str(r["text"]) for r in test])
        per_source = [score_row(source, part) for source, part in report["per_source"].items()]
        upstream = upstream_versions(context, [fedproc_dataset.key, far_clause_registry.key])
        provenance = {
            "dataset": DATASET_PATH,
            "upstream_versions": upstream,
            "base_model": training.base_label(),
            "profile": training.profile,
            "train": dict(vars(training.settings("fedproc"))),
            "windows": dict(vars(training.windows())),
            "best_epoch": result.best_epoch,
            "validation_aggregate": result.best_score,
            "set_aside_thresholds": predictor.model.heads[2].thresholds,
            "device": result.device,
            "train_seconds": result.seconds,
        }
        table = metrics.markdown_table(rows, ["model", *SCORE_COLUMNS, *LATENCY_COLUMNS])
        source_table = metrics.markdown_table(per_source, ["model", *SCORE_COLUMNS])
        write_model_card(
            staged,
            title=MODEL_NAME,
            task="FedProc multi-task encoder: notice type, NAICS sector, set-asides (multi-label) and "
            "FAR/DFARS clause-number spans, one shared encoder with four heads.",
            labels={
                "notice_type": NOTICE_TYPES,
                "naics_sector": NAICS_SECTORS,
                "set_asides": SET_ASIDES,
                "clause_spans": CLAUSE_TAGS,
            },
            provenance=provenance,
            metrics_markdown=f"{table}\n\nPer source (`model` column = source):\n\n{source_table}",
            limitations=LIMITATIONS,
            usage="`fedproc predict --input in.jsonl --output out.jsonl --models <models folder>`; in Python "
            "`slmkit.modeling.predict.MultiTaskPredictor.load('<this folder>')`.",
        )
        identity = model_identity(staged)
    data = {"rows": rows, "per_source": per_source, "report": report, "provenance": provenance}
    artifacts.write_json(REPORT_PATH, json.loads(json.dumps(data, default=str)))
    on = [i for i, r in enumerate(test) if r["task_mask"][0]]
    plot = metrics.confusion_matrix_png(
        [str(test[i]["notice_type"]) for i in on],
        [results[i]["notice_type"]["label"] for i in on],
        NOTICE_TYPES,
        title="fedproc notice type (test)",
    )
    return dg.MaterializeResult(
        data_version=dg.DataVersion(identity[0]),
        metadata=model_metadata(
            artifacts,
            MODEL_NAME,
            dataset=fedproc_dataset.key,
            identity=identity,
            upstream=upstream,
            training=training,
            result=result,
            validation_aggregate=round(result.best_score, 4),
            test_scores=dg.MetadataValue.md(table),
            test_scores_per_source=dg.MetadataValue.md(source_table),
            set_aside_thresholds=dg.MetadataValue.json(predictor.model.heads[2].thresholds),
            plot=dg.MetadataValue.md(png_markdown(plot, "notice type confusion")),
        ),
    )


class BaselineConfig(dg.Config):
    max_examples: int = Field(default=100, ge=1, description="Test records per task sent to each provider.")


@dg.asset(
    group_name=GROUP,
    code_version="1",
    kinds={"openai", "anthropic"},
    deps=[fedproc_dataset, far_clause_registry],
    pool="llm_api",
    description="The four tasks through OpenAI and Anthropic (one shared prompt per task, cached, costs in "
    "the ledger), scored like the small model; rows say 'skipped: no API key' where a key is not set.",
)
def fedproc_frontier_baselines(
    context: dg.AssetExecutionContext, config: BaselineConfig, store: ArtifactStoreResource, llm: LLMResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    registry = registry_numbers(artifacts)
    test = [r for r in artifacts.read_parquet(DATASET_PATH).to_pylist() if r["split"] == "test"]
    rows: list[dict[str, Any]] = []
    ledgers: dict[str, Any] = {}
    for provider, session, note in frontier_sessions(llm, artifacts):
        if session is None:
            rows.append({"model": provider, "status": note})
            continue
        merged: list[dict[str, Any]] = [{} for _ in test]
        chosen: set[int] = set()
        latencies: list[float] = []
        costs: list[float] = []
        stops = []
        for position, task in enumerate(TASKS):
            idx = [i for i, r in enumerate(test) if r["task_mask"][position]][: config.max_examples]
            texts = [str(test[i]["text"]) for i in idx]
            run = run_baseline(session.client, baselines.baseline_requests(task, texts, session.model))
            for i, answer in zip(idx, baselines.as_results(task, texts, run.outputs), strict=True):
                merged[i] |= answer
            chosen.update(idx)
            latencies += run.latencies_s
            costs += run.costs_usd
            stops += [run.budget_stop] if run.budget_stop else []
            context.log.info(f"{provider} {task}: {len(texts)} records, {run.dropped} dropped")
        # Score each record on the tasks asked about it (a task beyond max_examples stays masked off).
        asked = sorted(chosen)
        records = [
            dict(
                test[i],
                task_mask=[
                    m and task in merged[i] for m, task in zip(test[i]["task_mask"], TASKS, strict=True)
                ],
            )
            for i in asked
        ]
        row = score_row(
            f"{provider}/{session.model}",
            scores(records, [merged[i] for i in asked], registry),
            shipped=False,
        )
        row |= frontier_columns(latencies, costs, stops[0] if stops else None)
        rows.append(row)
        ledgers[provider] = session.ledger.summary()
    return baselines_result(
        artifacts, BASELINES_PATH, rows, ledgers, ["model", "status", *SCORE_COLUMNS, "cost_per_1000_usd"]
    )


@dg.asset(
    group_name=GROUP,
    code_version="1",
    automation_condition=STALE,
    kinds={"markdown"},
    deps=[fedproc_model, fedproc_frontier_baselines],
    description="Leaderboard: the small model (shipped and raw clause spans), per source, and frontier LLMs "
    "(scores, hallucination rate, latency, cost), written to artifacts/reports/fedproc_leaderboard.md.",
)
def fedproc_leaderboard(
    context: dg.AssetExecutionContext, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    model = artifacts.read_json(REPORT_PATH)
    frontier = artifacts.read_json(BASELINES_PATH)["rows"]
    rows = [dict(row, status="ok", cost_per_1000_usd=0.0) for row in model["rows"]] + frontier
    columns = ["model", "status", *SCORE_COLUMNS, *LATENCY_COLUMNS, "cost_per_1000_usd"]
    markdown = "\n".join(
        [
            "# FedProc leaderboard (test split)",
            "",
            metrics.markdown_table(rows, columns),
            "",
            "## Small model per source",
            "",
            metrics.markdown_table(model["per_source"], ["model", *SCORE_COLUMNS]),
            "",
            "aggregate = mean of notice-type, NAICS-sector and set-aside macro-F1 and clause entity F1 "
            "(seqeval strict IOB2); hallucination rate = predicted clause numbers not in the registry ÷ "
            "predicted.",
        ]
    )
    scores_by_model = {r["model"]: r["aggregate"] for r in rows if r.get("aggregate") is not None}
    upstream = [fedproc_model.key, fedproc_frontier_baselines.key]
    return leaderboard_result(
        context, artifacts, "fedproc_leaderboard", markdown, scores_by_model, {"rows": rows}, upstream
    )


FEDPROC_MODEL_ASSETS = [fedproc_model, fedproc_frontier_baselines, fedproc_leaderboard]
