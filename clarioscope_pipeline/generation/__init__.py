"""Offline ClarioScope message generation. Dagster-free.

``generate_messages`` is the local, deterministic-by-seed generator (family ``A`` stands in for the
training generator, family ``B`` for the held-out test generator); ``realism_stats`` measures how
real-looking a batch is.
"""

from __future__ import annotations

from clarioscope_pipeline.generation.families import ABBREVIATIONS, CUE_WORDS, FAMILIES
from clarioscope_pipeline.generation.local import (
    CHANNELS,
    STYLES,
    Message,
    Span,
    generate_messages,
)
from clarioscope_pipeline.generation.realism import realism_stats

__all__ = [
    "ABBREVIATIONS",
    "CHANNELS",
    "CUE_WORDS",
    "FAMILIES",
    "STYLES",
    "Message",
    "Span",
    "generate_messages",
    "realism_stats",
]
