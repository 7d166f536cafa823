"""Character-offset entity spans: validation, IOB2 tagging and its inverse. Dagster-free.

A span is a mapping ``{"start": int, "end": int, "label": str}`` with ``text[start:end]`` the entity
(``end`` exclusive). Extra keys (``text``, ``number``, ``score``, ``source``, …) are allowed and preserved by
every function here that returns spans. When a span carries ``text``, it must equal ``text[start:end]``.

Tagging conventions (strict IOB2, as ``seqeval`` with ``mode="strict", scheme=IOB2`` reads them):

- :func:`spans_to_bio` — a token is ``B-X`` if it is the first token that overlaps span X, ``I-X`` if it
  overlaps span X after its first token, ``O`` otherwise. Tokens with empty offsets (``start == end``, e.g.
  the ``(0, 0)`` of special tokens in a Hugging Face offset mapping) are always ``O``; the caller masks them.
- A span boundary that falls *inside* a token (the span covers part of the token only) is handled by
  ``misaligned=``: ``"expand"`` (default) tags the whole token, so the span grows to token boundaries when
  it is read back; ``"drop"`` leaves every token of such a span ``O``; ``"raise"`` raises :class:`ValueError`.
  :func:`misaligned_spans` lists the affected spans beforehand, e.g. for a metadata count.
- Two spans that overlap the same token: the token goes to the span that starts first; a span left with no
  token of its own is lost (it cannot be expressed in IOB2) and is reported by :func:`misaligned_spans` too.
- :func:`bio_to_spans` — an entity starts at ``B-X`` and continues over following ``I-X`` tokens of the
  same type. An ``I-X`` that does not follow ``B-X``/``I-X`` (after ``O``, at the start, or after another
  type) starts nothing: it and the ``I-X`` tokens that continue it are ignored, as in seqeval's strict
  mode. Adjacent entities of the same type are written ``B-X B-X``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

Offsets = tuple[int, int]


class Span(TypedDict):
    """An entity span; extra keys beyond these are allowed at run time and preserved."""

    start: int
    end: int
    label: str
    text: NotRequired[str]


_TOKEN_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def whitespace_tokens(text: str) -> list[Offsets]:
    """Word tokens as ``(start, end)`` character offsets: runs of word characters, each other non-space
    character on its own (``"MRN: 847-23"`` → ``MRN``, ``:``, ``847``, ``-``, ``23``)."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def span_text(text: str, span: Mapping[str, Any]) -> str:
    return text[int(span["start"]) : int(span["end"])]


def validate_spans(
    text: str, spans: Iterable[Mapping[str, Any]], labels: Iterable[str] | None = None
) -> list[str]:
    """Every problem with ``spans`` over ``text``, as readable strings (empty list = valid).

    Checked: start/end present and integers, ``0 <= start < end <= len(text)`` (out of range, empty or
    reversed), label known (when ``labels`` is given), ``span["text"] == text[start:end]`` when the span
    carries its text, and no two spans overlapping (identical duplicates count as overlapping).
    """
    known = set(labels) if labels is not None else None
    problems: list[str] = []
    good: list[tuple[int, int, int]] = []
    for i, span in enumerate(spans):
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        where = f"span {i} ({label!r} {start}:{end})"
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
            problems.append(f"{where}: start/end missing or not integers")
            continue
        if known is not None and label not in known:
            problems.append(f"{where}: unknown label {label!r}")
        if start < 0 or end > len(text):
            problems.append(f"{where}: out of range for a text of {len(text)} characters")
            continue
        if end <= start:
            problems.append(f"{where}: empty or reversed")
            continue
        if "text" in span and span["text"] != text[start:end]:
            # Offsets only: the values may be PHI, and problems end up in check metadata.
            problems.append(f"{where}: stored text differs from text[start:end]")
        good.append((start, end, i))
    good.sort()
    reach: tuple[int, int, int] | None = None  # the span reaching furthest right so far
    for s2, e2, i2 in good:
        if reach is not None and s2 < reach[1]:
            s1, e1, i1 = reach
            problems.append(f"spans {i1} ({s1}:{e1}) and {i2} ({s2}:{e2}) overlap")
        if reach is None or e2 > reach[1]:
            reach = (s2, e2, i2)
    return problems


def _assign(spans: Sequence[Mapping[str, Any]], offsets: Sequence[Offsets]) -> list[int | None]:
    """For each token, the index of the span it belongs to (the first-starting span it overlaps)."""
    order = sorted(range(len(spans)), key=lambda i: (int(spans[i]["start"]), int(spans[i]["end"])))
    owner: list[int | None] = []
    for ts, te in offsets:
        found = None
        if te > ts:
            for i in order:
                s, e = int(spans[i]["start"]), int(spans[i]["end"])
                if s >= te:
                    break
                if e > ts and s < te:
                    found = i
                    break
        owner.append(found)
    return owner


def misaligned_spans(spans: Sequence[Mapping[str, Any]], offsets: Sequence[Offsets]) -> list[tuple[int, str]]:
    """Spans that IOB2 over these tokens cannot express exactly: ``(span index, reason)``.

    Reasons: ``"boundary inside a token"`` (start or end falls strictly inside a token, or off the first/last
    token it covers, e.g. a span with leading whitespace) and ``"no token"`` (the span overlaps no token it
    owns: whitespace only, or shares its only tokens with an earlier span).
    """
    owner = _assign(spans, offsets)
    out: list[tuple[int, str]] = []
    for i, span in enumerate(spans):
        s, e = int(span["start"]), int(span["end"])
        toks = [offsets[k] for k, o in enumerate(owner) if o == i]
        if not toks:
            out.append((i, "no token"))
        elif (
            toks[0][0] != s
            or toks[-1][1] != e
            or any(ts < s < te or ts < e < te for ts, te in offsets if te > ts)
        ):
            out.append((i, "boundary inside a token"))
    return out


def spans_to_bio(
    text: str,
    spans: Sequence[Mapping[str, Any]],
    offsets: Sequence[Offsets],
    *,
    misaligned: Literal["expand", "drop", "raise"] = "expand",
) -> list[str]:
    """Strict IOB2 tags, one per token in ``offsets`` (see the module docstring for boundaries inside tokens).

    ``text`` is used for range checks and error messages only; the tags come from the offsets.
    """
    for span in spans:
        if not 0 <= int(span["start"]) < int(span["end"]) <= len(text):
            raise ValueError(f"span out of range or empty: {dict(span)!r}")
    bad = misaligned_spans(spans, offsets)
    if bad and misaligned == "raise":
        details = "; ".join(f"{span_text(text, spans[i])!r} ({reason})" for i, reason in bad)
        raise ValueError(f"spans not aligned to tokens: {details}")
    skip = {i for i, reason in bad if reason != "no token"} if misaligned == "drop" else set()
    owner = _assign(spans, offsets)
    tags: list[str] = []
    prev: int | None = None
    for o in owner:
        if o is None or o in skip:
            tags.append("O")
            prev = None
            continue
        tags.append(("I-" if o == prev else "B-") + str(spans[o]["label"]))
        prev = o
    return tags


def _split_tag(tag: str) -> tuple[str, str]:
    if tag == "O":
        return "O", ""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not label:
        raise ValueError(f"not an IOB2 tag: {tag!r}")
    return prefix, label


def bio_to_spans(tags: Sequence[str], offsets: Sequence[Offsets], text: str | None = None) -> list[Span]:
    """Character spans from strict IOB2 ``tags`` over tokens at ``offsets`` (the inverse of
    :func:`spans_to_bio`).

    A span runs from its ``B-`` token's start to its last ``I-`` token's end, so it includes whatever lies
    between the tokens (spaces, punctuation). With ``text``, each span also carries ``"text"``. A stray
    ``I-`` starts nothing (seqeval strict). Raises :class:`ValueError` on a malformed tag or a length
    mismatch.
    """
    if len(tags) != len(offsets):
        raise ValueError(f"{len(tags)} tags for {len(offsets)} tokens")
    spans: list[Span] = []
    cur: Span | None = None
    for tag, (ts, te) in zip(tags, offsets, strict=True):
        prefix, label = _split_tag(tag)
        if prefix == "I" and cur is not None and cur["label"] == label:
            cur["end"] = te
            continue
        cur = None
        if prefix == "B":
            cur = {"start": ts, "end": te, "label": label}
            spans.append(cur)
    if text is not None:
        for span in spans:
            span["text"] = text[span["start"] : span["end"]]
    return spans


_JOINERS = "-_./@#"
_DIGIT_WORDS = frozenset(
    ["oh", "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "double", "triple"]
)
_SPOKEN_TOKEN = re.compile(r"[A-Za-z]+")
MIN_SPOKEN_DIGITS = 4


def _spoken(word: str) -> bool:
    """A word of a number or ID read out: a digit word or a single letter."""
    return word.lower() in _DIGIT_WORDS or (len(word) == 1 and word.isalpha())


def _grow_word(text: str, start: int, end: int) -> tuple[int, int]:
    """To the edges of the identifier-like word(s) the span cuts, and over a ``$`` right before it."""
    in_word = text[start].isalnum() or text[start] in _JOINERS
    while in_word and (
        (start > 0 and text[start - 1].isalnum())
        or (start > 1 and text[start - 1] in _JOINERS and text[start - 2].isalnum() and text[start].isalnum())
    ):
        start -= 1
    in_word = text[end - 1].isalnum() or text[end - 1] in _JOINERS
    while in_word and (
        (end < len(text) and text[end].isalnum())
        or (
            end + 1 < len(text)
            and text[end] in _JOINERS
            and text[end + 1].isalnum()
            and text[end - 1].isalnum()
        )
    ):
        end += 1
    if start > 0 and text[start - 1] == "$":
        start -= 1
    return start, end


def _grow_spoken(text: str, start: int, end: int) -> tuple[int, int]:
    """A span read out word by word ("six one seven"): over the neighbouring spoken words on its line."""
    if not all(_spoken(w) for w in text[start:end].split()):
        return start, end
    while m := re.match(r"[ \t]+([A-Za-z]+)\b", text[end:]):
        if not _spoken(m.group(1)):
            break
        end += m.end()
    while m := re.search(r"\b([A-Za-z]+)[ \t]+$", text[:start]):
        if not _spoken(m.group(1)):
            break
        start = m.start()
    return start, end


def complete_words(text: str, spans: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Predicted spans completed the way the labelling guide writes entities.

    - A sub-word tagger reads ``PXL_20240512_113001.png`` or ``2026-03-14`` as several words and may tag only
      some of them (``PXL``, ``.png``): a span edge inside such a word moves to the word's edge. The word runs
      over letters, digits and the joiners ``-_./@#`` between two of them, so a possessive ``'s``, a trailing
      full stop, brackets and spaces stay outside; a ``$`` right before a span joins it (money includes it).
    - A number read out ("six one seven five ...") grows over the spoken digits and letters next to it, and
      one with fewer than ``MIN_SPOKEN_DIGITS`` digit words is dropped (a stray "nine" is no phone number).
    - Spans of one label that touch merge; so do spans of words without digits one space apart ("United" +
      "Healthcare"), while numbers one space apart stay apart ("52.204-7 52.204-8").
    - Spans with no letter or digit are dropped; of two overlapping spans of different labels the earlier
      keeps the characters. Extra keys of the first span of a merge are kept; ``text`` is updated.
    """
    grown: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        start, end = _grow_spoken(text, *_grow_word(text, int(span["start"]), int(span["end"])))
        if not any(ch.isalnum() for ch in text[start:end]):
            continue
        last = grown[-1] if grown else None
        gap = text[last["end"] : start] if last is not None else None
        # one space apart: words of one name ("United" "Healthcare"); numbers stay apart (a clause list)
        wordy = not any(ch.isdigit() for ch in text[last["start"] : end]) if last is not None else False
        if last is not None and last["label"] == span["label"] and (gap == "" or (gap == " " and wordy)):
            last["end"] = max(last["end"], end)
        elif last is not None and start < last["end"]:
            continue
        else:
            grown.append(dict(span, start=start, end=end))
    kept = []
    for span in grown:
        words = _SPOKEN_TOKEN.findall(text[span["start"] : span["end"]])
        spoken = bool(words) and all(_spoken(w) for w in text[span["start"] : span["end"]].split())
        if spoken and 0 < sum(w.lower() in _DIGIT_WORDS for w in words) < MIN_SPOKEN_DIGITS:
            continue
        if "text" in span:
            span["text"] = text[span["start"] : span["end"]]
        kept.append(span)
    return kept
