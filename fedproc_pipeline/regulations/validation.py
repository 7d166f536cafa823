"""Checks on parsed regulation records, free of Dagster so the asset checks stay thin.

Each ``*_numbers``/``*_texts`` function returns the offending section numbers; empty means pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from fedproc_pipeline.regulations.parser import CLAUSE_NUMBER_PATTERNS

# A full part has ~690 FAR / ~450 DFARS sections; far fewer means a truncated download or parse.
MIN_SECTIONS = {"52": 600, "252": 400}

_PATTERNS = {part: re.compile(pattern) for part, pattern in CLAUSE_NUMBER_PATTERNS.items()}

Records = Iterable[Mapping[str, Any]]


def bad_numbers(records: Records) -> list[str]:
    """Numbers that do not match their part's pattern (an unknown part is never well formed)."""
    bad = []
    for record in records:
        pattern = _PATTERNS.get(record.get("part") or "")
        if pattern is None or not pattern.match(record.get("number") or ""):
            bad.append(record.get("number") or "")
    return bad


def duplicate_numbers(records: Records) -> list[str]:
    """Each number that occurs more than once, listed once, in order of first occurrence."""
    counts = Counter(record["number"] for record in records)
    return [number for number, count in counts.items() if count > 1]


def empty_texts(records: Records) -> list[str]:
    """Non-reserved sections whose text is missing or blank."""
    return [r["number"] for r in records if not r.get("reserved") and not (r.get("text") or "").strip()]


def part_counts(records: Records) -> dict[str, int]:
    return dict(Counter(record["part"] for record in records))
