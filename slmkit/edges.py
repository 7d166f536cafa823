"""A model's entity spans, moved onto the edges docs/labelling.md draws. Dagster-free.

A tagger that reads word pieces misses edges a reader never would. :func:`repair_edges` (NAME rules hold for
SUBSCRIBER_NAME too):

- cuts a span that starts inside a word back to its next word ("s Rosa Ibarra" of "my name's Rosa
  Ibarra"), or runs it back over an "O'" ("Rourke" of "O'Rourke");
- splits a NAME or LOC span at a spoken filler or aside inside it ("eugenia baptiste um b a p t i s t e"
  is two names; ``splitters`` in slmkit/data/span_edges.json), a LOC where a street address follows a
  clinic's name ("Northshore Orthopedic Associates, 2200 Ridge Ave, ...");
- joins name parts that touch into one NAME: two NAME spans one space apart, or a NAME and a one-word
  capitalised LOC ("Hyun-woo" + "Park": a surname the model took for a park);
- runs a NAME back over a capitalised first name just before it ("Ines" of "Ines Carvalho"; first names of
  Faker's Latin-script locales, months aside);
- runs a LOC on over a facility word just after it ("mercy ridge" + "imaging"; ``facility_words``);
- runs an AGE_OVER_89 written in words on over its units ("ninety" + "one"), a DATE that ends on a month's
  abbreviation over the day after it ("Nov" + ". 8");
- drops a one-letter word at the end of a LOC ("south end n": "and"), and a spelled-out name's last letter
  when its case is not the others' ("n o v a k I").
"""

from __future__ import annotations

import importlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

# Faker locales whose first names are written in Latin letters (or transliterated into them)
_NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "en_IN", "en_NG", "en_PK", "es_ES", "es_MX", "pt_BR", "pt_PT", "fr_FR",
    "de_DE", "it_IT", "pl_PL", "nl_NL", "sv_SE", "no_NO", "da_DK", "fi_FI", "cs_CZ", "ro_RO", "tr_TR",
    "hu_HU", "id_ID", "sw", "yo_NG", "ig_NG", "vi_VN", "zh_CN", "ko_KR",
)  # fmt: skip
_NOT_FIRST_NAMES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "dear", "hi", "hello", "thanks", "regards", "best",
})  # fmt: skip
# "Northshore Orthopedic Associates, 2200 Ridge Ave, ...": a clinic and its street address are two places
_ADDRESS_AFTER_NAME = re.compile(r"(?<=[^\W\d_])(?<![A-Z]{2}),\s+(?=\d+[A-Za-z]?\s+[^\W\d_])")
_NAMES = frozenset({"NAME", "SUBSCRIBER_NAME"})  # a policyholder's name is a name too (docs/labelling.md)
_TENS_END = re.compile(r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)$", re.I)
_MONTH_END = re.compile(r"\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)$", re.I)
_DAY_AFTER = re.compile(r"\.? \d{1,2}(?:st|nd|rd|th)?(?![\w/-])")
_UNITS_AFTER = re.compile(r"[ -](?:one|two|three|four|five|six|seven|eight|nine)(?![\w])", re.I)


@cache
def _rules() -> dict[str, Any]:
    ref = resources.files("slmkit").joinpath("data/span_edges.json")
    return json.loads(ref.read_text(encoding="utf-8"))


@cache
def first_names() -> frozenset[str]:
    """Lower-cased, accents folded ("inês" → "ines")."""
    names: set[str] = set()
    for locale in _NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            for name in getattr(provider, attr, ()):
                folded = _fold(name)
                if folded.isascii() and folded[:1].isupper():
                    names.add(folded.lower())
    return frozenset(names - _NOT_FIRST_NAMES)


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def _phrases(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def _splitter() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'’])(?:{_phrases(_rules()['splitters'])})(?![\w'’])", re.I)


@cache
def _facility() -> re.Pattern[str]:
    return re.compile(rf"[ \t]+(?:{_phrases(_rules()['facility_words'])})(?![\w'’])", re.I)


def _moved(text: str, span: Mapping[str, Any], start: int, end: int, **extra: Any) -> dict[str, Any]:
    out = dict(span, start=start, end=end, **extra)
    if "text" in out:
        out["text"] = text[start:end]
    return out


def _word_start(text: str, span: dict[str, Any]) -> dict[str, Any] | None:
    start, end = span["start"], span["end"]
    before = text[max(0, start - 2) : start]
    if re.fullmatch(r"[A-Za-z]['’]", before) and (start < 3 or not text[start - 3].isalnum()):
        return _moved(text, span, start - 2, end)  # O'Rourke, D'Souza
    if not (before[-1:].isalnum() or (before[-1:] in ("'", "’") and before[:1].isalnum())):
        return span
    gap = re.search(r"\s+", text[start:end])
    return _moved(text, span, start + gap.end(), end) if gap else None


def _split(text: str, span: dict[str, Any]) -> list[dict[str, Any]]:
    if span["label"] not in ("LOC", *_NAMES):
        return [span]
    pieces, pos = [], span["start"]
    breaks = list(_splitter().finditer(text, span["start"], span["end"]))
    if span["label"] == "LOC" and (m := _ADDRESS_AFTER_NAME.search(text, span["start"], span["end"])):
        breaks.append(m)
    for m in sorted(breaks, key=lambda m: m.start()):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, span["end"]))
    out = []
    for lo, hi in pieces:
        while lo < hi and not text[lo].isalnum():
            lo += 1
        while hi > lo and not (text[hi - 1].isalnum() or text[hi - 1] == "."):
            hi -= 1
        if hi > lo:
            out.append(_moved(text, span, lo, hi))
    return out


def _last_letter(text: str, span: dict[str, Any]) -> dict[str, Any]:
    value = text[span["start"] : span["end"]]
    words = value.split(" ")
    if len(words) < 3 or len(words[-1]) != 1 or not words[-1].isalpha():
        return span
    spelled = all(len(w) == 1 for w in words)
    if (span["label"] == "LOC" and not spelled) or (
        span["label"] in _NAMES and spelled and words[-1].isupper() != words[-2].isupper()
    ):
        return _moved(text, span, span["start"], span["end"] - 2)
    return span


def _one_capitalised_word(value: str) -> bool:
    return re.fullmatch(r"[A-Z][\w'’-]*", value) is not None


def _join(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev is not None and text[prev["end"] : span["start"]] == " ":
            labels = {prev["label"], span["label"]}
            loc_part = next((s for s in (prev, span) if s["label"] == "LOC"), None)
            if (len(labels) == 1 and labels <= _NAMES) or (
                labels == {"NAME", "LOC"}
                and loc_part is not None
                and _one_capitalised_word(text[loc_part["start"] : loc_part["end"]])
            ):
                label = span["label"] if len(labels) == 1 else "NAME"
                out[-1] = _moved(text, prev, prev["start"], span["end"], label=label)
                continue
        out.append(span)
    return out


def _extend(text: str, span: dict[str, Any], taken: list[dict[str, Any]]) -> dict[str, Any]:
    start, end, label = span["start"], span["end"], span["label"]
    if label in _NAMES:
        m = re.search(r"(?<![\w'’-])([A-Z][\w’'-]+) $", text[max(0, start - 40) : start])
        if m and _fold(m.group(1)).lower() in first_names():
            new = start - len(m.group(0))
            if not any(t["start"] < start and new < t["end"] for t in taken if t is not span):
                return _moved(text, span, new, end)
        return span
    tail = None
    if label == "LOC":
        tail = _facility().match(text, end)
    elif label == "DATE" and _MONTH_END.search(text[start:end]):
        tail = _DAY_AFTER.match(text, end)
    elif label == "AGE_OVER_89" and _TENS_END.search(text[start:end]):
        tail = _UNITS_AFTER.match(text, end)
    return _moved(text, span, start, tail.end()) if tail else span


def repair_edges(text: str, spans: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``spans`` on the guide's edges (see the module docstring), sorted by start; other keys kept."""
    started = [_last_letter(text, s) for span in spans if (s := _word_start(text, dict(span))) is not None]
    pieces = sorted((p for s in started for p in _split(text, s)), key=lambda s: (s["start"], s["end"]))
    joined = _join(text, pieces)
    return [_extend(text, s, joined) for s in joined]
