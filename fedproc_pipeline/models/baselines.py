"""The four FedProc tasks through frontier LLMs: one shared prompt per task (the same for every
provider), structured output. Clause numbers an LLM returns are located in the text as spans; numbers that
do not exist count towards its hallucination rate, as the small model's do."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel

from fedproc_pipeline.dataset.clauses import CLAUSE_LABEL, canonical_number
from fedproc_pipeline.dataset.labels import NAICS_SECTORS, NOTICE_TYPES, SET_ASIDES
from fedproc_pipeline.dataset.records import TASKS
from slmkit.llm import GenerationRequest


class NoticeTypeAnswer(BaseModel):
    notice_type: Literal[NOTICE_TYPES]  # type: ignore[valid-type]


class SectorAnswer(BaseModel):
    naics_sector: Literal[NAICS_SECTORS]  # type: ignore[valid-type]


class SetAsidesAnswer(BaseModel):
    set_asides: list[Literal[SET_ASIDES]]  # type: ignore[valid-type]


class ClausesAnswer(BaseModel):
    clauses: list[str]


SCHEMAS: dict[str, type[BaseModel]] = {
    "notice_type": NoticeTypeAnswer,
    "naics_sector": SectorAnswer,
    "set_asides": SetAsidesAnswer,
    "clause_spans": ClausesAnswer,
}
PROMPTS = {
    "notice_type": "Classify this federal contract opportunity text by notice type, one of: "
    f"{', '.join(NOTICE_TYPES)}.",
    "naics_sector": "Give the NAICS 2022 sector of the work this federal contract opportunity text "
    f"describes, one of: {', '.join(NAICS_SECTORS)}.",
    "set_asides": "List the small-business set-aside programs this federal contract text uses (empty if "
    f"none), from: {', '.join(SET_ASIDES)}.",
    "clause_spans": "List every FAR (52.2xx-x) or DFARS (252.2xx-7xxx) clause number cited in this text, "
    "copied exactly as written, without 'FAR', 'DFARS', paragraph references or 'Alternate'.",
}


def baseline_requests(task: str, texts: Sequence[str], model: str) -> list[GenerationRequest]:
    return [
        GenerationRequest(
            model=model,
            messages=[{"role": "system", "content": PROMPTS[task]}, {"role": "user", "content": text}],
            schema=SCHEMAS[task],
            max_tokens=512,
        )
        for text in texts
    ]


def as_results(task: str, texts: Sequence[str], outputs: Sequence[Any]) -> list[dict[str, Any]]:
    """Answers in the shape :meth:`MultiTaskPredictor.predict` gives, so one scorer serves both; a dropped
    answer is a wrong one (``none`` / no labels / no clauses)."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    results: list[dict[str, Any]] = []
    for text, output in zip(texts, outputs, strict=True):
        if task == "notice_type":
            results.append({task: {"label": output.notice_type if output else "none"}})
        elif task == "naics_sector":
            results.append({task: {"label": output.naics_sector if output else "none"}})
        elif task == "set_asides":
            results.append({task: {"labels": list(output.set_asides) if output else []}})
        else:
            values = output.clauses if output else []
            numbers = [canonical_number(value) for value in values]
            results.append({task: locate_clauses(text, values), "clause_numbers": numbers})
    return results


def locate_clauses(text: str, values: Sequence[str]) -> list[Mapping[str, Any]]:
    """Spans of the returned values as whole numbers (``52.212-4`` is not found inside ``52.212-40``), each
    occurrence used once; a value not in the text gives no span (its number still counts towards the
    hallucination rate, through ``clause_numbers``)."""
    spans: list[dict[str, Any]] = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        pattern = re.compile(rf"(?<![\d.]){re.escape(value)}(?![\d])")
        match = next(
            (
                m
                for m in pattern.finditer(text)
                if not any(m.start() < s["end"] and s["start"] < m.end() for s in spans)
            ),
            None,
        )
        if match:
            start = match.start()
            spans.append(
                {
                    "start": start,
                    "end": start + len(value),
                    "label": CLAUSE_LABEL,
                    "number": canonical_number(value),
                }
            )
    return sorted(spans, key=lambda s: s["start"])
