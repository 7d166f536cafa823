"""The shipped clause extractor: the citations the text states (read through PDF/OCR breaks and shorthand
lists by :func:`~fedproc_pipeline.dataset.clauses.find_clause_citations`) and the model's clause spans, each
canonicalised and checked against the regulation registry. A number that does not exist is flagged
``valid: false`` and is not reported as a clause, so the shipped extractor's hallucination rate is zero by
construction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from fedproc_pipeline.dataset.clauses import find_clause_citations, noisy_number


def validate_clauses(
    text: str, spans: Sequence[Mapping[str, Any]], registry: Collection[str]
) -> list[dict[str, Any]]:
    """``{start, end, text, number, valid, source}`` per clause, in order: every citation the text states
    (``source: stated``) and each model span that overlaps none of them (``source: model``)."""
    stated = find_clause_citations(text, registry)
    out = [
        {"start": c["start"], "end": c["end"], "text": text[c["start"] : c["end"]], "number": c["number"],
         "valid": True, "source": "stated"}
        for c in stated
    ]  # fmt: skip
    for span in spans:
        start, end = int(span["start"]), int(span["end"])
        if any(c["start"] < end and start < c["end"] for c in stated):
            continue
        number = noisy_number(text[start:end])
        out.append(
            {"start": start, "end": end, "text": text[start:end], "number": number,
             "valid": number in registry, "source": "model"}
        )  # fmt: skip
    return sorted(out, key=lambda c: (c["start"], c["end"]))


def reported(clauses: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The clauses the extractor reports: the valid ones."""
    return [c for c in clauses if c["valid"]]
