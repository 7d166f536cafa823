"""The production extractor for PHI and insurance fields: the small model's spans, put on the guide's
edges (cue words off, ``slmkit.edges``) and kept only where their value can be of their label
(``slmkit.shapes``), merged with validated recognizers for structured identifiers (``slmkit.recognizers``:
a recognizer span replaces any model span it overlaps), and, off by default, a frontier-LLM fallback asked
only about the labels whose cue word is in a message but that nothing resolved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from clarioscope_pipeline.generation.llm import Entity, locate_spans
from clarioscope_pipeline.models.training import ENTITY_TYPES
from slmkit.cue_words import clean_span
from slmkit.edges import repair_edges
from slmkit.llm import BudgetExceeded, GenerationClient, GenerationRequest, ProviderError
from slmkit.modeling.predict import TokenTagger
from slmkit.recognizers import drop_generic, drop_off_topic, merge_spans, recognize, unresolved_cues
from slmkit.shapes import drop_misshapen


class FallbackAnswer(BaseModel):
    entities: list[Entity]


FALLBACK_PROMPT = (
    "You extract identifiers from patient-intake messages. Return only values copied exactly from the "
    "message, for these labels only: {labels}. Return an empty list when a label has no value."
)


class LLMFallback:
    """Asks the generation layer (cache, ledger, budget) for the unresolved labels of one message."""

    def __init__(self, client: GenerationClient, model: str, task: str):
        self.client, self.model, self.task = client, model, task
        self.calls = 0
        self.failures = 0

    def request(self, text: str, labels: Sequence[str]) -> GenerationRequest:
        return GenerationRequest(
            model=self.model,
            messages=[
                {"role": "system", "content": FALLBACK_PROMPT.format(labels=", ".join(labels))},
                {"role": "user", "content": text},
            ],
            schema=FallbackAnswer,
            max_tokens=512,
        )

    def __call__(self, text: str, labels: Sequence[str]) -> list[dict[str, Any]]:
        self.calls += 1
        try:
            result = self.client.generate(self.request(text, labels))
        except (BudgetExceeded, ProviderError):
            # The fallback is optional: without it the message keeps the model and recognizer spans.
            self.failures += 1
            return []
        if not result.ok or not isinstance(result.output, FallbackAnswer):
            return []
        spans, _ = locate_spans(text, result.output.entities, labels)
        return [dict(span, source="llm", score=None) for span in spans]


class HybridExtractor:
    def __init__(self, tagger: TokenTagger, task: str, fallback: LLMFallback | None = None):
        if task not in ENTITY_TYPES:
            raise ValueError(f"no hybrid extractor for task {task!r}")
        self.tagger, self.task, self.fallback = tagger, task, fallback

    def extract(self, texts: Sequence[str]) -> list[list[dict[str, Any]]]:
        out = []
        for text, model_spans in zip(texts, self.tagger.predict(texts), strict=True):
            # the guide's span edges (no cue words, no trailing punctuation), as for the training data
            lined = [_longest_line(text, dict(s, source="model")) for s in model_spans]
            edged = repair_edges(text, [c for s in lined if (c := clean_span(text, s)) is not None])
            found = drop_off_topic(text, drop_generic(text, drop_misshapen(text, edged)))
            spans = merge_spans(found, recognize(text, self.task, keep_blockers=True))
            missing = unresolved_cues(text, self.task, spans) if self.fallback else []
            if self.fallback and missing:
                spans = _add_where_free(spans, self.fallback(text, missing))
            out.append(spans)
        return out


def _longest_line(text: str, span: dict[str, Any]) -> dict[str, Any]:
    """A model span never crosses a line break (a signature's name runs into the address under it): its
    longest line is kept."""
    start, end = span["start"], span["end"]
    if "\n" not in text[start:end]:
        return span
    pieces, pos = [], start
    for line in text[start:end].split("\n"):
        pieces.append((pos, pos + len(line)))
        pos += len(line) + 1
    lo, hi = max(pieces, key=lambda p: p[1] - p[0])
    return dict(span, start=lo, end=hi, **({"text": text[lo:hi]} if "text" in span else {}))


def _add_where_free(spans: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fallback only fills gaps: a span it returns that overlaps a kept span is ignored."""
    kept = list(spans)
    for span in extra:
        if not any(span["start"] < k["end"] and k["start"] < span["end"] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s["start"])
