"""Task 4: spans of FAR (``52.2xx-x``) and DFARS (``252.2xx-7xxx``) clause citations in free text.

A span covers the canonical clause number only, as written in the text: ``FAR 52.212-5(b)(16)`` → the span is
``52.212-5``; ``DFARS 252.204-7012`` → ``252.204-7012``; ``52.204–30`` (en dash) → the span covers the en-dash
form and ``number`` is ``52.204-30``. A trailing ``Alternate II``, paragraph references and the
``FAR``/``DFARS`` prefix are never part of the span. ``(?<![\\d.])`` keeps ``252.204-7012`` from also yielding
``52.204-7012``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Literal

CLAUSE_LABEL = "CLAUSE"

# Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
_CLAUSE_RE = re.compile(
    rf"(?<![\d.])(?:(?P<dfars>252\.2\d\d[{_DASHES}]7\d{{3}})|(?P<far>52\.2\d\d[{_DASHES}]\d{{1,3}}))(?!\d)(?![{_DASHES}]\d)"
)
_DASH_RE = re.compile(f"[{_DASHES}]")


def canonical_number(text: str) -> str:
    """The clause number with every dash variant as ``-`` and surrounding whitespace removed."""
    return _DASH_RE.sub("-", text.strip())


def registry_number_set(registry_records: Iterable[Mapping[str, Any]]) -> set[str]:
    """Clause numbers a gold span may carry: every registry section that is not ``[Reserved]``."""
    return {str(r["number"]) for r in registry_records if not r.get("reserved")}


def find_clause_spans(
    text: str,
    registry_numbers: set[str] | None = None,
    *,
    unknown: Literal["mark", "drop"] = "mark",
) -> list[dict[str, Any]]:
    """Every FAR/DFARS clause citation in ``text``, in order, as ``{start, end, label, number}``.

    With ``registry_numbers``, a number absent from it is either kept with ``"in_registry": False``
    (``unknown= "mark"``; numbers found get ``"in_registry": True``) or left out (``unknown="drop"``). Without
    it, every citation is returned and no ``in_registry`` key is added.
    """
    spans: list[dict[str, Any]] = []
    for match in _CLAUSE_RE.finditer(text):
        start, end = match.span()
        span: dict[str, Any] = {
            "start": start,
            "end": end,
            "label": CLAUSE_LABEL,
            "number": canonical_number(match.group()),
        }
        if registry_numbers is not None:
            known = span["number"] in registry_numbers
            if not known and unknown == "drop":
                continue
            span["in_registry"] = known
        spans.append(span)
    return spans


# --- Citations as documents break them (PDF text extraction, OCR, shorthand lists) ------------------------
#
# A tolerant pattern finds candidates; each is canonicalised and kept only if the registry holds it, so the
# tolerance never invents a number. Tolerated: a line break (with its indent) inside the number, one space
# around the dot or the dash, a comma for the dot, OCR letters for digits (O/o→0, I/l/|→1, S→5, B→8) and any
# dash. The suffix tolerates line breaks only: "52.204-7 10" is a number and a count, not 52.204-710.
_OCR_DIGITS = str.maketrans("OoIl|SB", "0011158")
_D = "[0-9OoIl|SB]"
_GAP = r"[ \t]?(?:\r?\n[ \t]*)?"
_LINE = r"(?:\r?\n[ \t]*)?"
_SEP = rf"{_GAP}[.,]{_GAP}"
_DASH = rf"{_GAP}[{_DASHES}]{_GAP}"
# A letter may touch the number ("DFARS252.227-7025"); a digit, dot or comma may not.
_NOISY_RE = re.compile(
    rf"(?<![\d.,])(?:"
    rf"2{_GAP}[5S]{_GAP}2{_SEP}2{_GAP}{_D}{_GAP}{_D}{_DASH}7(?:{_LINE}{_D}){{3}}"
    rf"|[5S]{_GAP}2{_SEP}2{_GAP}{_D}{_GAP}{_D}{_DASH}{_D}(?:{_LINE}{_D}){{0,2}}"
    rf")(?![0-9])"
)
# After a citation: more numbers of its subpart named by their suffix ("52.222-35, -36 and -37",
# "252.204-7019/-7020"), or a range ("52.222-50 through -54", "52.204-7 thru 52.204-10"). After "to" the
# upper bound needs its dash or its full number ("52.212-4 to 5 days" is no range).
_LIST_NEXT = re.compile(
    rf"\s{{0,3}}(?:,\s{{0,3}}(?:and|or|&)?|and|or|&|/)\s{{0,3}}"
    rf"(?P<upper>[{_DASHES}][ \t]?(?P<suffix>\d{{1,4}}))(?![\w.])"
)
_RANGE_NEXT = re.compile(
    rf"\s{{0,3}}(?P<word>through|thru|to)\s{{1,3}}(?:(?:FAR|DFARS)\s+)?"
    rf"(?P<upper>(?:(?P<full>2?52\.2\d\d)[{_DASHES}]|(?P<dash>[{_DASHES}])[ \t]?)?"
    rf"(?P<suffix>\d{{1,4}}))(?![\w.])",
    re.I,
)
_MAX_RANGE = 30


def noisy_number(raw: str) -> str:
    """Canonical form of a tolerant match: gaps out, OCR letters to digits, comma to dot, dash to ``-``."""
    return re.sub(r"\s+", "", _DASH_RE.sub("-", raw)).translate(_OCR_DIGITS).replace(",", ".")


def _readings(raw: str) -> list[str]:
    """A match and its shorter readings where the suffix runs over line breaks, longest first
    ("52.204-7\\n10" → itself, then "52.204-7"): a number at a line's end followed by a count or a page."""
    head, dash, suffix = re.split(f"([{_DASHES}])", raw, maxsplit=1)
    cuts = [m.start() for m in re.finditer(r"\r?\n", suffix)]
    return [raw] + [head + dash + suffix[:cut] for cut in reversed(cuts)]


def find_clause_citations(text: str, registry_numbers: Collection[str]) -> list[dict[str, Any]]:
    """Every registry clause the text cites, the way broken PDF/OCR text and shorthand lists write them:
    ``{start, end, number, form}`` in order of ``start``, ``text[start:end]`` the characters that name the
    number, ``form`` one of ``plain`` (what :func:`find_clause_spans` reads), ``noisy`` (read through line
    breaks, spaces, commas, OCR letters) or ``shorthand`` (named by its suffix after another number, or inside
    a range; a number strictly inside a range spans the whole range). A number absent from
    ``registry_numbers`` is never returned."""
    out: list[dict[str, Any]] = []
    for match in _NOISY_RE.finditer(text):
        reading = next((r for r in _readings(match.group()) if noisy_number(r) in registry_numbers), None)
        if reading is None:
            continue
        start, end, number = match.start(), match.start() + len(reading), noisy_number(reading)
        plain = _CLAUSE_RE.fullmatch(reading) is not None
        out.append({"start": start, "end": end, "number": number, "form": "plain" if plain else "noisy"})
        out += _shorthand_after(text, start, end, number, registry_numbers)
    return sorted(out, key=lambda c: (c["start"], c["end"]))


def _shorthand_after(
    text: str, first: int, end: int, number: str, registry_numbers: Collection[str]
) -> list[dict[str, Any]]:
    prefix, last = number.rsplit("-", 1)
    found: list[dict[str, Any]] = []
    while step := _RANGE_NEXT.match(text, end) or _LIST_NEXT.match(text, end):
        upper = int(step.group("suffix"))
        if "word" in step.re.groupindex:  # a range
            full = step.group("full")
            if (full and full != prefix) or (
                step.group("word").lower() == "to" and not (full or step.group("dash"))
            ):
                break
            if not 0 < upper - int(last) <= _MAX_RANGE:
                break
            found += [
                {"start": first, "end": step.end(), "number": f"{prefix}-{value}", "form": "shorthand"}
                for value in range(int(last) + 1, upper)
                if f"{prefix}-{value}" in registry_numbers
            ]
        # A full upper bound ("thru 52.204-10") is a citation of its own: the main pattern finds it.
        if f"{prefix}-{upper}" in registry_numbers and not step.groupdict().get("full"):
            found.append(
                {
                    "start": step.start("upper"),
                    "end": step.end(),
                    "number": f"{prefix}-{upper}",
                    "form": "shorthand",
                }
            )
        last, end = str(upper), step.end()
    return found
