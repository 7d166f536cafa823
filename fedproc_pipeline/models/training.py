"""Train and evaluate the FedProc multi-task model. Dagster-free; the assets call these.

Heads, in ``TASKS`` order: ``notice_type`` (softmax, 8), ``naics_sector`` (softmax, 20), ``set_asides``
(sigmoid, 7, per-label thresholds tuned on validation) and ``clause_spans`` (IOB2 tokens). Every window of
a record carries the record's labels and ``task_mask``; the loss of a head counts only where its task is on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from fedproc_pipeline.dataset.clauses import CLAUSE_LABEL
from fedproc_pipeline.dataset.labels import NAICS_SECTORS, NOTICE_TYPES, SET_ASIDES
from fedproc_pipeline.dataset.records import TASKS
from fedproc_pipeline.models.extraction import reported, validate_clauses
from slmkit import metrics
from slmkit.modeling import multitask
from slmkit.modeling.device import set_seed
from slmkit.modeling.encoding import WindowSettings, encode, token_labels, word_tags
from slmkit.modeling.predict import MultiTaskPredictor, save_window_settings
from slmkit.modeling.train import TrainResult, TrainSettings, pad_collate, train

MODEL_NAME = "fedproc"
CLAUSE_TAGS = ["O", f"B-{CLAUSE_LABEL}", f"I-{CLAUSE_LABEL}"]
THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)


def heads() -> list[multitask.Head]:
    return [
        multitask.Head("notice_type", "softmax", list(NOTICE_TYPES)),
        multitask.Head("naics_sector", "softmax", list(NAICS_SECTORS)),
        multitask.Head("set_asides", "sigmoid", list(SET_ASIDES), {label: 0.5 for label in SET_ASIDES}),
        multitask.Head("clause_spans", "tokens", CLAUSE_TAGS),
    ]


def features(
    tokenizer: Any, records: Sequence[Mapping[str, Any]], windows: WindowSettings
) -> list[dict[str, Any]]:
    """One training example per window; masked-off labels are filled with a placeholder the loss skips."""
    texts = [str(r["text"]) for r in records]
    encoded = encode(tokenizer, texts, windows)
    tags = word_tags(encoded, texts, [list(r["clause_spans"] or []) for r in records])
    clause_labels = token_labels(encoded, tags, {tag: i for i, tag in enumerate(CLAUSE_TAGS)})
    out = []
    for window, sample, clause in zip(encoded.windows, encoded.sample_of_window, clause_labels, strict=True):
        record = records[sample]
        mask = [bool(m) for m in record["task_mask"]]
        out.append(
            dict(
                window,
                notice_type=NOTICE_TYPES.index(record["notice_type"]) if mask[0] else 0,
                naics_sector=NAICS_SECTORS.index(record["naics_sector"]) if mask[1] else 0,
                set_asides=[float(label in (record["set_asides"] or [])) for label in SET_ASIDES],
                clause_spans=clause,
                task_mask=mask,
            )
        )
    return out


def _loss(model: Any, batch: dict[str, Any]) -> Any:
    inputs = {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids") if k in batch}
    return model.loss(model(**inputs), {name: batch[name] for name in TASKS}, batch["task_mask"])


def tune_thresholds(predictor: MultiTaskPredictor, records: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Per set-aside, the threshold on the grid with the best F1 on ``records``, nearest 0.5 among ties
    (0.5 where no record has the label: there is nothing to tune on)."""
    labelled = [r for r in records if r["task_mask"][2]]
    results = predictor.predict([str(r["text"]) for r in labelled])
    thresholds = {}
    for label in SET_ASIDES:
        gold = np.array([label in (r["set_asides"] or []) for r in labelled])
        scores = np.array([res["set_asides"]["scores"][label] for res in results])
        if not gold.any():
            thresholds[label] = 0.5
            continue
        f1 = np.array([f1_score(gold, scores >= t, zero_division=0) for t in THRESHOLD_GRID])
        # With a handful of positives many thresholds tie; the one nearest 0.5 is the least extreme.
        best = THRESHOLD_GRID[f1 == f1.max()]
        thresholds[label] = float(best[np.argmin(np.abs(best - 0.5))])
    return thresholds


def evaluate(
    records: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]], registry: Collection[str]
) -> dict[str, Any]:
    """:func:`scores` of ``results`` (``MultiTaskPredictor.predict`` output, one per record) overall and,
    under ``per_source``, per ``source``."""
    report = scores(records, results, registry)
    report["per_source"] = {}
    for source in sorted({str(r["source"]) for r in records}):
        idx = [i for i, r in enumerate(records) if r["source"] == source]
        report["per_source"][source] = scores([records[i] for i in idx], [results[i] for i in idx], registry)
    return report


def scores(
    records: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]], registry: Collection[str]
) -> dict[str, Any]:
    """Per task (records whose task is on): classification / multi-label / entity reports; the clause F1
    of the raw spans and of the shipped extractor (valid numbers only), both hallucination rates, and the
    aggregate: mean of the three macro-F1s and the shipped clause entity F1."""

    def on(task: int) -> list[int]:
        return [i for i, r in enumerate(records) if r["task_mask"][task]]

    out: dict[str, Any] = {"n": len(records)}
    for task, head, labels in ((0, "notice_type", NOTICE_TYPES), (1, "naics_sector", NAICS_SECTORS)):
        idx = on(task)
        out[head] = (
            metrics.classification_report(
                [str(records[i][head]) for i in idx], [results[i][head]["label"] for i in idx], labels
            )
            if idx
            else None
        )
    idx = on(2)
    out["set_asides"] = (
        metrics.multilabel_report(
            [list(records[i]["set_asides"] or []) for i in idx],
            [results[i]["set_asides"]["labels"] for i in idx],
            SET_ASIDES,
        )
        if idx
        else None
    )
    idx = on(3)
    if idx:
        texts = [str(records[i]["text"]) for i in idx]
        gold = [list(records[i]["clause_spans"] or []) for i in idx]
        raw = [results[i]["clause_spans"] for i in idx]
        validated = [validate_clauses(t, spans, registry) for t, spans in zip(texts, raw, strict=True)]
        shipped = [[dict(c, label=CLAUSE_LABEL) for c in reported(v)] for v in validated]
        out["clause_spans"] = metrics.entity_report_from_spans(texts, gold, raw)
        out["clause_spans_shipped"] = metrics.entity_report_from_spans(texts, gold, shipped)
        # A frontier LLM's answers carry every number it returned, found in the text or not.
        numbers = [n for i in idx for n in results[i].get("clause_numbers", [])] or [
            c["number"] for v in validated for c in v
        ]
        out["hallucination_raw"] = metrics.hallucination_rate(numbers, registry)
        out["hallucination_shipped"] = metrics.hallucination_rate(
            [c["number"] for s in shipped for c in s], registry
        )
    else:
        out["clause_spans"] = out["clause_spans_shipped"] = None
    out["aggregate"] = aggregate(task_scores(out))
    return out


def task_scores(report: Mapping[str, Any], shipped: bool = True) -> dict[str, float | None]:
    """The four per-task scores of a :func:`scores` report: three macro-F1s and the clause entity F1 of
    the shipped extractor (or of the raw spans); None where the task had no records."""

    def pick(task: str, key: str) -> float | None:
        return report[task][key] if report.get(task) else None

    return {
        "notice_type_macro_f1": pick("notice_type", "macro_f1"),
        "naics_sector_macro_f1": pick("naics_sector", "macro_f1"),
        "set_asides_macro_f1": pick("set_asides", "macro_f1"),
        "clause_f1": pick("clause_spans_shipped" if shipped else "clause_spans", "f1"),
    }


def aggregate(parts: Mapping[str, float | None]) -> float | None:
    """The FedProc aggregate: the mean of the task scores present."""
    present = [value for value in parts.values() if value is not None]
    return float(np.mean(present)) if present else None


def train_model(
    records: Sequence[Mapping[str, Any]],
    registry: Collection[str],
    *,
    base_model: str,
    settings: TrainSettings,
    windows: WindowSettings,
    log: Callable[[str], Any] = print,
) -> tuple[MultiTaskPredictor, TrainResult]:
    """Fine-tune on the train split, keep the epoch with the best validation aggregate, then tune the
    set-aside thresholds on validation."""
    set_seed(settings.seed)  # before the new heads are initialised
    model, tokenizer = multitask.new_model(base_model, heads())
    save_window_settings(model.config, windows, tokenizer)
    predictor = MultiTaskPredictor(model, tokenizer, windows)
    train_records = [r for r in records if r["split"] == "train"]
    val_records = [r for r in records if r["split"] == "val"]
    val_texts = [str(r["text"]) for r in val_records]
    result = train(
        model,
        features(tokenizer, train_records, windows),
        collate=pad_collate(tokenizer.pad_token_id, token_keys=("clause_spans",)),
        compute_loss=_loss,
        evaluate=lambda _: scores(val_records, predictor.predict(val_texts), registry)["aggregate"] or 0.0,
        settings=settings,
        log=log,
    )
    model.heads[2].thresholds = tune_thresholds(predictor, val_records)
    return predictor, result
