"""ClarioScope model assets: ``{task}_model`` per task (train, evaluate on the generator-B test split,
save a standard Hugging Face folder with a model card), ``clarioscope_frontier_baselines`` and
``clarioscope_leaderboard``."""

import os
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
from pydantic import Field

from clarioscope_pipeline.assets import DATASET_ASSETS, GOLD_SET_PATH, clarioscope_gold_set, dataset_path
from clarioscope_pipeline.labels import INTENTS
from clarioscope_pipeline.models import baselines
from clarioscope_pipeline.models.evaluation import (
    evaluate_intent,
    evaluate_spans_detailed,
    per_channel_rows,
    per_entity_rows,
)
from clarioscope_pipeline.models.hybrid import HybridExtractor, LLMFallback
from clarioscope_pipeline.models.training import (
    evaluate_spans,
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
    progress_log,
    training_op_tags,
)
from slmkit import metrics
from slmkit.llm.baseline import run_baseline
from slmkit.modeling.card import write_model_card
from slmkit.modeling.predict import TextClassifier, TokenTagger
from slmkit.storage import ArtifactStore

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
    "The demo profile trains one or two epochs over 2,000 messages on CPU. Judge the model on your own "
    "hand-labelled messages (CLARIOSCOPE_GOLD_PATH, docs/labelling.md): the leaderboard's human-gold rows, "
    "not the family-B test, say how it does on text people write.",
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


def evaluate_model(
    task: str,
    predictor: Any,
    records: Sequence[Mapping[str, Any]],
    fallback: LLMFallback | None = None,
    *,
    title: str = "test",
    latency: bool = True,
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, bytes]]:
    """Leaderboard rows (the model, and for span tasks the hybrid with recognizers) on ``records``, each
    row's detailed report (per class or entity type, per channel, false positives and their strings) and
    plots (confusion matrix or F1 bars). ``latency``: also time each predictor (the test split does; the
    same models need no second timing on the gold set)."""
    texts = [str(r["text"]) for r in records]
    name = model_name(task)
    if isinstance(predictor, TextClassifier):
        predictions = predictor.predict(texts)
        report = evaluate_intent(records, predictions)
        row = {"model": name, "task": task, **{k: report.get(k) for k in SCORE_COLUMNS[task]}}
        gold, predicted = [str(r["intent"]) for r in records], [label for label, _ in predictions]
        png = metrics.confusion_matrix_png(gold, predicted, INTENTS, title=f"{name} ({title})")
        row |= latency_columns(predictor.predict, texts) if latency else {}
        return [row], {name: report}, {"confusion": png}
    gold_spans = [list(r["spans"]) for r in records]
    hybrid = HybridExtractor(predictor, task, fallback)
    rows: list[dict[str, Any]] = []
    reports: dict[str, Any] = {}
    for label, predict in ((name, predictor.predict), (f"{name} + recognizers", hybrid.extract)):
        report = reports[label] = evaluate_spans_detailed(records, gold_spans, predict(texts))
        row = {"model": label, "task": task, **{k: report.get(k) for k in SCORE_COLUMNS[task]}}
        rows.append(row | (latency_columns(predict, texts) if latency else {}))
    values = {str(row["model"]): float(row["f1"]) for row in rows}
    return rows, reports, {"f1": metrics.bar_chart_png(values, f"{task}: entity F1 ({title})", "F1")}


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
            log=progress_log(context),
        )
        session = llm.session(artifacts) if config.llm_fallback and task != "intent" else None
        fallback = LLMFallback(session.client, session.model, task) if session else None
        name = model_name(task)
        with artifacts.staged_folder(model_path(name)) as staged:
            predictor.model.save_pretrained(staged)
            predictor.tokenizer.save_pretrained(staged)
            rows, reports, plots = evaluate_model(task, predictor, split(records, "test"), fallback)
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
        data = {"task": task, "rows": rows, "reports": reports, "provenance": provenance}
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


GOLD_REPORT_PATH = "reports/clarioscope/gold.json"
TEST_SET, GOLD_SET = "test (family B)", "human gold"


def gold_records(task: str, gold: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A gold set's records in the shape of the task's dataset (``spans`` = the task's layer)."""
    return [dict(r, spans=r[task]) if task != "intent" else dict(r) for r in gold]


def score_gold(
    store: ArtifactStore, gold: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every current model (and hybrid) on the human gold set: leaderboard rows and detailed reports."""
    rows: list[dict[str, Any]] = []
    reports: dict[str, Any] = {}
    for task in TASKS:
        folder = store.local_folder(model_path(model_name(task)))
        predictor = TextClassifier.load(folder) if task == "intent" else TokenTagger.load(folder)
        task_rows, task_reports, _ = evaluate_model(
            task, predictor, gold_records(task, gold), title=GOLD_SET, latency=False
        )
        rows += task_rows
        reports[task] = task_reports
    return rows, reports


def _detail_tables(task: str, set_name: str, reports: Mapping[str, Any]) -> list[str]:
    """Per entity type (or per class) and per channel, for each model of one task on one set."""
    out: list[str] = []
    if task == "intent":
        for model, report in reports.items():
            per_class = [{"model": model, "class": c, **v} for c, v in report["per_class"].items()]
            out += [f"### {task} per class ({set_name})", "", metrics.markdown_table(per_class), ""]
            confusions = report["confusions"][:10]
            if confusions:
                out += [
                    f"### {task} most frequent confusions ({set_name})",
                    "",
                    metrics.markdown_table(confusions),
                    "",
                ]
    else:
        rows = [row for model, report in reports.items() for row in per_entity_rows(report, model)]
        out += [f"### {task} per entity type ({set_name})", "", metrics.markdown_table(rows), ""]
    channel_rows = [row for model, report in reports.items() for row in per_channel_rows(report, model)]
    out += [f"### {task} per channel ({set_name})", "", metrics.markdown_table(channel_rows), ""]
    return out


@dg.asset(
    group_name=GROUP,
    code_version="2",
    automation_condition=STALE,
    kinds={"markdown"},
    deps=[*MODEL_ASSETS.values(), clarioscope_frontier_baselines, clarioscope_gold_set],
    description="Leaderboard per task: small model, hybrid and frontier LLMs side by side (scores, latency, "
    "cost) on the family-B test split and, as its own rows, on the human gold set; per entity type and per "
    "channel; written to artifacts/reports/clarioscope_leaderboard.md.",
)
def clarioscope_leaderboard(
    context: dg.AssetExecutionContext, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    frontier = artifacts.read_json(BASELINES_PATH)["rows"]
    gold = artifacts.read_json(GOLD_SET_PATH)["records"]
    gold_rows, gold_reports = score_gold(artifacts, gold) if gold else ([], {})
    if gold:  # the report file holds false-positive strings (message text): it stays in the store
        artifacts.write_json(GOLD_REPORT_PATH, {"rows": gold_rows, "reports": gold_reports})
    sections = ["# ClarioScope leaderboard", ""]
    if not gold:
        sections += [
            "No human gold set: set `CLARIOSCOPE_GOLD_PATH` and materialise `clarioscope_gold_set`.",
            "",
        ]
    values: dict[str, float] = {}
    board: dict[str, list[dict[str, Any]]] = {}
    details: list[str] = []
    for task in TASKS:
        report = artifacts.read_json(report_path(task))
        local = [dict(row, set=TEST_SET) for row in report["rows"]]
        local += [dict(row, set=GOLD_SET) for row in gold_rows if row["task"] == task]
        for row in local:
            row.setdefault("cost_per_1000_usd", 0.0)
            row.setdefault("status", "ok")
        frontier_rows = [dict(r, set=TEST_SET) for r in frontier if r["task"] == task]
        rows = board[task] = local + frontier_rows
        columns = ["model", "set", "status", *SCORE_COLUMNS[task], *LATENCY_COLUMNS, "cost_per_1000_usd"]
        sections += [f"## {task}", "", metrics.markdown_table(rows, columns), ""]
        main = "macro_f1" if task == "intent" else "f1"
        values |= {f"{task}: {r['model']} [{r['set']}]": r[main] for r in rows if r.get(main) is not None}
        details += _detail_tables(task, TEST_SET, report["reports"])
        if task in gold_reports:
            details += _detail_tables(task, GOLD_SET, gold_reports[task])
    sections += ["## Details", "", *details]
    upstream = [
        *(a.key for a in MODEL_ASSETS.values()),
        clarioscope_frontier_baselines.key,
        clarioscope_gold_set.key,
    ]
    return leaderboard_result(
        context, artifacts, "clarioscope_leaderboard", "\n".join(sections), values, board, upstream
    )


CLARIOSCOPE_MODEL_ASSETS = [*MODEL_ASSETS.values(), clarioscope_frontier_baselines, clarioscope_leaderboard]
