"""Human gold sets: messages written and labelled by people (``docs/labelling.md``), never trained on.
Dagster-free.

Two formats, by file suffix:

- ``.jsonl`` — the project's records, one JSON object a line:
  ``{"id", "text", "intent", "phi": [{start, end, label}], "insurance": [...], "channel"?}``.
- ``.json`` — a Label Studio export (a list of tasks): the text in ``data.text`` (or the task's only string
  field), NER results ``{"type": "labels", "from_name", "value": {start, end, labels}}`` (the layer is the
  result's ``from_name`` when it is ``phi`` or ``insurance``, else the layer that has the label) and a
  ``choices`` result for the intent. The first annotation that is not cancelled is used.

A path may be one file or a folder of such files (read in name order). Loading is all or nothing: every
problem (bad JSON, unknown label or intent, offsets out of range or overlapping, a span's ``text`` that
disagrees with its offsets, duplicate ids) is collected and raised together in a :class:`GoldSetError` that
names the file and line or task, never the message text.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES
from slmkit.spans import validate_spans

LAYERS: dict[str, tuple[str, ...]] = {"phi": PHI_TYPES, "insurance": INSURANCE_FIELDS}
SUFFIXES = (".jsonl", ".json")


class GoldSetError(ValueError):
    """A gold set that cannot be loaded; ``problems`` lists every reason (file:line or task: problem)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:20])
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"gold set not loaded ({len(self.problems)} problems):\n{shown}{more}")


def gold_files(path: str | Path) -> list[Path]:
    """The gold files at ``path``: the file itself, or the ``.jsonl`` / ``.json`` files of a folder."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix in SUFFIXES and f.is_file())
        if not files:
            raise GoldSetError([f"{p}: no .jsonl or .json file in the folder"])
        return files
    if not p.is_file():
        raise GoldSetError([f"{p}: no such file or folder"])
    if p.suffix not in SUFFIXES:
        raise GoldSetError([f"{p}: expected a .jsonl (project records) or .json (Label Studio export) file"])
    return [p]


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Every record of the gold set at ``path``, validated; raises :class:`GoldSetError` on any problem."""
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    for file in gold_files(path):
        parse = _jsonl_records if file.suffix == ".jsonl" else _label_studio_records
        for where, raw in parse(file, problems):
            record = _record(where, raw, problems)
            if record is not None:
                record["_where"] = where
                records.append(record)
    seen: Counter[str] = Counter(r["id"] for r in records)
    problems += [f"{r['_where']}: duplicate id {r['id']!r}" for r in records if seen[r["id"]] > 1]
    if problems:
        raise GoldSetError(problems)
    for r in records:
        del r["_where"]
    return records


def _jsonl_records(file: Path, problems: list[str]) -> Iterable[tuple[str, Any]]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        problems.append(f"{file}: not UTF-8 text")
        return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield f"{file.name}:{number}", json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{file.name}:{number}: not JSON ({e.msg} at column {e.colno})")


def _label_studio_records(file: Path, problems: list[str]) -> Iterable[tuple[str, Any]]:
    try:
        tasks = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        problems.append(f"{file.name}: not a Label Studio JSON export ({type(e).__name__})")
        return
    if not isinstance(tasks, list):
        problems.append(f"{file.name}: a Label Studio export is a JSON list of tasks")
        return
    for number, task in enumerate(tasks, 1):
        where = f"{file.name} task {number}"
        converted = _from_label_studio(where, task, problems)
        if converted is not None:
            yield where, converted


def _from_label_studio(where: str, task: Any, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
        problems.append(f"{where}: a task needs a `data` object")
        return None
    data = task["data"]
    text = data.get("text")
    if text is None:
        strings = [v for v in data.values() if isinstance(v, str)]
        text = strings[0] if len(strings) == 1 else None
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not annotations:
        problems.append(f"{where}: no annotation")
        return None
    out: dict[str, Any] = {"id": str(task.get("id", where)), "text": text, "phi": [], "insurance": []}
    if "channel" in data:
        out["channel"] = data["channel"]
    for i, result in enumerate(annotations[0].get("result") or []):
        value = result.get("value") or {}
        if result.get("type") == "choices":
            choices = value.get("choices") or []
            out["intent"] = choices[0] if len(choices) == 1 else choices
        elif result.get("type") == "labels":
            labels = value.get("labels") or []
            for label in labels:
                layer = result.get("from_name") if result.get("from_name") in LAYERS else _layer_of(label)
                span = {"start": value.get("start"), "end": value.get("end"), "label": label}
                if "text" in value:
                    span["text"] = value["text"]
                if layer is None:
                    problems.append(f"{where} result {i}: unknown label {label!r}")
                else:
                    out[layer].append(span)
    return out


def _layer_of(label: str) -> str | None:
    return next((layer for layer, labels in LAYERS.items() if label in labels), None)


def _record(where: str, raw: Any, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: a record is a JSON object")
        return None
    text, found = raw.get("text"), []
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: no text")
        return None
    if raw.get("id") is None:
        found.append("no id")
    intent = raw.get("intent")
    if intent not in INTENTS:
        found.append(f"unknown intent {intent!r}")
    record: dict[str, Any] = {
        "id": str(raw.get("id")),
        "text": text,
        "intent": intent,
        "channel": str(raw.get("channel") or "unknown"),
    }
    for layer, labels in LAYERS.items():
        spans = raw.get(layer) or []
        if not isinstance(spans, list) or not all(isinstance(s, Mapping) for s in spans):
            found.append(f"`{layer}` is a list of span objects")
            continue
        found += [f"{layer} {p}" for p in validate_spans(text, spans, labels)]
        found += [
            f"{layer} span {s.get('label')} [{s.get('start')}:{s.get('end')}]: whitespace at an edge"
            for s in spans
            if isinstance(s.get("start"), int)
            and isinstance(s.get("end"), int)
            and text[s["start"] : s["end"]] != text[s["start"] : s["end"]].strip()
        ]
        record[layer] = sorted(
            ({"start": s["start"], "end": s["end"], "label": s["label"]} for s in spans),
            key=lambda s: (s["start"], s["end"]),
        )
    problems += [f"{where}: {p}" for p in found]
    return record if not found else None


def gold_summary(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts for metadata (never text): records, per intent, per channel, spans per label and layer."""
    return {
        "records": len(records),
        "intents": dict(sorted(Counter(str(r["intent"]) for r in records).items())),
        "channels": dict(sorted(Counter(str(r["channel"]) for r in records).items())),
        **{
            f"{layer}_spans": dict(sorted(Counter(s["label"] for r in records for s in r[layer]).items()))
            for layer in LAYERS
        },
        "without_entities": sum(not r["phi"] and not r["insurance"] for r in records),
    }
