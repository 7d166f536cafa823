"""Texts → overlapping token windows, and window outputs → per-text results.

Long texts are never truncated: the tokenizer's own overflow (``return_overflowing_tokens`` with a
``stride``) cuts each text into windows of ``max_length`` tokens that share ``stride`` tokens with the
next, so an entity near the end of a 5,000-character message is still seen.

Words are the tokenizer's pre-tokenizer words (``word_ids()``), located by character offsets. A token
label sits on the *first sub-token* of each word; other sub-tokens, special tokens and a word's
continuation at the start of a window get ``-100`` (ignored by the loss), as in Hugging Face
``run_ner.py``. At inference a word seen in two windows gets the mean of its probabilities in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from slmkit.spans import Offsets, Span, bio_to_spans, complete_words, spans_to_bio

IGNORE = -100


@dataclass(frozen=True)
class WindowSettings:
    max_length: int = 128
    stride: int = 32
    """Tokens each window shares with the next one."""


@dataclass
class EncodedTexts:
    """Every window of every text, and how windows map back to texts and words."""

    windows: list[dict[str, list[int]]]
    sample_of_window: list[int]
    word_at_token: list[list[int | None]]
    """Per window, per token: the word index where this token is the word's first sub-token, else None."""
    word_offsets: list[list[Offsets]] = field(default_factory=list)
    """Per text: character offsets of its words, in order."""

    def __len__(self) -> int:
        return len(self.windows)


def encode(tokenizer: Any, texts: Sequence[str], settings: WindowSettings) -> EncodedTexts:
    """Tokenize ``texts`` (a fast tokenizer is required: offsets and word ids) into windows."""
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError("a fast tokenizer is required (character offsets and word ids)")
    if not texts:
        return EncodedTexts([], [], [], [])
    enc = tokenizer(
        list(texts),
        truncation=True,
        max_length=settings.max_length,
        stride=settings.stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
    samples: list[int] = list(enc["overflow_to_sample_mapping"])
    offsets = [
        [_strip(texts[sample], start, end) for start, end in enc["offset_mapping"][w]]
        for w, sample in enumerate(samples)
    ]
    spans: list[dict[int, list[int]]] = [{} for _ in texts]
    for w, sample in enumerate(samples):
        for word, (start, end) in zip(enc.word_ids(w), offsets[w], strict=True):
            if word is None or end <= start:
                continue
            bounds = spans[sample].setdefault(word, [start, end])
            bounds[0], bounds[1] = min(bounds[0], start), max(bounds[1], end)
    word_offsets = [[(b[0], b[1]) for _, b in sorted(s.items())] for s in spans]
    index_of = [{word: i for i, word in enumerate(sorted(s))} for s in spans]
    word_at_token: list[list[int | None]] = []
    for w, sample in enumerate(samples):
        row: list[int | None] = []
        for word, (start, end) in zip(enc.word_ids(w), offsets[w], strict=True):
            first = word is not None and end > start and start == spans[sample][word][0]
            row.append(index_of[sample][word] if first else None)
        word_at_token.append(row)
    windows = [{k: list(enc[k][w]) for k in keys} for w in range(len(samples))]
    return EncodedTexts(windows, samples, word_at_token, word_offsets)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Token offsets without surrounding whitespace: byte-level BPE tokenizers (ModernBERT, GPT-2 style)
    may count the space before a word as part of it, which would put spans on the space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_tags(
    encoded: EncodedTexts, texts: Sequence[str], spans: Sequence[Sequence[Mapping[str, Any]]]
) -> list[list[str]]:
    """Gold IOB2 tags of every word of every text (a span boundary inside a word takes the whole word)."""
    return [
        spans_to_bio(text, list(text_spans), offsets)
        for text, text_spans, offsets in zip(texts, spans, encoded.word_offsets, strict=True)
    ]


def token_labels(
    encoded: EncodedTexts, tags: Sequence[Sequence[str]], tag_ids: Mapping[str, int]
) -> list[list[int]]:
    """Per window: the tag id on each word's first sub-token, ``IGNORE`` elsewhere."""
    return [
        [IGNORE if word is None else tag_ids[tags[sample][word]] for word in row]
        for sample, row in zip(encoded.sample_of_window, encoded.word_at_token, strict=True)
    ]


def pool_windows(encoded: EncodedTexts, window_values: np.ndarray, how: str = "mean") -> np.ndarray:
    """Per-window vectors (``[windows, C]``) pooled per text (``[texts, C]``): ``mean`` for one label per
    text; ``max`` for independent labels, where one window that mentions a label is enough."""
    n = len(encoded.word_offsets)
    if how == "max":
        out = np.zeros((n, window_values.shape[1]), dtype=np.float64)
        for w, sample in enumerate(encoded.sample_of_window):
            out[sample] = np.maximum(out[sample], window_values[w])
        return out
    total = np.zeros((n, window_values.shape[1]), dtype=np.float64)
    count = np.zeros(n)
    for w, sample in enumerate(encoded.sample_of_window):
        total[sample] += window_values[w]
        count[sample] += 1
    return total / np.maximum(count, 1)[:, None]


def word_probabilities(encoded: EncodedTexts, token_probs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Per text ``[words, C]``: each word's first-sub-token probabilities, averaged over the windows it
    appears in. ``token_probs[w]`` is ``[tokens of window w, C]``."""
    classes = token_probs[0].shape[-1] if len(token_probs) else 0
    total = [np.zeros((len(o), classes)) for o in encoded.word_offsets]
    count = [np.zeros(len(o)) for o in encoded.word_offsets]
    for w, sample in enumerate(encoded.sample_of_window):
        for t, word in enumerate(encoded.word_at_token[w]):
            if word is not None:
                total[sample][word] += token_probs[w][t]
                count[sample][word] += 1
    return [t / np.maximum(c, 1)[:, None] for t, c in zip(total, count, strict=True)]


def repair_iob2(tags: Sequence[str]) -> list[str]:
    """Model output made valid IOB2: an ``I-X`` that does not continue an ``X`` entity starts one
    (``B-X``), so a confident entity whose first word was mis-tagged is not thrown away."""
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1] == "O" or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def decode_spans(
    text: str, offsets: Sequence[Offsets], probs: np.ndarray, id_to_tag: Sequence[str]
) -> list[Span]:
    """Character spans from word probabilities; each span's ``score`` is the mean probability of its
    words' tags."""
    if not len(offsets):
        return []
    best = probs.argmax(axis=1)
    tags = repair_iob2([id_to_tag[i] for i in best])
    spans = bio_to_spans(tags, offsets, text)
    confidence = probs[np.arange(len(best)), best]
    starts = {start: i for i, (start, _) in enumerate(offsets)}
    for span in spans:
        first = starts[span["start"]]
        last = first
        while last + 1 < len(offsets) and offsets[last + 1][1] <= span["end"]:
            last += 1
        span["score"] = round(float(confidence[first : last + 1].mean()), 4)  # type: ignore[typeddict-unknown-key]
    return complete_words(text, spans)  # type: ignore[return-value]
