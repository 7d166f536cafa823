"""Evaluation metrics for small language models against gold data, and their plots. Dagster-free.

- Classification (one label per record) and multi-label classification: scikit-learn, ``zero_division=0``.
- Entities: ``seqeval`` in strict IOB2 mode (``mode="strict", scheme=IOB2``): an entity counts only when
  its type and both boundaries match exactly; a stray ``I-X`` (not after ``B-X``/``I-X``) starts no
  entity. :func:`entity_report_from_spans` tags character spans with :mod:`slmkit.spans` first.
- Operational numbers: hallucinated identifiers, latency percentiles, cost per 1,000 calls.
- Presentation: GitHub markdown tables and PNG plots for Dagster metadata. Plots draw on a
  ``matplotlib.figure.Figure`` with an Agg canvas, never through pyplot's global figure state, so they
  are safe to render from several threads and need no display.

Every report holds plain Python ``int``/``float`` values (no numpy scalars), ready for JSON metadata.
Macro averages run over the labels that occur in the gold data or the predictions (scikit-learn's own
default), so a class missing from a small test set does not drag the average to zero; such classes are
still listed in ``per_class`` with zeros.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from seqeval.metrics import classification_report as seqeval_report
from seqeval.scheme import IOB2
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from slmkit.spans import spans_to_bio, whitespace_tokens

PerClass = dict[str, dict[str, float | int]]

_IOB2_TAG = re.compile(r"O|[BI]-.+")


def _check_lengths(gold: Sequence[Any], pred: Sequence[Any]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold items but {len(pred)} predictions")


def _check_labels(labels: Sequence[str], gold_labels: Collection[str]) -> list[str]:
    """``labels`` as a list; raises if it repeats a label or misses one the gold data uses."""
    out = list(labels)
    if not out:
        raise ValueError("labels must not be empty")
    if len(set(out)) != len(out):
        raise ValueError(f"duplicate labels in {out!r}")
    unknown = sorted(set(gold_labels) - set(out))
    if unknown:
        # Gold outside the label set is a data bug; a prediction outside it is just wrong (scored as a miss).
        raise ValueError(f"gold labels not in labels: {unknown!r}")
    return out


def _per_class(labels: Sequence[str], p: Any, r: Any, f: Any, s: Any) -> PerClass:
    return {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
        for i, label in enumerate(labels)
    }


def _zero_per_class(labels: Sequence[str]) -> PerClass:
    # For an empty evaluation set, which scikit-learn refuses.
    zeros = np.zeros(len(labels))
    return _per_class(labels, zeros, zeros, zeros, zeros)


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Single-label classification: ``accuracy``, ``macro_f1``, ``weighted_f1``, ``n`` and ``per_class``
    (``{label: {precision, recall, f1, support}}`` for every label in ``labels``, in that order).

    A prediction outside ``labels`` counts as wrong (it lowers accuracy and the gold class's recall). Raises
    :class:`ValueError` on a length mismatch or a gold label outside ``labels``.
    """
    _check_lengths(gold, pred)
    label_list = _check_labels(labels, gold)
    n = len(gold)
    if n == 0:
        return {
            "accuracy": 0.0,
            "macro_f1": 0.0,
            "weighted_f1": 0.0,
            "n": 0,
            "per_class": _zero_per_class(label_list),
        }
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=label_list, average=None, zero_division=0)
    seen = set(gold) | set(pred)
    active = [label for label in label_list if label in seen]
    return {
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(f1_score(gold, pred, labels=active, average="macro", zero_division=0)),
        "weighted_f1": float(f1_score(gold, pred, labels=label_list, average="weighted", zero_division=0)),
        "n": n,
        "per_class": _per_class(label_list, p, r, f, s),
    }


def multilabel_report(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], labels: Sequence[str]
) -> dict[str, Any]:
    """Multi-label classification: ``micro_f1``, ``macro_f1``, ``samples_accuracy`` (share of records whose
    predicted label set equals the gold set exactly), ``n`` and ``per_class`` as in
    :func:`classification_report`.

    An empty label list is a valid gold or predicted answer ("none apply"); two empty sets match exactly.
    Predicted labels outside ``labels`` make that record inexact and are otherwise ignored.
    """
    _check_lengths(gold, pred)
    gold_sets = [set(g) for g in gold]
    pred_sets = [set(p) for p in pred]
    label_list = _check_labels(labels, set().union(*gold_sets))
    n = len(gold_sets)
    if n == 0:
        return {
            "micro_f1": 0.0,
            "macro_f1": 0.0,
            "samples_accuracy": 0.0,
            "n": 0,
            "per_class": _zero_per_class(label_list),
        }
    known = set(label_list)
    mlb = MultiLabelBinarizer(classes=label_list)
    y_true = mlb.fit_transform(gold_sets)
    # Filtered here because the binarizer warns on unknown labels; they already cost the exact match.
    y_pred = mlb.transform([p & known for p in pred_sets])
    # scikit-learn reads a one-column indicator matrix as a binary target; labels=[1] is its positive class.
    positive: dict[str, Any] = {"labels": [1]} if len(label_list) == 1 else {}
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0, **positive)
    _, _, micro_f1, _ = precision_recall_fscore_support(
        y_true, y_pred, average="micro", zero_division=0, **positive
    )
    active = (y_true.sum(axis=0) + y_pred.sum(axis=0)) > 0
    return {
        "micro_f1": float(micro_f1),
        "macro_f1": float(np.mean(f[active])) if active.any() else 0.0,
        "samples_accuracy": sum(g == q for g, q in zip(gold_sets, pred_sets, strict=True)) / n,
        "n": n,
        "per_class": _per_class(label_list, p, r, f, s),
    }


def _tag_lists(name: str, sequences: Sequence[Sequence[str]]) -> list[list[str]]:
    """Plain lists (seqeval rejects tuples) of validated IOB2 tags."""
    out = [list(seq) for seq in sequences]
    for i, seq in enumerate(out):
        for tag in seq:
            # seqeval silently reads "B" as an entity of type "" and dies with a KeyError on "b-X".
            if not _IOB2_TAG.fullmatch(tag):
                raise ValueError(f"{name} sequence {i}: not an IOB2 tag: {tag!r}")
    return out


def entity_report(gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Entity-level scores with seqeval, strict IOB2: micro ``precision``, ``recall``, ``f1``, ``macro_f1``
    (over entity types seen in gold or predictions), ``n`` (sequences) and ``per_entity``
    (``{type: {precision, recall, f1, support}}``, sorted by type).

    A predicted entity with a wrong boundary or type is both a false positive and a false negative. Raises
    :class:`ValueError` on a malformed tag or when a predicted sequence differs in length from its gold one.
    """
    _check_lengths(gold_tags, pred_tags)
    y_true = _tag_lists("gold", gold_tags)
    y_pred = _tag_lists("pred", pred_tags)
    for i, (g, q) in enumerate(zip(y_true, y_pred, strict=True)):
        if len(g) != len(q):
            raise ValueError(f"sequence {i}: {len(g)} gold tags but {len(q)} predicted")
    n = len(y_true)
    # In strict IOB2 every B- tag starts an entity and nothing else does. With no entity on either side
    # seqeval's macro average is NaN (and numpy warns), so that case is answered here.
    if not any(tag.startswith("B-") for seq in (*y_true, *y_pred) for tag in seq):
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "macro_f1": 0.0, "n": n, "per_entity": {}}
    report = seqeval_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    micro = report.pop("micro avg")
    macro = report.pop("macro avg")
    del report["weighted avg"]
    return {
        "precision": float(micro["precision"]),
        "recall": float(micro["recall"]),
        "f1": float(micro["f1-score"]),
        "macro_f1": float(macro["f1-score"]),
        "n": n,
        "per_entity": {
            entity: {
                "precision": float(v["precision"]),
                "recall": float(v["recall"]),
                "f1": float(v["f1-score"]),
                "support": int(v["support"]),
            }
            for entity, v in report.items()
        },
    }


def entity_report_from_spans(
    texts: Sequence[str],
    gold_spans: Sequence[Sequence[Mapping[str, Any]]],
    pred_spans: Sequence[Sequence[Mapping[str, Any]]],
    *,
    misaligned: Literal["expand", "drop", "raise"] = "expand",
) -> dict[str, Any]:
    """:func:`entity_report` over character spans (``{"start", "end", "label"}``, one list per text).

    Both sides are tagged over the same :func:`~slmkit.spans.whitespace_tokens`, so a predicted span scores
    as correct when it covers the same tokens as the gold span. ``misaligned`` is passed to
    :func:`~slmkit.spans.spans_to_bio` (default ``"expand"``: a span ending inside a token takes the whole
    token). Out-of-range or empty spans raise :class:`ValueError`.
    """
    if not len(texts) == len(gold_spans) == len(pred_spans):
        raise ValueError(
            f"{len(texts)} texts, {len(gold_spans)} gold and {len(pred_spans)} predicted span lists"
        )
    gold_tags: list[list[str]] = []
    pred_tags: list[list[str]] = []
    for text, gold, pred in zip(texts, gold_spans, pred_spans, strict=True):
        offsets = whitespace_tokens(text)
        gold_tags.append(spans_to_bio(text, gold, offsets, misaligned=misaligned))
        pred_tags.append(spans_to_bio(text, pred, offsets, misaligned=misaligned))
    return entity_report(gold_tags, pred_tags)


def hallucination_rate(predicted_numbers: Sequence[str], registry: Collection[str]) -> dict[str, Any]:
    """Share of predicted identifiers (e.g. solicitation numbers) that are not in the registry.

    Exact string match: normalise both sides first if case or spacing may differ. Each prediction counts,
    repeats included.
    """
    known = set(registry)
    missing = sum(number not in known for number in predicted_numbers)
    n = len(predicted_numbers)
    return {"predicted": n, "not_in_registry": missing, "rate": missing / n if n else 0.0}


def latency_summary(seconds: Sequence[float]) -> dict[str, Any]:
    """``n``, ``p50_ms``, ``p95_ms`` and ``mean_ms`` of call latencies given in seconds (linear
    interpolation between samples); the three figures are ``None`` when there are no samples."""
    if not seconds:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None}
    ms = np.asarray(seconds, dtype=float) * 1000.0
    p50, p95 = np.percentile(ms, [50, 95], method="linear")
    return {"n": len(ms), "p50_ms": float(p50), "p95_ms": float(p95), "mean_ms": float(ms.mean())}


def cost_per_1000(total_usd: float, calls: int) -> float | None:
    """US dollars per 1,000 calls, or ``None`` when there were no calls."""
    if calls < 0:
        raise ValueError(f"calls must be >= 0, got {calls}")
    return total_usd / calls * 1000 if calls else None


def _cell(value: object, floatfmt: str) -> str:
    if value is None:
        return "–"
    text = format(value, floatfmt) if isinstance(value, float | np.floating) else str(value)
    # A pipe would split the cell and a newline would end the row.
    return text.replace("|", "\\|").replace("\n", " ")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def markdown_table(
    rows: Sequence[Mapping[str, object]], columns: Sequence[str] | None = None, floatfmt: str = ".3f"
) -> str:
    """A GitHub markdown table: floats formatted with ``floatfmt``, ``None`` (or a missing key) as "–".

    Columns default to the first row's keys; numeric columns are right-aligned. Returns "" when there are
    neither rows nor columns.
    """
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if not cols:
        return ""
    lines = [
        "| " + " | ".join(_cell(c, floatfmt) for c in cols) + " |",
        "|" + "|".join(" ---: " if any(_is_number(r.get(c)) for r in rows) else " --- " for c in cols) + "|",
    ]
    lines += ["| " + " | ".join(_cell(r.get(c), floatfmt) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def per_class_markdown(per_class: Mapping[str, Mapping[str, float]]) -> str:
    """The ``per_class``/``per_entity`` part of a report as a markdown table, one row per label."""
    metrics = ("precision", "recall", "f1", "support")
    rows = [{"label": label, **{m: scores.get(m) for m in metrics}} for label, scores in per_class.items()]
    return markdown_table(rows, columns=("label", *metrics))


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buf)
    return buf.getvalue()


def confusion_matrix_png(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str], title: str
) -> bytes:
    """PNG of the confusion matrix (rows: gold, columns: predicted) over ``labels`` in that order.

    The figure grows with the number of labels so 20 classes stay legible; predictions outside ``labels``
    do not appear.
    """
    _check_lengths(gold, pred)
    k = len(labels)
    side = max(5.0, 0.5 * k + 2.5)
    fig = Figure(figsize=(side + 1.0, side), dpi=100)  # + 1 inch for the colour bar
    ax = fig.add_subplot()
    ConfusionMatrixDisplay.from_predictions(
        list(gold),
        list(pred),
        labels=list(labels),
        ax=ax,
        cmap="Blues",
        xticks_rotation=45,
        text_kw={"fontsize": 8 if k > 10 else 10},
    )
    for tick in ax.get_xticklabels():
        # Anchor the rotated label's end under its column, not its centre.
        tick.set_horizontalalignment("right")
        tick.set_rotation_mode("anchor")
    ax.set_title(title)
    fig.tight_layout()
    return _png(fig)


def bar_chart_png(values: Mapping[str, float], title: str, xlabel: str) -> bytes:
    """PNG of a horizontal bar chart, one bar per entry, top to bottom in mapping order, each bar labelled
    with its value (e.g. a leaderboard: model name → score)."""
    names = list(values)
    scores = [float(v) for v in values.values()]
    fig = Figure(figsize=(7.0, max(2.5, 0.4 * len(names) + 1.5)), dpi=100)
    ax = fig.add_subplot()
    bars = ax.barh(names, scores, color="tab:blue")
    ax.invert_yaxis()  # barh draws the first entry at the bottom
    ax.bar_label(bars, fmt="%.3g", padding=3)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.margins(x=0.15)  # room for the value labels past the longest bar
    fig.tight_layout()
    return _png(fig)


def measure_latency(
    predict: Callable[[list[str]], Any], texts: Sequence[str], batch_size: int
) -> dict[str, Any]:
    """:func:`latency_summary` of per-example latency: each call's wall time divided by the texts in it
    (``batch_size=1``: one text per call)."""
    seconds: list[float] = []
    for first in range(0, len(texts), batch_size):
        batch = list(texts[first : first + batch_size])
        started = time.perf_counter()
        predict(batch)
        seconds += [(time.perf_counter() - started) / len(batch)] * len(batch)
    return latency_summary(seconds)
