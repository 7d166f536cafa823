"""Blocking validators for FedProc records. Each returns the sorted ids of the offending records ([] =
pass)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from fedproc_pipeline.dataset.clauses import CLAUSE_LABEL, canonical_number
from fedproc_pipeline.dataset.labels import NAICS_SECTORS, NOTICE_TYPES, SET_ASIDES
from fedproc_pipeline.dataset.records import TASKS
from slmkit.spans import validate_spans


def _label_ok(task: str, value: Any) -> bool:
    if task == "notice_type":
        return value in NOTICE_TYPES
    if task == "naics_sector":
        return value in NAICS_SECTORS
    if task == "set_asides":
        return (
            isinstance(value, list) and all(v in SET_ASIDES for v in value) and len(set(value)) == len(value)
        )
    return isinstance(value, list)


def check_task_mask(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """A masked-off task has a null label; a masked-on task has a label from its vocabulary (``[]`` counts as
    a label for the list tasks); the mask is 4 booleans."""
    bad = set()
    for r in records:
        mask = r.get("task_mask")
        if not (
            isinstance(mask, list | tuple)
            and len(mask) == len(TASKS)
            and all(isinstance(m, bool) for m in mask)
        ):
            bad.add(str(r.get("id")))
            continue
        for on, task in zip(mask, TASKS, strict=True):
            value = r.get(task)
            if (not on and value is not None) or (on and not _label_ok(task, value)):
                bad.add(str(r.get("id")))
    return sorted(bad)


def check_spans_align(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Spans are valid over the text (slmkit ``validate_spans``: in range, non-empty, no overlap, label
    CLAUSE) and ``text[start:end]`` canonicalises to the span's ``number``."""
    bad = set()
    for r in records:
        spans = r.get("clause_spans") or []
        text = str(r.get("text") or "")
        if validate_spans(text, spans, [CLAUSE_LABEL]) or any(
            canonical_number(text[s["start"] : s["end"]]) != s.get("number")
            or text[s["start"] : s["end"]] != text[s["start"] : s["end"]].strip()
            for s in spans
        ):
            bad.add(str(r.get("id")))
    return sorted(bad)


def check_registry_numbers(records: Iterable[Mapping[str, Any]], registry_numbers: set[str]) -> list[str]:
    """Every gold clause number exists in the registry."""
    return sorted(
        str(r.get("id"))
        for r in records
        if any(s.get("number") not in registry_numbers for s in r.get("clause_spans") or [])
    )


def check_doc_leakage(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Records whose document appears in more than one split, or that have no split."""
    rows = list(records)
    splits: dict[str, set[Any]] = defaultdict(set)
    for r in rows:
        splits[str(r.get("doc_id"))].add(r.get("split"))
    return sorted(
        str(r.get("id")) for r in rows if r.get("split") is None or len(splits[str(r.get("doc_id"))]) > 1
    )


def run_checks(records: Iterable[Mapping[str, Any]], registry_numbers: set[str]) -> dict[str, list[str]]:
    """All four checks by name; ``check_doc_leakage`` is meaningful only after splitting."""
    rows = list(records)
    return {
        "task_mask": check_task_mask(rows),
        "spans_align": check_spans_align(rows),
        "registry_numbers": check_registry_numbers(rows, registry_numbers),
        "doc_leakage": check_doc_leakage(rows),
    }
