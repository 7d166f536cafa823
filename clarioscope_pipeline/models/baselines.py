"""The same ClarioScope tasks through frontier LLMs: one shared prompt per task (the same for every
provider), structured output, spans located in the message as the generators' spans are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel

from clarioscope_pipeline.generation.llm import Entity, locate_spans
from clarioscope_pipeline.labels import INTENTS, labelling_guide
from clarioscope_pipeline.models.training import ENTITY_TYPES
from slmkit.llm import GenerationRequest


class IntentAnswer(BaseModel):
    intent: Literal[INTENTS]  # type: ignore[valid-type]


class EntitiesAnswer(BaseModel):
    entities: list[Entity]


PROMPTS = {
    "intent": "Classify the intent of this patient-intake message as exactly one of: {labels}.",
    "phi": "List every HIPAA Safe Harbor identifier in this patient-intake message, each value copied "
    "exactly from the message, labelled with one of: {labels}.",
    "insurance": "List every insurance or billing field in this patient-intake message, each value copied "
    "exactly from the message, labelled with one of: {labels}.",
}


def baseline_requests(task: str, texts: Sequence[str], model: str) -> list[GenerationRequest]:
    labels = INTENTS if task == "intent" else ENTITY_TYPES[task]
    prompt = PROMPTS[task].format(labels=", ".join(labels))
    system = f"{prompt}\n\nFollow this labelling guide.\n\n{labelling_guide()}"
    schema = IntentAnswer if task == "intent" else EntitiesAnswer
    return [
        GenerationRequest(
            model=model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": text}],
            schema=schema,
            max_tokens=512,
        )
        for text in texts
    ]


def intent_predictions(outputs: Sequence[Any]) -> list[str]:
    """The predicted intent per message; a dropped answer counts as wrong (``none``)."""
    return [o.intent if isinstance(o, IntentAnswer) else "none" for o in outputs]


def span_predictions(task: str, texts: Sequence[str], outputs: Sequence[Any]) -> list[list[dict[str, Any]]]:
    """Spans per message: values found in the text under a known label; others are not guessed."""
    return [
        locate_spans(text, o.entities, ENTITY_TYPES[task])[0] if isinstance(o, EntitiesAnswer) else []
        for text, o in zip(texts, outputs, strict=True)
    ]
