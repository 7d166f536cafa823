"""What ``clarioscope predict`` and ``clarioscope redact`` do with loaded models (Dagster-free)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from clarioscope_pipeline.models.hybrid import HybridExtractor, LLMFallback
from clarioscope_pipeline.models.training import REVIEW_BELOW, model_name
from pipeline_runtime.batch_io import InputLine
from slmkit.modeling.predict import TextClassifier, TokenTagger

SPAN_KEYS = ("start", "end", "label", "text", "score", "source")


class IntakeModels:
    """The three ClarioScope models (folders by model name), PHI and insurance as hybrid extractors."""

    def __init__(self, folders: Mapping[str, Path], fallback: dict[str, LLMFallback] | None = None):
        fallback = fallback or {}
        self.intent = TextClassifier.load(folders[model_name("intent")])
        self.phi = HybridExtractor(TokenTagger.load(folders[model_name("phi")]), "phi", fallback.get("phi"))
        self.insurance = HybridExtractor(
            TokenTagger.load(folders[model_name("insurance")]), "insurance", fallback.get("insurance")
        )

    def predict(self, items: Sequence[InputLine]) -> list[dict[str, Any]]:
        texts = [item.text for item in items]
        intents = self.intent.predict(texts)
        phi = self.phi.extract(texts)
        insurance = self.insurance.extract(texts)
        rows = []
        for item, (intent, confidence), phi_spans, ins_spans in zip(
            items, intents, phi, insurance, strict=True
        ):
            rows.append(
                {
                    "id": item.id,
                    "intent": intent,
                    "intent_confidence": confidence,
                    "needs_review": confidence < REVIEW_BELOW,
                    "phi": [_public(item.text, s) for s in phi_spans],
                    "insurance": [_public(item.text, s) for s in ins_spans],
                    "insurance_fields": insurance_fields(item.text, ins_spans),
                }
            )
        return rows

    def redact(self, items: Sequence[InputLine]) -> list[dict[str, Any]]:
        spans = self.phi.extract([item.text for item in items])
        return [{"id": item.id, "text": redact(item.text, s)} for item, s in zip(items, spans, strict=True)]


def _public(text: str, span: dict[str, Any]) -> dict[str, Any]:
    out = {key: span.get(key) for key in SPAN_KEYS}
    out["text"] = text[span["start"] : span["end"]]
    return out


def insurance_fields(text: str, spans: Sequence[dict[str, Any]]) -> dict[str, str]:
    """``{FIELD: value}``: per field, the value of its highest-scoring span (recognizer spans first)."""
    best: dict[str, dict[str, Any]] = {}
    for span in spans:
        rank = (span.get("score") or 0.0) + (1.0 if span.get("source") == "recognizer" else 0.0)
        if span["label"] not in best or rank > best[span["label"]]["rank"]:
            best[span["label"]] = {"rank": rank, "value": text[span["start"] : span["end"]]}
    return {label: entry["value"] for label, entry in sorted(best.items())}


def redact(text: str, spans: Sequence[dict[str, Any]]) -> str:
    """``text`` with each span replaced by ``[LABEL]`` (spans do not overlap)."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        out += [text[last : span["start"]], f"[{span['label']}]"]
        last = span["end"]
    return "".join([*out, text[last:]])
