"""Realism statistics for a batch of intake messages (what the dataset checks compare with the target mix)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from clarioscope_pipeline.generation.families import ABBREVIATIONS

_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|dear|greetings|good (morning|afternoon|evening)|yes hello|to whom)\b",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(
    "|".join(
        rf"(?<![\w/&]){re.escape(abbr)}(?![\w/&])"
        for abbr in sorted({a for pairs in ABBREVIATIONS.values() for _, a in pairs}, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
# An ALL CAPS run: three or more consecutive fully upper-case words of two or more letters.
_CAPS_RUN = re.compile(r"\b[A-Z]{2,}(?:[\s,!]+[A-Z]{2,}){2,}\b")


class _HasTextAndStyle(Protocol):
    text: str
    style: str


def has_abbreviation(text: str) -> bool:
    return _ABBREVIATION.search(text) is not None


def has_caps_run(text: str) -> bool:
    return _CAPS_RUN.search(text) is not None


def realism_stats(messages: Sequence[_HasTextAndStyle]) -> dict[str, object]:
    """Shares (0..1) of: greetingless openers, messages using an abbreviation (either family's list), messages
    without terminal punctuation, messages with an ALL CAPS word run; and the style mix."""
    n = len(messages)
    if n == 0:
        return {"n": 0}
    styles = Counter(m.style for m in messages)
    return {
        "n": n,
        "greetingless_share": sum(not _GREETING.match(m.text) for m in messages) / n,
        "abbreviation_share": sum(has_abbreviation(m.text) for m in messages) / n,
        "no_terminal_punctuation_share": sum(not m.text.rstrip().endswith((".", "!", "?")) for m in messages)
        / n,
        "all_caps_share": sum(has_caps_run(m.text) for m in messages) / n,
        "style_shares": {s: styles.get(s, 0) / n for s in ("polished", "casual", "messy")},
    }
