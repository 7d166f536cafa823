"""What a notice states outright, which decides over the model (``source: stated``; see
``docs/labelling_fedproc.md``). Today: the NAICS code written in the text decides the sector."""

from __future__ import annotations

import re

from fedproc_pipeline.dataset.labels import naics_sector

# "NAICS 541330", "NAICS code: 236220", "(NAICS) code for this requirement is 332911", "under NAICS 561720".
_NAICS_RE = re.compile(
    r"\b(?:NAICS|North American Industry Classification System)\b[^\n\d]{0,48}?(?<!\d)(\d{6})(?!\d)", re.I
)


def stated_naics(text: str) -> str | None:
    """The first valid 6-digit NAICS code the text writes after the word NAICS (the primary code is
    written first), else ``None``."""
    for match in _NAICS_RE.finditer(text):
        if naics_sector(match.group(1)) is not None:
            return match.group(1)
    return None
