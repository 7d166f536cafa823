"""The two local generator families: grammars, vocabularies, abbreviation sets and value formats.

Family ``A`` stands in for the training generator and ``B`` for the held-out test generator. Their phrasing
lives in data files (``data/family_a.json``, ``data/family_b.json``: intent frames, detail sentences per
label, asides full of hard negatives, openers, sign-offs, form fields); the domain vocabulary both draw on
(visits, symptoms, medications, prices asked about) is ``data/common.json``. The families differ in every
frame, greeting, sign-off, abbreviation, sentence order, carrier and plan vocabulary and date / phone / ID
format. What is and is not an entity follows ``docs/labelling.md``.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from faker import Faker

from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES

# Cue words a careless generator folds into a span ("MRN 8472301", "copay $35"). The cue-word cleaner owns the
# cleaning list; this one only drives the deliberate contamination.
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "NAME": ("patient", "name:"),
    "LOC": ("address", "address:"),
    "DATE": ("DOB", "date"),
    "PHONE": ("phone", "cell", "tel"),
    "FAX": ("fax", "fax #"),
    "EMAIL": ("email", "e-mail:"),
    "SSN": ("SSN", "social"),
    "MRN": ("MRN", "MRN #"),
    "HEALTH_PLAN": ("member ID", "plan ID"),
    "ACCOUNT": ("account #", "acct"),
    "LICENSE": ("license", "DL #"),
    "VEHICLE": ("plate", "VIN"),
    "DEVICE": ("serial", "serial #"),
    "URL": ("link", "url"),
    "IP": ("IP", "IP address"),
    "BIOMETRIC": ("biometric ID", "fingerprint ID"),
    "PHOTO_REF": ("photo", "file"),
    "AGE_OVER_89": ("age", "aged"),
    "CARRIER": ("carrier", "insurer"),
    "PLAN_TYPE": ("plan type", "plan type:"),  # not a bare "plan": "Plan G" is itself a plan type
    "MEMBER_ID": ("member ID", "member #"),
    "GROUP_NUMBER": ("group #", "group"),
    "POLICY_NUMBER": ("policy #", "policy"),
    "SUBSCRIBER_NAME": ("subscriber", "policyholder"),
    "RELATIONSHIP": ("relationship:", "relation"),
    "CLAIM_ID": ("claim #", "claim"),
    "AUTH_NUMBER": ("auth #", "authorization"),
    "COPAY": ("copay", "co-pay"),
    "DEDUCTIBLE": ("deductible",),
    "BILLED_AMOUNT": ("bill", "balance"),
}

# Each family's abbreviations: (phrase, abbreviation). Casual and messy text replaces the phrase.
ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "A": (
        ("you", "u"),
        ("your", "ur"),
        ("appointment", "appt"),
        ("tomorrow", "tmrw"),
        ("please", "pls"),
        ("thanks", "thx"),
        ("prescription", "rx"),
        ("insurance", "ins"),
    ),
    "B": (
        ("with", "w/"),
        ("and", "&"),
        ("hours", "hrs"),
        ("by the way", "BTW"),
        ("I don't know", "IDK"),
        ("please", "plz"),
    ),
}


_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_ONES = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINAL_ONES = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_words(n: int) -> str:
    """0..99 in words, hyphenated as people write transcripts ("forty-eight")."""
    if n < 10:
        return _DIGIT_WORDS[n]
    if n < 20:
        return _TEENS[n - 10]
    return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")


def ordinal_words(n: int) -> str:
    """1..31 as a spoken ordinal ("nineteenth", "twenty-first")."""
    irregular = {10: "tenth", 11: "eleventh", 12: "twelfth", 20: "twentieth", 30: "thirtieth"}
    if n in irregular:
        return irregular[n]
    if n < 10:
        return _ORDINAL_ONES[n]
    if n < 20:
        return number_words(n) + "th"
    return f"{_TENS[n // 10]}-{_ORDINAL_ONES[n % 10]}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def spoken_year(year: int, rng: random.Random) -> str:
    """1948 → "nineteen forty-eight" or "forty-eight"; 2005 → "two thousand five"."""
    if year >= 2000:
        rest = year - 2000
        return "two thousand" + (f" {number_words(rest)}" if rest else "")
    short = number_words(year % 100) if year % 100 >= 10 else f"oh {number_words(year % 100)}"
    return short if rng.random() < 0.5 else f"{number_words(year // 100)} {short}"


def speak_characters(value: str, rng: random.Random) -> str:
    """An identifier read out: digits as words (0 as "oh" or "zero"), letters one by one, no separators."""
    zero = "oh" if rng.random() < 0.6 else "zero"
    words = [
        (zero if ch == "0" else _DIGIT_WORDS[int(ch)]) if ch.isdigit() else ch.lower()
        for ch in value
        if ch.isalnum()
    ]
    return " ".join(words)


def _digits(rng: random.Random, k: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(k))


def _letters(rng: random.Random, k: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(k))


def lookalike_id(rng: random.Random) -> str:
    """An identifier shape that names no label by itself: member, policy, group, claim and referral numbers,
    account numbers and other shops' order numbers all come in it, so the words around it decide the label
    (real cards and statements do not follow one format per field)."""
    return rng.choice(
        (
            lambda: f"{_letters(rng, 2)}{_digits(rng, rng.choice((7, 9, 10)))}",
            lambda: f"{_letters(rng, rng.randint(2, 3))}-{_digits(rng, rng.randint(6, 8))}",
            lambda: f"{_letters(rng, 2)}-{rng.randint(2019, 2026)}-{_digits(rng, 6)}",
            lambda: _digits(rng, rng.choice((9, 10, 11))),
        )
    )()


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _money(rng: random.Random, low: int, high: int, cents: bool) -> str:
    amount = rng.randint(low, high)
    if cents:
        return f"${amount:,}.{rng.randint(0, 99):02d}"
    return f"${amount:,}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# Names from many backgrounds, as intake text carries them; people often type them without diacritics.
NAME_LOCALES = ("en_US", "es_MX", "en_IN", "fr_FR", "de_DE", "it_IT", "pl_PL", "en_GB", "vi_VN", "pt_BR")
_LOCALE_WEIGHTS = (8, 3, 2, 1, 1, 1, 1, 1, 1, 1)


def _locale(fake: Faker, rng: random.Random) -> Faker:
    return fake[rng.choices(NAME_LOCALES, weights=_LOCALE_WEIGHTS)[0]]


def first_name(fake: Faker, rng: random.Random) -> str:
    name = _locale(fake, rng).first_name()
    return _ascii(name) if rng.random() < 0.6 else name


def last_name(fake: Faker, rng: random.Random) -> str:
    name = _locale(fake, rng).last_name().split()[0]
    return _ascii(name) if rng.random() < 0.6 else name


def full_name(fake: Faker, rng: random.Random) -> str:
    loc = _locale(fake, rng)
    # Some people write a middle name or initial ("Mei Lin Chen", "John R. Smith"): the span is all of it.
    # (no "U.": family A's abbreviation of "you")
    initial = rng.choice("ABCDEFGHJKLMNPRSTWY")
    middle = rng.choice((f" {loc.first_name()}", f" {initial}.")) if rng.random() < 0.15 else ""
    name = f"{loc.first_name()}{middle} {loc.last_name().split()[0]}"
    return _ascii(name) if rng.random() < 0.6 else name


def _date_value(spoken_fmt: Callable[[date, random.Random], str], *written: Callable[[date], str]) -> Any:
    """A DATE value function for a date range: written forms, or the spoken form in voicemail."""

    def make(first: date, last: date) -> Any:
        def value(fake: Faker, rng: random.Random, spoken: bool) -> str:
            d = _day(rng, first, last)
            if spoken and rng.random() < 0.7:
                return spoken_fmt(d, rng)
            return rng.choice(written)(d)

        return value

    return make


def _a_spoken(d: date, rng: random.Random) -> str:
    return f"{_MONTHS[d.month - 1]} {ordinal_words(d.day)} {spoken_year(d.year, rng)}"


def _b_spoken(d: date, rng: random.Random) -> str:
    return f"the {ordinal_words(d.day)} of {_MONTHS[d.month - 1]} {spoken_year(d.year, rng)}"


def _a_visit_spoken(d: date, rng: random.Random) -> str:
    return f"{_MONTHS[d.month - 1]} {ordinal_words(d.day)}"


def _b_visit_spoken(d: date, rng: random.Random) -> str:
    return f"the {ordinal_words(d.day)} of {_MONTHS[d.month - 1]}"


_DOB = (date(1930, 1, 1), date(2022, 12, 31))
_RECENT = (date(2024, 1, 1), date(2026, 12, 31))
_A_DOB = _date_value(
    _a_spoken,
    lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d: f"{d.month}/{d.day}/{d:%y}",
    lambda d: f"{d:%B} {d.day}, {d.year}",
    lambda d: f"{d.month}-{d.day}-{d.year}",
)
_A_VISIT = _date_value(
    _a_visit_spoken, lambda d: f"{d.month}/{d.day}", lambda d: f"{d:%B} {d.day}", lambda d: f"{d:%m/%d/%Y}"
)
_B_DOB = _date_value(
    _b_spoken,
    lambda d: d.isoformat(),
    lambda d: f"{d.day} {d:%b} {d.year}",
    lambda d: f"{d.day} {d:%B} {d.year}",
    lambda d: f"{d:%b}. {d.day}, {d.year}",
)
_B_VISIT = _date_value(
    _b_visit_spoken, lambda d: f"{d.day} {d:%B}", lambda d: d.isoformat(), lambda d: f"{d:%b}. {d.day}"
)


def _ordinal_day(fake: Faker, rng: random.Random, spoken: bool) -> str:
    day = rng.randint(1, 31)
    return ordinal_words(day) if spoken else ordinal(day)


_DIRECTIONS = (
    "North",
    "South",
    "East",
    "West",
    "Northside",
    "Lakeside",
    "Riverside",
    "Hillcrest",
    "Valley",
    "Bayview",
)
_PRACTICES = (
    "Family Medicine", "Pediatrics", "Orthopedic Associates", "Community Health Center", "Dental Group",
    "Women's Health", "Eye Care", "Medical Center", "Urgent Care", "Primary Care", "Dermatology",
    "Health Clinic",
)  # fmt: skip


def _clinic(fake: Faker, rng: random.Random) -> str:
    """A named hospital or clinic (LOC by the labelling guide)."""
    us = fake["en_US"]
    return rng.choice(
        (
            f"{us.city()} General Hospital",
            f"{us.last_name()} {rng.choice(_PRACTICES)}",
            f"St. {us.first_name()}'s Hospital",
            f"Mercy {us.city()}",
            f"{us.city()} {rng.choice(_PRACTICES)}",
            f"{rng.choice(_DIRECTIONS)} {rng.choice(_PRACTICES)}",
            f"{rng.choice(_DIRECTIONS)} {us.city()} Hospital",
        )
    )


def _phone(*formats: Callable[[int, str, str], str]) -> Any:
    def value(fake: Faker, rng: random.Random, spoken: bool) -> str:
        area, mid, last = rng.randint(201, 989), _digits(rng, 3), _digits(rng, 4)
        if spoken and rng.random() < 0.7:
            return speak_characters(f"{area}{mid}{last}", rng)
        return rng.choice(formats)(area, mid, last)

    return value


ValueFn = Callable[[Faker, random.Random, bool], str]


def _plain(fn: Callable[[Faker, random.Random], str]) -> ValueFn:
    """A value function that reads identifiers out digit by digit in voicemail (most of the time)."""

    def value(fake: Faker, rng: random.Random, spoken: bool) -> str:
        out = fn(fake, rng)
        return speak_characters(out, rng) if spoken and rng.random() < 0.6 else out

    return value


def _words(fn: Callable[[Faker, random.Random], str]) -> ValueFn:
    """A value function whose value is never read out differently (names, places, carriers)."""
    return lambda fake, rng, spoken: fn(fake, rng)


def _age(low: int, high: int) -> ValueFn:
    def value(fake: Faker, rng: random.Random, spoken: bool) -> str:
        n = rng.randint(low, high)
        return (
            f"{number_words(n // 10 * 10)}{'-' + _ONES[n % 10] if n % 10 else ''}"
            if spoken and n < 100
            else str(n)
        )

    return value


# Values shared by both families: names, places, emails (Faker gives each family the same world).
_SHARED: dict[str, ValueFn] = {
    "NAME": _words(lambda f, r: full_name(f, r) if r.random() < 0.6 else first_name(f, r)),
    "NAME:first": _words(first_name),
    "LOC:city": _words(lambda f, r: f["en_US"].city()),
    "LOC:zip": _plain(lambda f, r: f["en_US"].postcode()),
    "LOC:clinic": _words(_clinic),
    "EMAIL": _words(
        lambda f, r: (
            _ascii(f"{first_name(f, r)}.{last_name(f, r)}{r.randint(1, 99)}@{f['en_US'].free_email_domain()}")
            .lower()
            .replace(" ", "")
            if r.random() < 0.5
            else f["en_US"].email()
        )
    ),
    "DATE:day": _ordinal_day,
    "URL": _words(lambda f, r: f["en_US"].url()),
    "NAME+SUBSCRIBER_NAME": _words(full_name),
    "SSN:last4": _plain(lambda f, r: _digits(r, 4)),
    "ACCOUNT:card4": _plain(lambda f, r: _digits(r, 4)),
}

A_VALUES: dict[str, ValueFn] = {
    **_SHARED,
    "VEHICLE": _words(lambda f, r: f["en_US"].license_plate()),
    "NAME:dr": _words(lambda f, r: r.choice(("Dr. ", "Dr ", "Doctor ")) + last_name(f, r)),
    "LOC:street": _words(
        lambda f, r: (
            f"{f['en_US'].street_address()}, {f['en_US'].city()}"
            if r.random() < 0.6
            else f["en_US"].street_address()
        )
    ),
    "DATE:dob": _A_DOB(*_DOB),
    "DATE:visit": _A_VISIT(*_RECENT),
    "DATE:month": _words(lambda f, r: f"{_day(r, *_DOB):%B %Y}"),
    "PHONE": _phone(
        lambda a, m, e: f"({a}) {m}-{e}", lambda a, m, e: f"{a}-{m}-{e}", lambda a, m, e: f"{a}{m}{e}"
    ),
    "FAX": _phone(lambda a, m, e: f"({a}) {m}-{e}", lambda a, m, e: f"{a}-{m}-{e}"),
    "SSN": _plain(lambda f, r: f"{_digits(r, 3)}-{_digits(r, 2)}-{_digits(r, 4)}"),
    "MRN": _plain(
        lambda f, r: (
            f"{r.choice(('OMK', 'CLS', 'HVN'))}-{_digits(r, 5)}"
            if r.random() < 0.6
            else str(r.randint(1000000, 9999999))
        )
    ),
    "ACCOUNT": _plain(
        lambda f, r: str(r.randint(10000, 99999)) if r.random() < 0.5 else f"ACCT-{_digits(r, 6)}"
    ),
    "LICENSE": _plain(lambda f, r: f"{_letters(r, 1)}{_digits(r, 3)}-{_digits(r, 4)}-{_digits(r, 4)}"),
    "DEVICE": _plain(lambda f, r: f"SN-{_digits(r, 6)}"),
    "IP": _words(lambda f, r: f["en_US"].ipv4()),
    "BIOMETRIC": _plain(lambda f, r: f"FP-{_digits(r, 4)}-{_digits(r, 3)}"),
    "PHOTO_REF": _words(lambda f, r: f"IMG_{_digits(r, 4)}.jpg"),
    "AGE_OVER_89": _age(90, 104),
    "CARRIER": _words(
        lambda f, r: r.choice(
            (
                "Aetna",
                "aetna",
                "Cigna",
                "BCBS",
                "bcbs",
                "Blue Cross",
                "UnitedHealthcare",
                "UHC",
                "Humana",
                "Anthem",
                "MassHealth",
                "masshealth",
                "Ambetter",
                "Express Scripts",
                "Medicaid",
                "medicare",
                "Tricare",
                "Harvard Pilgrim",
            )
        )
    ),
    "PLAN_TYPE": _words(
        lambda f, r: r.choice(
            (
                "PPO",
                "HMO",
                "EPO",
                "PPO Gold",
                "HMO Select",
                "high deductible plan",
                "Silver",
                "Medigap Plan G",
                "ppo",
                "DPPO",
                "dental PPO",
            )
        )
    ),
    # A patient portal's address is a URL, whatever health word its domain holds.
    "URL": _words(
        lambda f, r: (
            f"portal.{re.sub(r'[^a-z]', '', _ascii(last_name(f, r)).lower())}"
            f"{r.choice(('health', 'care', 'medical'))}.org/"
            f"{r.choice(('reset', 'billing', 'appointments', 'login'))}"
            if r.random() < 0.4
            else f["en_US"].url()
        )
    ),
    "RELATIONSHIP:holder": _words(lambda f, r: r.choice(("husband", "wife", "dad", "mom", "partner"))),
    "CARRIER:medicare": _words(lambda f, r: r.choice(("Medicare", "medicare"))),  # "Medicare number ..."
    "HEALTH_PLAN+MEMBER_ID": _plain(
        lambda f, r: (
            f"{_letters(r, 3)}-{_digits(r, 3)}-{_digits(r, 4)}"
            if r.random() < 0.4
            else f"{_letters(r, 3)}{_digits(r, 9)}"
            if r.random() < 0.3
            else lookalike_id(r)
        )
    ),
    "HEALTH_PLAN+POLICY_NUMBER": _plain(
        lambda f, r: f"POL-{_digits(r, 7)}" if r.random() < 0.3 else lookalike_id(r)
    ),
    "GROUP_NUMBER": _plain(
        lambda f, r: (
            f"GRP-{_digits(r, 5)}"
            if r.random() < 0.4
            else _digits(r, 6)
            if r.random() < 0.5
            else lookalike_id(r)
        )
    ),
    "RELATIONSHIP": _words(
        lambda f, r: r.choice(("husband", "wife", "mom", "dad", "son", "daughter", "self"))
    ),
    "CLAIM_ID": _plain(
        lambda f, r: f"CLM-{r.randint(2021, 2026)}-{_digits(r, 5)}" if r.random() < 0.4 else lookalike_id(r)
    ),
    "AUTH_NUMBER": _plain(lambda f, r: f"PA-{_digits(r, 4)}" if r.random() < 0.4 else lookalike_id(r)),
    "COPAY": _words(lambda f, r: _money(r, 10, 75, cents=False)),
    "DEDUCTIBLE": _words(lambda f, r: _money(r, 250, 6000, cents=False)),
    "BILLED_AMOUNT": _words(lambda f, r: _money(r, 80, 4800, cents=r.random() < 0.3)),
}

B_VALUES: dict[str, ValueFn] = {
    **_SHARED,
    "VEHICLE": _words(lambda f, r: f["en_US"].vin()),
    "NAME:dr": _words(lambda f, r: r.choice(("Dr. ", "Dr ")) + full_name(f, r)),
    "LOC:street": _words(
        lambda f, r: (
            f"{f['en_US'].building_number()} {f['en_US'].street_name()}, {f['en_US'].city()} "
            f"{f['en_US'].postcode()}"
            if r.random() < 0.5
            else f"{f['en_US'].building_number()} {f['en_US'].street_name()}"
        )
    ),
    "DATE:dob": _B_DOB(*_DOB),
    "DATE:visit": _B_VISIT(*_RECENT),
    "DATE:month": _words(lambda f, r: f"{_day(r, *_DOB):%b %Y}"),
    "PHONE": _phone(
        lambda a, m, e: f"{a}.{m}.{e}", lambda a, m, e: f"+1 {a} {m} {e}", lambda a, m, e: f"+1-{a}-{m}-{e}"
    ),
    "FAX": _phone(lambda a, m, e: f"{a}.{m}.{e}", lambda a, m, e: f"+1 {a} {m} {e}"),
    "SSN": _plain(lambda f, r: f"{_digits(r, 3)} {_digits(r, 2)} {_digits(r, 4)}"),
    "MRN": _plain(lambda f, r: f"RMR-{_digits(r, 6)}" if r.random() < 0.6 else f"MR{_digits(r, 8)}"),
    "ACCOUNT": _plain(lambda f, r: f"{_digits(r, 4)}-{_digits(r, 4)}-{_digits(r, 2)}"),
    "LICENSE": _plain(lambda f, r: f"D{_digits(r, 7)}"),
    "DEVICE": _plain(lambda f, r: f"{_digits(r, 1)}{_letters(r, 2)}{_digits(r, 1)}-{_digits(r, 5)}"),
    "IP": _words(lambda f, r: f["en_US"].ipv4_private() if r.random() < 0.5 else f["en_US"].ipv4()),
    "BIOMETRIC": _plain(lambda f, r: f"BIO{_digits(r, 7)}"),
    "PHOTO_REF": _words(lambda f, r: f"PXL_2024{_digits(r, 4)}_{_digits(r, 6)}.png"),
    "AGE_OVER_89": _age(90, 106),
    "CARRIER": _words(
        lambda f, r: r.choice(
            (
                "Blue Cross Blue Shield",
                "Kaiser Permanente",
                "Kaiser",
                "Molina",
                "TRICARE",
                "Oscar Health",
                "Medicare",
                "Medi-Cal",
                "OptumRx",
                "United Healthcare",
                "Highmark",
                "Wellcare",
                "CareFirst",
                "medi-cal",
                "kaiser",
            )
        )
    ),
    "PLAN_TYPE": _words(
        lambda f, r: r.choice(
            (
                "POS",
                "HDHP",
                "Medicare Advantage",
                "Medicaid managed care",
                "Bronze",
                "Medigap Plan N",
                "Gold HMO",
            )
        )
    ),
    "HEALTH_PLAN+MEMBER_ID": _plain(lambda f, r: f"{_letters(r, 1)}{_digits(r, 8)}"),
    "HEALTH_PLAN+POLICY_NUMBER": _plain(lambda f, r: f"H{_digits(r, 4)}-{_digits(r, 5)}"),
    "GROUP_NUMBER": _plain(lambda f, r: f"{_digits(r, 7)}-{_digits(r, 2)}"),
    "RELATIONSHIP": _words(
        lambda f, r: r.choice(("spouse", "parent", "child", "dependent", "partner", "guardian"))
    ),
    "CLAIM_ID": _plain(lambda f, r: f"C{_digits(r, 8)}"),
    "AUTH_NUMBER": _plain(lambda f, r: f"AUTH{_digits(r, 6)}"),
    "COPAY": _words(lambda f, r: _money(r, 10, 90, cents=True)),
    "DEDUCTIBLE": _words(lambda f, r: _money(r, 500, 8000, cents=True)),
    "BILLED_AMOUNT": _words(lambda f, r: _money(r, 60, 9000, cents=True)),
}


@dataclass(frozen=True)
class Family:
    """One generator family: its grammar (``data/family_*.json`` over ``data/common.json``) and its values."""

    name: str
    grammar: Mapping[str, Any]
    values: Mapping[str, ValueFn]
    details_first: float  # probability that detail sentences come before the request

    def __getitem__(self, key: str) -> Any:
        return self.grammar[key]

    @property
    def intents(self) -> Mapping[str, list[str]]:
        return self.grammar["intents"]

    @property
    def details(self) -> Mapping[str, list[str]]:
        return self.grammar["details"]

    def lexicon(self, name: str) -> list[str]:
        """A lower-case slot's alternatives: the family's own entry, else the shared vocabulary."""
        entry = self.grammar.get(name, _common().get(name))
        if not isinstance(entry, list):
            raise KeyError(f"family {self.name}: no lexicon entry {name!r}")
        return entry


def _data(name: str) -> dict[str, Any]:
    ref = resources.files("clarioscope_pipeline.generation").joinpath(f"data/{name}.json")
    return json.loads(ref.read_text(encoding="utf-8"))


@cache
def _common() -> dict[str, Any]:
    return _data("common")


FAMILIES: dict[str, Family] = {
    "A": Family("A", _data("family_a"), A_VALUES, details_first=0.2),
    "B": Family("B", _data("family_b"), B_VALUES, details_first=0.7),
}


def _check() -> None:
    labels = set(PHI_TYPES) | set(INSURANCE_FIELDS)
    for fam in FAMILIES.values():
        assert set(fam.intents) == set(INTENTS), fam.name
        assert set(fam.details) == labels, fam.name
        for key in fam.values:
            assert set(key.split(":")[0].split("+")) <= labels, (fam.name, key)
    assert set(CUE_WORDS) == labels


_check()
