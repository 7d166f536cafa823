"""How a ClarioScope model is judged on a labelled set (the family-B test split or a human gold set):
scores, per entity type, per channel, false positives per label on messages with no entity, and the most
frequent false-positive strings. Dagster-free; the model assets, the leaderboard and the benchmark script
call :func:`evaluate_intent` / :func:`evaluate_spans_detailed`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from clarioscope_pipeline.labels import INTENTS
from clarioscope_pipeline.models.training import REVIEW_BELOW
from slmkit import metrics

TOP_FALSE_POSITIVES = 10


def evaluate_intent(
    records: Sequence[Mapping[str, Any]], predicted: Sequence[tuple[str, float]]
) -> dict[str, Any]:
    """Accuracy, macro / weighted F1, per class, the confusions (gold → predicted, most frequent first), per
    channel accuracy and the share of messages under the review threshold."""
    gold = [str(r["intent"]) for r in records]
    labels = [p for p, _ in predicted]
    report = metrics.classification_report(gold, labels, INTENTS)
    report["needs_review_share"] = (
        sum(c < REVIEW_BELOW for _, c in predicted) / len(predicted) if predicted else 0.0
    )
    confusions = Counter((g, p) for g, p in zip(gold, labels, strict=True) if g != p)
    report["confusions"] = [{"gold": g, "predicted": p, "n": n} for (g, p), n in confusions.most_common()]
    by_channel: dict[str, list[bool]] = defaultdict(list)
    for record, g, p in zip(records, gold, labels, strict=True):
        by_channel[str(record.get("channel", "unknown"))].append(g == p)
    report["per_channel"] = {
        channel: {"n": len(hits), "accuracy": sum(hits) / len(hits)}
        for channel, hits in sorted(by_channel.items())
    }
    return report


def _key(span: Mapping[str, Any]) -> tuple[int, int, str]:
    return int(span["start"]), int(span["end"]), str(span["label"])


def evaluate_spans_detailed(
    records: Sequence[Mapping[str, Any]],
    gold: Sequence[Sequence[Mapping[str, Any]]],
    predicted: Sequence[Sequence[Mapping[str, Any]]],
) -> dict[str, Any]:
    """Entity scores (seqeval strict IOB2) overall, per entity type and per channel; false positives per
    label, overall and on messages whose gold has no entity; the ten most frequent false-positive strings per
    label (a prediction with no gold span of the same label and offsets)."""
    texts = [str(r["text"]) for r in records]
    report = metrics.entity_report_from_spans(texts, [list(g) for g in gold], [list(p) for p in predicted])
    by_channel: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        by_channel[str(record.get("channel", "unknown"))].append(i)
    report["per_channel"] = {}
    for channel, idx in sorted(by_channel.items()):
        part = metrics.entity_report_from_spans(
            [texts[i] for i in idx], [list(gold[i]) for i in idx], [list(predicted[i]) for i in idx]
        )
        report["per_channel"][channel] = {
            "n": len(idx),
            **{k: part[k] for k in ("precision", "recall", "f1", "macro_f1")},
        }
    false_positives: Counter[str] = Counter()
    on_empty: Counter[str] = Counter()
    strings: dict[str, Counter[str]] = defaultdict(Counter)
    for text, g, p in zip(texts, gold, predicted, strict=True):
        wanted = {_key(s) for s in g}
        for span in p:
            if _key(span) in wanted:
                continue
            false_positives[span["label"]] += 1
            strings[span["label"]][text[span["start"] : span["end"]]] += 1
            if not g:
                on_empty[span["label"]] += 1
    report["false_positives"] = dict(sorted(false_positives.items()))
    report["messages_without_entities"] = sum(not g for g in gold)
    report["false_positives_on_messages_without_entities"] = dict(sorted(on_empty.items()))
    report["top_false_positive_strings"] = {
        label: counter.most_common(TOP_FALSE_POSITIVES) for label, counter in sorted(strings.items())
    }
    return report


def per_entity_rows(report: Mapping[str, Any], model: str) -> list[dict[str, Any]]:
    """One leaderboard row per entity type: precision, recall, F1, support and false positives (all, and on
    messages with no entity)."""
    fps, empty = (
        report.get("false_positives", {}),
        report.get("false_positives_on_messages_without_entities", {}),
    )
    labels = sorted(set(report.get("per_entity", {})) | set(fps))
    return [
        {
            "model": model,
            "label": label,
            **report.get("per_entity", {}).get(
                label, {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
            ),
            "false_positives": fps.get(label, 0),
            "fp_on_empty": empty.get(label, 0),
        }
        for label in labels
    ]


def per_channel_rows(report: Mapping[str, Any], model: str) -> list[dict[str, Any]]:
    return [{"model": model, "channel": ch, **scores} for ch, scores in report.get("per_channel", {}).items()]
