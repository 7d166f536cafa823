"""The shipped clause extractor: the model's clause spans, canonicalised and checked against the
regulation registry. A number that does not exist is flagged ``valid: false`` and is not reported as a
clause, so the shipped extractor's hallucination rate is zero by construction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from fedproc_pipeline.dataset.clauses import canonical_number


def validate_clauses(
    text: str, spans: Sequence[Mapping[str, Any]], registry: Collection[str]
) -> list[dict[str, Any]]:
    """``{start, end, text, number, valid}`` per model span, in order."""
    out = []
    for span in spans:
        value = text[int(span["start"]) : int(span["end"])]
        number = canonical_number(value)
        out.append(
            {
                "start": span["start"],
                "end": span["end"],
                "text": value,
                "number": number,
                "valid": number in registry,
            }
        )
    return out


def reported(clauses: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The clauses the extractor reports: the valid ones."""
    return [c for c in clauses if c["valid"]]
