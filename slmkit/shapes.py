"""What a value of each label can look like (docs/labelling.md), checked on a model's spans. Dagster-free.

A small tagger learns where entities sit more than what they look like: on hand-written messages it marks
"18834-A" a phone number, "mcg" an IP address, "98/60" a date, "03" an SSN. The recognizers validate the
formats they find; :func:`fits` holds the guide's shapes for the spans a model proposes, and
:func:`drop_misshapen` drops a model span no value of its label could be:

- PHONE, FAX: 7, 10 or 11 digits (digits read out as words count), no other words; where separators split
  the digits, grouped as a US number is (3-4, 3-3-4, 1-3-3-4).
- SSN: nine digits or the last four, nothing else.
- EMAIL holds an ``@``; URL a host with a dot or a scheme; IP four dotted numbers or an IPv6 form.
- AGE_OVER_89: a number above 89, in digits or words.
- DATE: a month, an ordinal, or digits that can be a date ("6.2" and "98/60" cannot). Number words alone are
  a clock time or a year ("nine fifteen", "twenty twenty one"), no DATE.
- identifiers (MRN, HEALTH_PLAN, ACCOUNT, LICENSE, DEVICE, VEHICLE, the insurance IDs): at least three
  digits, written or read out ("TH", "rx" are none).
- NAME: no digits, written or read out ("b t r seven seven one"); letters spelled one by one, three at least
  ("r u" is no name).
- LOC: starting with digits, a ZIP code or a street number followed by a word ("10 mg", "11, serial" are
  no place); in lower case, a name, not only words for a facility ("your cardiology clinic").
- NAME, SUBSCRIBER_NAME: not a title or a cue alone ("dr", "no.").
- COPAY, DEDUCTIBLE, BILLED_AMOUNT: a "$" or the word dollars ("200" of "$1,200" is none).
- CARRIER: no web address ("fairhealthconsumer.org").

Labels it does not name pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_DIGIT_WORDS = frozenset(w for w, v in _UNITS.items() if v < 10)
_MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|"
    "oct|october|nov|november|dec|december"
)
_ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
)
_MONTH_OR_ORDINAL = re.compile(rf"\b(?:{_MONTHS}|{_ORDINAL_WORDS})\b|\d(?:st|nd|rd|th)\b", re.I)
_NUMERIC_DATE = re.compile(r"(\d{1,4})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")
_WORD = re.compile(r"[^\W_]+")
_PHONE_GROUPS = {(10,), (11,), (7,), (3, 4), (3, 3, 4), (1, 3, 3, 4), (1, 10), (3, 7)}
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_IPV6 = re.compile(r"(?=.*:.*:)[0-9a-f:]{3,39}", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}(?:/\S*)?", re.I)
_NOT_NAMES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "miss", "nurse", "prof", "no", "um", "uh"})
_UNNAMED_PLACE = frozenset({
    "new", "old", "the", "your", "our", "my", "a", "an", "main", "local", "nearby", "other", "urgent", "care",
    "clinic", "department", "dept", "hospital", "office", "lab", "center", "centre", "er", "pharmacy",
    "imaging", "cardiology", "dermatology", "pediatrics", "radiology", "front", "desk", "waiting", "room",
})  # fmt: skip
_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_STREET = re.compile(r"\d+[A-Za-z]?(?:-\d+)?\s+(?!(?:mg|mcg|ml|units?|mm|lbs?|kg)\b)[^\W\d_]", re.I)
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-]\d{4}")


def _words(value: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(value)]


def _digits(value: str) -> str:
    """The value's digits, those read out as words included ("six one seven" → "617")."""
    return "".join(str(_UNITS[w]) if w in _DIGIT_WORDS else "".join(c for c in w if c.isdigit())
                   for w in _words(value))  # fmt: skip


def number_value(value: str) -> int | None:
    """The number a value writes, in digits ("94") or words ("ninety one", "a hundred and two")."""
    if value.strip().isdigit():
        return int(value.strip())
    total, seen = 0, False
    for w in _words(value):
        if w in _UNITS:
            total, seen = total + _UNITS[w], True
        elif w in _TENS:
            total, seen = total + _TENS[w], True
        elif w == "hundred":
            total, seen = max(total, 1) * 100, True
        elif w not in ("a", "and"):
            return None
    return total if seen else None


def _phone(value: str) -> bool:
    words = _words(value)
    if any(not w.isdigit() and w not in _DIGIT_WORDS and w != "ext" for w in words):
        return False
    if all(w.isdigit() for w in words):
        groups = tuple(len(w) for w in words)
        return groups in _PHONE_GROUPS
    return len(_digits(value)) in (7, 10, 11)


def _ssn(value: str) -> bool:
    return tuple(len(w) if w.isdigit() else 0 for w in _words(value)) in {(9,), (4,), (3, 2, 4)}


def _age(value: str) -> bool:
    number = number_value(value)
    return number is not None and 89 < number < 130


def _date(value: str) -> bool:
    if _MONTH_OR_ORDINAL.search(value):
        return True
    if not any(c.isdigit() for c in value):
        return False  # "last", "nine fifteen", "twenty twenty one"
    if m := _MONTH_YEAR.fullmatch(value.strip()):
        return 1 <= int(m.group(1)) <= 12
    m = _NUMERIC_DATE.fullmatch(value.strip())
    if m is None:
        return False
    a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if year is None and "." in value and len(m.group(2)) == 1:
        return False  # a reading: "6.2", "5.8"
    if len(m.group(1)) == 4:  # 2024-05-01
        return 1 <= b <= 12
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


def _identifier(value: str) -> bool:
    return len(_digits(value)) >= 3


def _name(value: str) -> bool:
    words = _words(value)
    if words and set(words) <= _NOT_NAMES:
        return False  # "dr" alone, "no." of "policy no."
    # one digit word may be a name ("Oh Min-jung"), two are a number read out
    if any(c.isdigit() for c in value) or sum(w in _DIGIT_WORDS for w in words) > 1:
        return False
    return not (words and all(len(w) == 1 for w in words) and len(words) < 3)


def _money(value: str) -> bool:
    return "$" in value or "dollar" in value.lower()


def _loc(value: str) -> bool:
    value = value.strip()
    if value.islower() and set(_words(value)) <= _UNNAMED_PLACE:
        return False  # "your cardiology clinic", "the new urgent care": no place named
    if not value[:1].isdigit():
        return True  # "Boston", "Suite 4B", "Route 9"
    return bool(_ZIP.fullmatch(value) or _STREET.match(value))


_SHAPES: dict[str, Callable[[str], bool]] = {
    "PHONE": _phone, "FAX": _phone, "SSN": _ssn, "AGE_OVER_89": _age, "DATE": _date,
    "EMAIL": lambda v: "@" in v and "." in v.split("@")[-1],
    "URL": lambda v: _URL.fullmatch(v.strip()) is not None,
    "IP": lambda v: bool(_IPV4.fullmatch(v.strip()) or _IPV6.fullmatch(v.strip())),
    "NAME": _name, "SUBSCRIBER_NAME": _name, "LOC": _loc,
    **{label: _money for label in ("COPAY", "DEDUCTIBLE", "BILLED_AMOUNT")},
    "CARRIER": lambda v: _URL.fullmatch(v.strip()) is None,
    **{label: _identifier for label in (
        "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "DEVICE", "VEHICLE", "MEMBER_ID", "GROUP_NUMBER",
        "POLICY_NUMBER", "CLAIM_ID", "AUTH_NUMBER",
    )},
}  # fmt: skip


def fits(label: str, value: str) -> bool:
    """Whether ``value`` can be a value of ``label`` (see the module docstring); unknown labels pass."""
    shape = _SHAPES.get(label)
    return shape is None or shape(value)


def drop_misshapen(text: str, spans: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The spans whose value fits their label."""
    return [dict(s) for s in spans if fits(str(s["label"]), text[s["start"] : s["end"]])]
