"""Cue-word cleaning of entity spans. Dagster-free.

Generators often put the cue word into the entity: ``"MRN 8472301"`` instead of ``"8472301"``, ``"copay $35"``
instead of ``"$35"``, ``"$35 copay"``. :func:`clean_span` strips such cues (and the separators after a leading
cue: ``:``, ``#``, ``no.``, ``number``, ``-``, …) from the edges of a span and moves its offsets onto what is
left; :func:`contamination_rate` measures what is left over for the blocking check.

The cue list is data: ``slmkit/data/cue_words.json`` (see its ``_comment``), per label a ``leading`` and a
``trailing`` list of phrases, plus ``generic`` cues (``id``, ``number``, ``ref``, …) for the identifier
labels. Matching is case-insensitive, on whole words (``"AUTH998212"`` does not start with the cue
``auth``), a space in a phrase matches any whitespace run. Only what the lists name is removed: natural
prefixes such as the ``(`` of ``"(617) 555-1234"`` or the ``$`` of ``"$35"`` are not separators and stay;
titles (``Dr.``, ``Mrs.``) are not NAME cues and stay. A cue joined to the value by a bare hyphen
(``"CLM-4411"``, ``"MRN-8472301"``) is read as part of the identifier, not as a cue. Whitespace at either
edge of a span is trimmed too (counted as a change).

A cleaned span keeps its extra keys; when it carries ``text``, that is updated. A span whose value cannot be
located — offsets out of range, nothing but cues left, or (when ``span["text"]`` disagrees with the
offsets) the cleaned ``text`` not found inside ``text[start:end]`` — is dropped (:func:`clean_span` returns
``None``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

_ALNUM_AHEAD = r"(?![^\W_])"
_ALNUM_BEHIND = r"(?<![^\W_])"
# "CLM-4411", "MRN-8472301": a cue joined to the value by a bare hyphen is part of the identifier's format;
# joined by a dot, of a host name ("portal.smithhealth.org").
_NOT_ID_PREFIX = r"(?![-–.][^\W_])"
_HAS_ALNUM = re.compile(r"[^\W_]")
_TRAILING_GAP = " \t\r\n:,;-–"
_TRAILING_PUNCTUATION = ",;:!?"
_LEADING_PUNCTUATION = ",;:"  # not "(": it belongs to "(617) 555-1234"


def _phrase(phrase: str) -> str:
    """Regex for one cue phrase: whitespace runs flexible, apostrophes either form, whole word at the end."""
    parts: list[str] = []
    for ch in phrase.strip().lower():
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in "'’":
            parts.append("['’]")
        else:
            parts.append(re.escape(ch))
    pattern = "".join(parts)
    return pattern + _ALNUM_AHEAD if phrase.strip()[-1:].isalnum() else pattern


def _alternation(phrases: Iterable[str]) -> str:
    unique = sorted({p.strip().lower() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return "|".join(_phrase(p) for p in unique)


@dataclass(frozen=True)
class _LabelCues:
    leading: re.Pattern[str] | None
    trailing: re.Pattern[str] | None


class CueWords:
    """A compiled cue list (see the module docstring for the JSON layout)."""

    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        seps = sorted(
            {s.strip().lower() for s in data.get("separators", []) if s.strip()}, key=len, reverse=True
        )
        sep_alt = "|".join(_phrase(s) for s in seps)
        self._separators = re.compile(rf"(?:\s+|{sep_alt})*" if sep_alt else r"\s*", re.IGNORECASE)
        generic = data.get("generic", {})
        generic_labels = set(generic.get("labels", []))
        self._labels: dict[str, _LabelCues] = {}
        for label, cues in data.get("labels", {}).items():
            leading = list(cues.get("leading", []))
            trailing = list(cues.get("trailing", []))
            if label in generic_labels:
                leading += generic.get("leading", [])
                trailing += generic.get("trailing", [])
            self._labels[label] = _LabelCues(
                re.compile(rf"(?:{_alternation(leading)}){_NOT_ID_PREFIX}", re.IGNORECASE)
                if leading
                else None,
                re.compile(rf"{_ALNUM_BEHIND}(?:{_alternation(trailing)})[\s.,;:!?]*$", re.IGNORECASE)
                if trailing
                else None,
            )
        self._none = _LabelCues(None, None)

    @classmethod
    def from_file(cls, path: str | Path) -> CueWords:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def labels(self) -> list[str]:
        return sorted(self._labels)

    def _cues(self, label: str) -> _LabelCues:
        return self._labels.get(label, self._none)

    def strip(self, label: str, value: str) -> tuple[int, int]:
        """``(lo, hi)``: ``value[lo:hi]`` is ``value`` without edge cues, surrounding whitespace, leading
        ``,;:``, trailing ``,;:!?`` (docs/labelling.md; a final "." stays: "Dr.", "St.", "Jr.") and an edge
        bracket the value does not pair."""
        cues = self._cues(label)
        lo, hi = 0, len(value)
        while True:
            before = (lo, hi)
            while lo < hi and (value[lo].isspace() or value[lo] in _LEADING_PUNCTUATION):
                lo += 1
            while hi > lo and (value[hi - 1].isspace() or value[hi - 1] in _TRAILING_PUNCTUATION):
                hi -= 1
            # a bracket the value does not close or open is the sentence's: "Evelyn Marsh (my mother)"
            if hi > lo and (value[hi - 1] == "(" or (value[hi - 1] == ")" and "(" not in value[lo:hi])):
                hi -= 1
            if hi > lo and value[lo] == "(" and ")" not in value[lo:hi]:
                lo += 1
            if cues.leading is not None and (m := cues.leading.match(value[lo:hi])):
                sep = self._separators.match(value[lo:hi], m.end())
                lo += sep.end() if sep else m.end()
            if cues.trailing is not None and (m := cues.trailing.search(value[lo:hi])):
                hi = lo + m.start()
                while hi > lo and value[hi - 1] in _TRAILING_GAP:
                    hi -= 1
            if (lo, hi) == before:
                return lo, hi

    def clean(self, label: str, value: str) -> str:
        lo, hi = self.strip(label, value)
        return value[lo:hi]

    def edge_cue(self, label: str, value: str) -> str | None:
        """The cue ``value`` starts or ends with (whitespace aside), or ``None`` when it is clean."""
        cues = self._cues(label)
        v = value.strip()
        if cues.leading is not None and (m := cues.leading.match(v)):
            return m.group(0)
        if cues.trailing is not None and (m := cues.trailing.search(v)):
            return m.group(0).rstrip(" .,;:!?")
        return None


@lru_cache(maxsize=1)
def default_cue_words() -> CueWords:
    """The packaged list, ``slmkit/data/cue_words.json``."""
    ref = resources.files("slmkit").joinpath("data/cue_words.json")
    return CueWords(json.loads(ref.read_text(encoding="utf-8")))


def clean_span(text: str, span: Mapping[str, Any], cues: CueWords | None = None) -> dict[str, Any] | None:
    """The span without cue words at its edges, re-located in ``text``; ``None`` when it cannot be located.

    Returns a new dict (all extra keys kept; ``text`` updated when present). A span that needs no change comes
    back equal to the input.
    """
    cues = cues or default_cue_words()
    start, end, label = span.get("start"), span.get("end"), str(span.get("label"))
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return None
    window = text[start:end]
    given = span.get("text")
    if given is None or given == window:
        lo, hi = cues.strip(label, window)
    else:
        value = cues.clean(label, str(given))
        if not value:
            return None
        lo = window.find(value)
        if lo < 0:
            return None
        hi = lo + len(value)
    if hi <= lo or not _HAS_ALNUM.search(window, lo, hi):
        return None
    out = dict(span)
    out["start"], out["end"] = start + lo, start + hi
    if "text" in out:
        out["text"] = text[out["start"] : out["end"]]
    return out


@dataclass
class CleanReport:
    """Counts of one cleaning pass, per label. ``add`` merges reports (e.g. over the records of a dataset)."""

    total: int = 0
    changed: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    def add(self, other: CleanReport) -> CleanReport:
        self.total += other.total
        self.changed.update(other.changed)
        self.dropped.update(other.dropped)
        return self

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"total", "changed", "dropped", "changed_by_label", "dropped_by_label"}``."""
        return {
            "total": self.total,
            "changed": sum(self.changed.values()),
            "dropped": sum(self.dropped.values()),
            "changed_by_label": dict(sorted(self.changed.items())),
            "dropped_by_label": dict(sorted(self.dropped.items())),
        }


def clean_spans(
    text: str, spans: Iterable[Mapping[str, Any]], cues: CueWords | None = None
) -> tuple[list[dict[str, Any]], CleanReport]:
    """Clean every span of one text: the kept spans (in input order) and a :class:`CleanReport`."""
    cues = cues or default_cue_words()
    report = CleanReport()
    kept: list[dict[str, Any]] = []
    for span in spans:
        report.total += 1
        label = str(span.get("label"))
        cleaned = clean_span(text, span, cues)
        if cleaned is None:
            report.dropped[label] += 1
            continue
        if cleaned != dict(span):
            report.changed[label] += 1
        kept.append(cleaned)
    return kept, report


def contaminated_spans(
    records: Iterable[Mapping[str, Any]], cues: CueWords | None = None
) -> tuple[int, list[tuple[int, dict[str, Any], str]]]:
    """``(number of spans, [(record index, span, cue), …])``: spans whose value starts/ends with a cue.

    A record is a mapping with ``text`` and ``spans``; a span's value is ``text[start:end]`` (or its own
    ``text`` when the offsets are out of range).
    """
    cues = cues or default_cue_words()
    total = 0
    hits: list[tuple[int, dict[str, Any], str]] = []
    for i, record in enumerate(records):
        text = str(record.get("text", ""))
        for span in record.get("spans") or []:
            total += 1
            start, end = span.get("start"), span.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                value = text[start:end]
            else:
                value = str(span.get("text", ""))
            cue = cues.edge_cue(str(span.get("label")), value)
            if cue is not None:
                hits.append((i, dict(span), cue))
    return total, hits


def contamination_rate(records: Iterable[Mapping[str, Any]], cues: CueWords | None = None) -> float:
    """Share of spans whose value still starts or ends with a cue word (0.0 when there are no spans).

    The blocking check of the datasets requires this to be ≤ 0.005 after cleaning.
    """
    total, hits = contaminated_spans(records, cues)
    return len(hits) / total if total else 0.0
