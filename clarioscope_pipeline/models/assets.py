"""ClarioScope model assets: ``{task}_model`` per task (train, evaluate on the generator-B test split,
save a standard Hugging Face folder with a model card), ``clarioscope_frontier_baselines`` and
``clarioscope_leaderboard``."""

import os
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
from pydantic import Field

from clarioscope_pipeline.assets import DATASET_ASSETS, dataset_path
from clarioscope_pipeline.labels import INTENTS
from clarioscope_pipeline.models import baselines
from clarioscope_pipeline.models.hybrid import HybridExtractor, LLMFallback
from clarioscope_pipeline.models.training import (
    evaluate_spans,
    intent_report,
    labels_of,
    model_name,
    split,
    train_model,
)
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
    training_op_tags,
)
from slmkit import metrics
from slmkit.llm.baseline import run_baseline
from slmkit.modeling.card import write_model_card
from slmkit.modeling.predict import TextClassifier

GROUP = "clarioscope_models"
TASKS = ("intent", "phi", "insurance")
SCORE_COLUMNS = {
    "intent": ("n", "accuracy", "macro_f1", "weighted_f1", "needs_review_share"),
    "phi": ("n", "precision", "recall", "f1", "macro_f1"),
    "insurance": ("n", "precision", "recall", "f1", "macro_f1"),
}
USAGE = {
    "intent": "`transformers.pipeline('text-classification', model='<this folder>', truncation=True)` reads "
    "one window; `slmkit.modeling.predict.TextClassifier.load('<this folder>')` averages the windows of a "
    "long text; `clarioscope predict --models <models folder>` runs the three models with the recognizers.",
    **{
        task: "`transformers.pipeline('token-classification', model='<this folder>', aggregation_strategy="
        "'first', stride=<windows.stride in config.json>)` reads long texts in windows as training did; "
        "`slmkit.modeling.predict.TokenTagger.load('<this folder>')` gives character spans with scores; "
        "`clarioscope predict --models <models folder>` adds the validated recognizers."
        for task in ("phi", "insurance")
    },
}
LIMITATIONS = [
    "Trained on synthetic messages only (generator family A); the test split comes from a different "
    "generator (family B), not from real patients.",
    "The demo profile trains a few epochs on a few hundred messages on CPU: its scores show the pipeline "
    "works, not production quality. Use the full profile on a GPU.",
    "Texts longer than the window are read in overlapping windows; nothing is truncated.",
]


BASELINES_PATH = "reports/clarioscope/frontier_baselines.json"


def report_path(task: str) -> str:
    return f"reports/clarioscope/{task}.json"


class ModelRunConfig(dg.Config):
    llm_fallback: bool = Field(
        default=os.environ.get("CLARIOSCOPE_LLM_FALLBACK") == "1",
        description="Hybrid only: ask the LLM for ID cues nothing resolved (costs in the ledger).",
    )


def _evaluate(
    task: str, predictor: Any, records: Sequence[Mapping[str, Any]], fallback: LLMFallback | None
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, bytes]]:
    """Leaderboard rows (model, and hybrid for span tasks), the per-class table and plots."""
    texts = [str(r["text"]) for r in records]
    name = model_name(task)
    if isinstance(predictor, TextClassifier):
        predictions = predictor.predict(texts)
        report = intent_report(records, predictions)
        gold, predicted = [str(r["intent"]) for r in records], [label for label, _ in predictions]
        row = {"model": name, "task": task, **{k: report.get(k) for k in SCORE_COLUMNS[task]}}
        row |= latency_columns(predictor.predict, texts)
        png = metrics.confusion_matrix_png(gold, predicted, INTENTS, title=f"{name} (test)")
        return [row], report["per_class"], {"confusion": png}
    gold_spans = [list(r["spans"]) for r in records]
    hybrid = HybridExtractor(predictor, task, fallback)
    rows: list[dict[str, Any]] = []
    per_entity: dict[str, Any] = {}
    for label, predict in ((name, predictor.predict), (f"{name} + recognizers", hybrid.extract)):
        report = evaluate_spans(texts, gold_spans, predict(texts))
        row = {"model": label, "task": task, **{k: report.get(k) for k in SCORE_COLUMNS[task]}}
        row |= latency_columns(predict, texts)
        rows.append(row)
        per_entity[label] = report["per_entity"]
    values = {str(row["model"]): float(row["f1"]) for row in rows}
    return rows, per_entity, {"f1": metrics.bar_chart_png(values, f"{task}: entity F1 (test)", "F1")}


def build_model_asset(task: str) -> dg.AssetsDefinition:
    dataset = DATASET_ASSETS[task]

    @dg.asset(
        name=f"{task}_model",
        group_name=GROUP,
        code_version="1",
        automation_condition=STALE,
        kinds={"pytorch", "huggingface"},
        deps=[dataset],
        pool="training",
        op_tags=training_op_tags(),
        description=f"The {task} model: fine-tuned on the {task} dataset's train split, best epoch on val, "
        "scored on the test split; a transformers.pipeline-ready folder with a model card.",
    )
    def model_asset(
        context: dg.AssetExecutionContext,
        config: ModelRunConfig,
        store: ArtifactStoreResource,
        training: TrainingConfig,
        llm: LLMResource,
    ) -> dg.MaterializeResult:
        artifacts = store.store()
        records = artifacts.read_parquet(dataset_path(task)).to_pylist()
        predictor, result = train_model(
            task,
            records,
            base_model=training.base(),
            settings=training.settings(task),
            windows=training.windows(),
            log=context.log.info,
        )
        session = llm.session(artifacts) if config.llm_fallback and task != "intent" else None
        fallback = LLMFallback(session.client, session.model, task) if session else None
        name = model_name(task)
        with artifacts.staged_folder(model_path(name)) as staged:
            predictor.model.save_pretrained(staged)
            predictor.tokenizer.save_pretrained(staged)
            rows, per_class, plots = _evaluate(task, predictor, split(records, "test"), fallback)
            upstream = upstream_versions(context, [dataset.key])
            provenance = {
                "dataset": dataset_path(task),
                "dataset_version": upstream[dataset.key.to_user_string()],
                "base_model": training.base_label(),
                "profile": training.profile,
                "train": dict(vars(training.settings(task))),
                "windows": dict(vars(training.windows())),
                "best_epoch": result.best_epoch,
                "validation_score": result.best_score,
                "device": result.device,
                "train_seconds": result.seconds,
            }
            table = metrics.markdown_table(rows, ["model", *SCORE_COLUMNS[task], *LATENCY_COLUMNS])
            labels = {"intents": INTENTS} if task == "intent" else {"tags": labels_of(task)}
            write_model_card(
                staged,
                title=name,
                task=f"ClarioScope {task}: "
                + ("sequence classification" if task == "intent" else "token classification (IOB2)"),
                labels=labels,
                provenance=provenance,
                metrics_markdown=table,
                limitations=LIMITATIONS,
                usage=USAGE[task],
            )
            identity = model_identity(staged)
        data = {"task": task, "rows": rows, "per_class": per_class, "provenance": provenance}
        artifacts.write_json(report_path(task), data)
        extra = (
            session.metadata() | {"llm_fallback_failures": fallback.failures} if session and fallback else {}
        )
        return dg.MaterializeResult(
            data_version=dg.DataVersion(identity[0]),
            metadata=model_metadata(
                artifacts,
                name,
                dataset=dataset.key,
                identity=identity,
                upstream=upstream,
                training=training,
                result=result,
                validation_score=round(result.best_score, 4),
                test_scores=dg.MetadataValue.md(table),
                plot=dg.MetadataValue.md("\n\n".join(png_markdown(p, k) for k, p in plots.items())),
                **extra,
            ),
        )

    return model_asset


MODEL_ASSETS = {task: build_model_asset(task) for task in TASKS}


class BaselineConfig(dg.Config):
    max_examples: int = Field(default=100, ge=1, description="Test messages per task sent to each provider.")


@dg.asset(
    group_name=GROUP,
    code_version="1",
    kinds={"openai", "anthropic"},
    deps=list(DATASET_ASSETS.values()),
    pool="llm_api",
    description="The three tasks through OpenAI and Anthropic (one shared prompt per task, cached, costs in "
    "the ledger); rows say 'skipped: no API key' where a key is not set.",
)
def clarioscope_frontier_baselines(
    context: dg.AssetExecutionContext, config: BaselineConfig, store: ArtifactStoreResource, llm: LLMResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    rows: list[dict[str, Any]] = []
    ledgers: dict[str, Any] = {}
    for provider, session, note in frontier_sessions(llm, artifacts):
        for task in TASKS:
            test = split(artifacts.read_parquet(dataset_path(task)).to_pylist(), "test")[
                : config.max_examples
            ]
            row: dict[str, Any] = {"model": provider, "task": task, "status": note}
            if session is None:
                rows.append(row)
                continue
            texts = [str(r["text"]) for r in test]
            run = run_baseline(session.client, baselines.baseline_requests(task, texts, session.model))
            row["model"] = f"{provider}/{session.model}"
            if task == "intent":
                report = metrics.classification_report(
                    [str(r["intent"]) for r in test], baselines.intent_predictions(run.outputs), INTENTS
                )
            else:
                predicted = baselines.span_predictions(task, texts, run.outputs)
                report = evaluate_spans(texts, [list(r["spans"]) for r in test], predicted)
            row |= {k: report.get(k) for k in SCORE_COLUMNS[task]}
            row |= frontier_columns(run.latencies_s, run.costs_usd, run.budget_stop)
            row["dropped"] = run.dropped
            rows.append(row)
            context.log.info(f"{provider} {task}: {len(texts)} messages, {run.dropped} dropped")
        if session is not None:
            ledgers[provider] = session.ledger.summary()
    columns = ["model", "task", "status", "n", "f1", "macro_f1", "cost_per_1000_usd"]
    return baselines_result(artifacts, BASELINES_PATH, rows, ledgers, columns)


@dg.asset(
    group_name=GROUP,
    code_version="1",
    automation_condition=STALE,
    kinds={"markdown"},
    deps=[*MODEL_ASSETS.values(), clarioscope_frontier_baselines],
    description="Leaderboard per task: small model, hybrid and frontier LLMs side by side (scores, latency, "
    "cost), written to artifacts/reports/clarioscope_leaderboard.md.",
)
def clarioscope_leaderboard(
    context: dg.AssetExecutionContext, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    frontier = artifacts.read_json(BASELINES_PATH)["rows"]
    sections = ["# ClarioScope leaderboard (test split, generator family B)", ""]
    values: dict[str, float] = {}
    board: dict[str, list[dict[str, Any]]] = {}
    for task in TASKS:
        local = artifacts.read_json(report_path(task))["rows"]
        for row in local:
            row.setdefault("cost_per_1000_usd", 0.0)
            row.setdefault("status", "ok")
        rows = board[task] = local + [r for r in frontier if r["task"] == task]
        columns = ["model", "status", *SCORE_COLUMNS[task], *LATENCY_COLUMNS, "cost_per_1000_usd"]
        sections += [f"## {task}", "", metrics.markdown_table(rows, columns), ""]
        main = "macro_f1" if task == "intent" else "f1"
        values |= {f"{task}: {r['model']}": r[main] for r in rows if r.get(main) is not None}
    upstream = [*(a.key for a in MODEL_ASSETS.values()), clarioscope_frontier_baselines.key]
    return leaderboard_result(
        context, artifacts, "clarioscope_leaderboard", "\n".join(sections), values, board, upstream
    )


CLARIOSCOPE_MODEL_ASSETS = [*MODEL_ASSETS.values(), clarioscope_frontier_baselines, clarioscope_leaderboard]
