"""Text keys shared by the pipelines' dataset code. Dagster-free."""

from __future__ import annotations

import re

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, punctuation removed, whitespace collapsed: the key of an exact duplicate."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower())).strip()
