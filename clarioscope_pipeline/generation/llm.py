"""Intake messages written by a remote LLM through the generation layer (`slmkit.llm`).

The plan of each message (family, channel, style, intent, entity labels) is fixed before the call and
rides in the prompt; the model returns the text and the entity values it wrote, and the spans are found
in the text here, so every offset is exact. Families keep their meaning: A writes train/val, B the test
set, each with its own style guide, the way the local generator's two families differ.
"""

import json
import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from clarioscope_pipeline.generation.local import CHANNELS, STYLES
from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES, labelling_guide
from slmkit.llm import GenerationRequest

PLAN_PREFIX = "PLAN "
TASK_LABELS = {"intent": (), "phi": PHI_TYPES, "insurance": INSURANCE_FIELDS}
STYLE_WEIGHTS = (0.4, 0.4, 0.2)  # polished, casual, messy

FAMILY_GUIDES = {
    "A": "Writer A: abbreviations u, ur, appt, tmrw, pls, thx, rx, ins; dates like 03/14/2024; phones like "
    "(617) 555-1234; record numbers like OMK-44291; authorizations like PA-4421; money like $35. "
    "Greeting first, then the request.",
    "B": "Writer B: abbreviations w/, &, hrs, BTW, IDK, plz; dates like 2024-03-14; phones like "
    "617.555.1234; record numbers like RMR-882034; authorizations like AUTH998212; money like $1,240.50. "
    "Details first, then the request.",
}


class Entity(BaseModel):
    label: str
    value: str


class GeneratedMessage(BaseModel):
    text: str
    entities: list[Entity]


def plan_message_requests(task: str, family: str, n: int, seed: int, model: str) -> list[GenerationRequest]:
    """``n`` deterministic requests; intents cycle so every class appears, entity labels are sampled."""
    if task not in TASK_LABELS or family not in FAMILY_GUIDES:
        raise ValueError(f"unknown task {task!r} or family {family!r}")
    rng = random.Random(f"{task}:{family}:{seed}")
    requests = []
    for index in range(n):
        labels = TASK_LABELS[task]
        plan = {
            "task": task,
            "family": family,
            "intent": INTENTS[index % len(INTENTS)],
            "channel": rng.choice(CHANNELS),
            "style": rng.choices(STYLES, weights=STYLE_WEIGHTS)[0],
            "labels": sorted(rng.sample(labels, k=min(len(labels), rng.randint(2, 4)))) if labels else [],
        }
        wanted = (
            f" Include these details, each written once: {', '.join(plan['labels'])}; list each in "
            "`entities` with its label and its exact characters as written in the text."
            if plan["labels"]
            else " Return an empty `entities` list."
        )
        user = (
            f"Write one {plan['style']} {plan['channel']} message from a patient to a clinic whose intent is "
            f"{plan['intent']}. {FAMILY_GUIDES[family]}{wanted} Invent every name, number and address.\n"
            f"{PLAN_PREFIX}{json.dumps(plan, sort_keys=True)}"
        )
        messages = [
            {
                "role": "system",
                "content": "You write realistic synthetic patient-intake messages for training data. What is "
                "an entity, where its span starts and ends and which intent a message has follow this "
                f"labelling guide.\n\n{labelling_guide()}",
            },
            {"role": "user", "content": user},
        ]
        requests.append(
            GenerationRequest(
                model=model,
                messages=messages,
                schema=GeneratedMessage,
                max_tokens=600,
                temperature=0.9,
                sample_index=seed * 1_000_000 + index,
            )
        )
    return requests


def request_plan(request: GenerationRequest) -> dict[str, Any]:
    last_line = request.messages[-1]["content"].rsplit("\n", 1)[-1]
    if not last_line.startswith(PLAN_PREFIX):
        raise ValueError("request carries no plan line")
    return json.loads(last_line[len(PLAN_PREFIX) :])


def locate_spans(text: str, entities: Iterable[Entity], labels: Iterable[str]) -> tuple[list[dict], Counter]:
    """Exact spans for entity values found in ``text`` (each occurrence used once, no overlaps);
    unknown labels and values not in the text are counted, not guessed."""
    allowed = set(labels)
    spans: list[dict] = []
    problems: Counter = Counter()
    for entity in entities:
        value = entity.value.strip()
        if entity.label not in allowed:
            problems["unknown_label"] += 1
            continue
        start = text.find(value) if value else -1
        while start >= 0 and any(start < s["end"] and s["start"] < start + len(value) for s in spans):
            start = text.find(value, start + 1)
        if start < 0:
            problems["not_in_text"] += 1
            continue
        spans.append({"start": start, "end": start + len(value), "label": entity.label})
    return sorted(spans, key=lambda s: s["start"]), problems


def llm_records(
    pairs: Iterable[tuple[GenerationRequest, GeneratedMessage]], generator_prefix: str
) -> tuple[list[dict[str, Any]], Counter]:
    """Raw records in the local generator's shape; ``generator`` = ``<prefix>-<family>``."""
    records: list[dict[str, Any]] = []
    problems: Counter = Counter()
    for request, message in pairs:
        plan = request_plan(request)
        record: dict[str, Any] = {
            "id": f"{generator_prefix}-{plan['family']}-{plan['task']}-{request.sample_index:09d}",
            "text": message.text,
            "channel": plan["channel"],
            "style": plan["style"],
            "generator": f"{generator_prefix}-{plan['family']}",
            "source": generator_prefix.split(":", 1)[0],
            "label_origin": "generator-plan" if plan["task"] == "intent" else "generator+located",
        }
        if plan["task"] == "intent":
            record["intent"] = plan["intent"]
        else:
            record["spans"], found = locate_spans(message.text, message.entities, TASK_LABELS[plan["task"]])
            problems.update(found)
        records.append(record)
    return records, problems
