"""Task 4: spans of FAR (``52.2xx-x``) and DFARS (``252.2xx-7xxx``) clause citations in free text.

A span covers the canonical clause number only, as written in the text: ``FAR 52.212-5(b)(16)`` → the span is
``52.212-5``; ``DFARS 252.204-7012`` → ``252.204-7012``; ``52.204–30`` (en dash) → the span covers the en-dash
form and ``number`` is ``52.204-30``. A trailing ``Alternate II``, paragraph references and the
``FAR``/``DFARS`` prefix are never part of the span. ``(?<![\\d.])`` keeps ``252.204-7012`` from also yielding
``52.204-7012``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
