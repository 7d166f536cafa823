"""The local (offline) ClarioScope message generator, deterministic by seed.

A message is composed from a family's grammar (``families.py``, ``data/*.json``): an intent frame, detail
sentences that carry entities, asides full of hard negatives (clock times, readings, doses, amounts paid,
weekdays, relative dates, states, pharmacy chains, role nouns, young ages, other shops' order numbers), an
opener and a sign-off, laid out per channel: SMS (short, fragments), voicemail transcripts (run-on, fillers,
numbers, dates and IDs spoken, names spelled letter by letter), email (greeting, paragraphs, a signature
block), web form (field lines) and portal chat (short lines). Each sentence is a list of parts, plain text or
an entity that carries its PHI label, its insurance label or both (``docs/labelling.md``: a member ID is
``HEALTH_PLAN`` and ``MEMBER_ID``). Style transforms (abbreviations, typos, lowercase, fragments, dropped
punctuation, ALL CAPS urgency) act on the plain parts only, so every span's offsets are exact by
construction.

Spans by task: ``phi`` records the PHI layer, ``insurance`` the insurance layer, ``intent`` none (its messages
still carry entities, unlabelled). Each task draws its own mix: PHI-heavy, coverage-heavy or by intent alone;
many messages carry no entity at all.

Deliberate generator mistakes: a fraction ``cue_rate`` of spans also cover a cue word ("MRN 8472301",
"copay $35"), either one the template already wrote before the slot or one inserted for the occasion.
Nothing in the data marks them; cleaning them is the cue-word cleaner's job.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Literal, TypedDict

from faker import Faker

from clarioscope_pipeline.generation.families import (
    ABBREVIATIONS,
    CUE_WORDS,
    FAMILIES,
    NAME_LOCALES,
    Family,
    lookalike_id,
    number_words,
)
from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES

FamilyName = Literal["A", "B"]
Task = Literal["intent", "phi", "insurance"]
Style = Literal["polished", "casual", "messy"]

CHANNELS = ("sms", "voicemail", "email", "web_form", "portal_chat")
STYLES = ("polished", "casual", "messy")

_CHANNEL_WEIGHTS = {"sms": 0.25, "voicemail": 0.15, "email": 0.2, "web_form": 0.2, "portal_chat": 0.2}
# P(polished), P(casual), P(messy) by channel; the channel-weighted mean is ~40 / 40 / 20.
_STYLE_BY_CHANNEL = {
    "sms": (0.30, 0.42, 0.28),
    "voicemail": (0.25, 0.40, 0.35),
    "email": (0.55, 0.35, 0.10),
    "web_form": (0.50, 0.40, 0.10),
    "portal_chat": (0.40, 0.40, 0.20),
}
_INTENT_WEIGHTS = {
    "new_patient_inquiry": 0.12,
    "existing_patient_question": 0.16,
    "appointment_request": 0.22,
    "billing_inquiry": 0.15,
    "clinical_concern": 0.15,
    "complaint": 0.10,
    "price_shopper": 0.10,
}
# How likely the insurance layer is, by intent: coverage and billing are where its values appear.
_INSURANCE_TOPIC = {
    "new_patient_inquiry": 0.35,
    "existing_patient_question": 0.15,
    "appointment_request": 0.25,
    "billing_inquiry": 0.85,
    "clinical_concern": 0.08,
    "complaint": 0.3,
    "price_shopper": 0.25,
}
# Detail sentences per message, (counts, weights) by task and layer: many messages carry no entity at all.
_DETAIL_COUNTS = {
    ("phi", "phi"): ((0, 1, 2, 3, 4), (3, 4, 3, 2, 1)),
    ("phi", "insurance"): ((1, 2), (3, 1)),
    ("insurance", "phi"): ((0, 1, 2, 3), (3, 3, 2, 1)),
    ("insurance", "insurance"): ((0, 1, 2, 3, 4), (1, 4, 4, 2, 1)),
    ("intent", "phi"): ((0, 1, 2), (6, 3, 1)),
    ("intent", "insurance"): ((1, 2), (3, 1)),
}
_TOPIC_SCALE = {"phi": 1.0, "insurance": 1.6, "intent": 0.7}
# Relative frequency of entity types in intake text: names, dates, phones everywhere; vehicles rare.
_LABEL_WEIGHTS = {
    "NAME": 10, "LOC": 5, "DATE": 8, "PHONE": 7, "FAX": 1.5, "EMAIL": 4, "SSN": 1.5, "MRN": 4,
    "HEALTH_PLAN": 3, "ACCOUNT": 3, "LICENSE": 1, "VEHICLE": 0.8, "DEVICE": 1, "URL": 1.2, "IP": 0.8,
    "BIOMETRIC": 0.8, "PHOTO_REF": 1.2, "AGE_OVER_89": 1,
    "CARRIER": 8, "PLAN_TYPE": 5, "MEMBER_ID": 8, "GROUP_NUMBER": 5, "POLICY_NUMBER": 5, "SUBSCRIBER_NAME": 5,
    "RELATIONSHIP": 3, "CLAIM_ID": 3, "AUTH_NUMBER": 2, "COPAY": 4, "DEDUCTIBLE": 3, "BILLED_AMOUNT": 4,
}  # fmt: skip
_LOWERCASE_LABELS = {"NAME", "LOC", "EMAIL", "SUBSCRIBER_NAME", "CARRIER", "RELATIONSHIP", "PLAN_TYPE"}
_TOKEN = re.compile(r"\{([A-Za-z_+0-9:]+)\}|<([^<>]*)>")
_FRAGMENT_LEAD = re.compile(r"^(I'm |I am |I |My |Is |Are |Can you |Do you )")
_ALL_ABBREVIATIONS = {abbr.lower() for fam in ABBREVIATIONS.values() for _, abbr in fam}
_ABBREVIATION_PATTERNS = {
    name: tuple(
        (re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE), abbr) for phrase, abbr in pairs
    )
    for name, pairs in ABBREVIATIONS.items()
}
_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"
_WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "tues",
    "thurs",
    "wed",
)
_PAST = (
    "yesterday",
    "last week",
    "this morning",
    "last night",
    "the other day",
    "two days ago",
    "last month",
)
_SPOKEN_MINUTES = ("thirty", "fifteen", "forty-five", "o'clock", "in the afternoon", "in the morning", "pm")
_SOON = (
    "today",
    "tomorrow",
    "next week",
    "this weekend",
    "next month",
    "in a couple weeks",
    "later this week",
)
_STATES = (
    "Ohio",
    "Texas",
    "Florida",
    "California",
    "New York",
    "Georgia",
    "Arizona",
    "Oregon",
    "NJ",
    "PA",
    "Maine",
)
_PHARMACIES = (
    "CVS",
    "Walgreens",
    "Rite Aid",
    "Costco pharmacy",
    "the Walmart pharmacy",
    "Kroger pharmacy",
    "cvs",
)
_ROLES = ("nurse", "hygienist", "front desk", "receptionist", "billing department", "the doctor", "PA", "MA")


def _n(rng: random.Random, low: int, high: int) -> str:
    return str(rng.randint(low, high))


# Hard negatives: written like entities (numbers, dates, places, names of things) but none by the guide.
NEGATIVES: dict[str, Callable[[random.Random], str]] = {
    "time": lambda r: r.choice(
        (
            f"{_n(r, 1, 12)}pm",
            f"{_n(r, 7, 11)}am",
            f"{_n(r, 1, 12)}:{r.choice(('00', '15', '30', '45'))}",
            f"{_n(r, 1, 5)} pm",
            "noon",
            f"{_n(r, 8, 11)}:30am",
        )
    ),
    "spoken_time": lambda r: " ".join((number_words(r.randint(1, 12)), r.choice(_SPOKEN_MINUTES))),
    "older_age": lambda r: r.choice((_n(r, 60, 89), f"{_n(r, 60, 89)} years old", f"{_n(r, 60, 89)}yo")),
    "bp": lambda r: f"{_n(r, 105, 185)}/{_n(r, 60, 110)}",
    "temp": lambda r: r.choice(
        (f"{_n(r, 99, 103)}.{_n(r, 0, 9)}", _n(r, 100, 104), f"{_n(r, 99, 103)}.{_n(r, 0, 9)}F")
    ),
    "dose": lambda r: r.choice(
        (
            f"{r.choice(('5', '10', '20', '25', '50', '100', '250', '500'))}mg",
            f"{r.choice(('10', '20', '40', '500'))} mg",
            f"{_n(r, 1, 3)} tablets",
            f"{_n(r, 1, 4)} puffs",
            "half a pill",
        )
    ),
    "paid": lambda r: r.choice(
        (f"${_n(r, 20, 400)}", f"${_n(r, 20, 900)}.00", f"${_n(r, 1, 3)},{_n(r, 100, 999)}")
    ),
    "year": lambda r: _n(r, 1998, 2026),
    "weekday": lambda r: r.choice(_WEEKDAYS),
    "reldate": lambda r: r.choice(_PAST),
    "soon": lambda r: r.choice(_SOON),
    "state": lambda r: r.choice(_STATES),
    "pharmacy": lambda r: r.choice(_PHARMACIES),
    "role": lambda r: r.choice(_ROLES),
    "young_age": lambda r: r.choice(
        (f"{_n(r, 2, 16)} year old", f"{_n(r, 2, 12)}yo", f"{_n(r, 3, 11)} month old", "toddler", "teenager")
    ),
    "count": lambda r: r.choice(
        (
            f"{_n(r, 2, 9)} days",
            f"{_n(r, 2, 6)} weeks",
            "two weeks",
            "an hour",
            f"{_n(r, 2, 3)} hours",
            "45 minutes",
        )
    ),
    "order_no": lambda r: r.choice(
        (
            f"#{_n(r, 10000, 99999)}",
            f"{_n(r, 1000000, 9999999)}",
            f"W{_n(r, 100000, 999999)}",
            lookalike_id(r),
        )
    ),
    "weight": lambda r: f"{_n(r, 110, 260)} lbs",
    "cpt": lambda r: _n(r, 99202, 99499),
    "icd": lambda r: r.choice(("J06.9", "E11.9", "M54.5", "R51", "I10", "Z00.00", "K21.9")),
}


class Span(TypedDict):
    start: int
    end: int
    label: str


@dataclass
class Message:
    id: str
    text: str
    channel: str
    style: str
    generator: str
    intent: str
    spans: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Ent:
    """An entity in the making: its value and its label in each layer (``None``: not an entity there)."""

    value: str
    phi: str | None
    insurance: str | None

    def label(self, layer: str) -> str | None:
        return self.phi if layer == "phi" else self.insurance if layer == "insurance" else None

    @property
    def labels(self) -> set[str]:
        return {lab for lab in (self.phi, self.insurance) if lab}


_Part = str | _Ent
_Sentence = list[_Part]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == 1:
        out = word[:i] + word[i + 1 :]
    elif op == 2:
        out = word[:i] + word[i] + word[i:]
    else:
        out = word[:i] + rng.choice(_NEIGHBOURS) + word[i + 1 :]
    return word if out.lower() in _ALL_ABBREVIATIONS else out


def _map_plain(sentence: _Sentence, fn: Callable[[str], str]) -> _Sentence:
    return [fn(p) if isinstance(p, str) else p for p in sentence]


def _abbreviate(text: str, family: str, rate: float, rng: random.Random) -> str:
    if rate <= 0:
        return text
    for pattern, abbr in _ABBREVIATION_PATTERNS[family]:

        def swap(m: re.Match[str], abbr: str = abbr) -> str:
            return abbr if rng.random() < rate else m.group(0)

        text = pattern.sub(swap, text)
    return text


def _add_typos(text: str, rate: float, rng: random.Random) -> str:
    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 4 or w.lower() in _ALL_ABBREVIATIONS or rng.random() >= rate:
            return w
        return _typo(w, rng)

    return re.sub(r"[A-Za-z]+", one, text)


def _lower_first(text: str) -> str:
    """Lower-case a sentence's first letter, leaving "I" and acronyms ("SSN", "MRN") alone."""
    if not text or re.match(r"I\b", text) or (len(text) > 1 and text[1].isupper()):
        return text
    return text[:1].lower() + text[1:]


def _lower_first_part(sentence: _Sentence) -> _Sentence:
    if sentence and isinstance(sentence[0], str):
        return [_lower_first(sentence[0]), *sentence[1:]]
    return sentence


def _strip_terminal(sentence: _Sentence) -> _Sentence:
    if sentence and isinstance(sentence[-1], str):
        last = sentence[-1].rstrip(".")
        return [*sentence[:-1], last] if last else sentence[:-1]
    return sentence


def _tidy(sentence: _Sentence) -> _Sentence:
    """Adjacent plain parts merged, doubled spaces and spaces before punctuation (left by an empty
    alternative) removed."""
    out: _Sentence = []
    for part in sentence:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        elif part != "":
            out.append(part)
    return [re.sub(r" (?=[.,?!])", "", re.sub(r" {2,}", " ", p)) if isinstance(p, str) else p for p in out]


class _Builder:
    def __init__(self, family: Family, task: Task, cue_rate: float, seed: int) -> None:
        self.family = family
        self.task = task
        self.cue_rate = cue_rate
        self.rng = random.Random(f"clarioscope-local:{family.name}:{task}:{seed}")
        self.fake = Faker(list(NAME_LOCALES))
        self.fake.seed_instance(self.rng.randrange(2**31))
        self.layers = {"phi": PHI_TYPES, "insurance": INSURANCE_FIELDS}
        self.spoken = False

    # ---- grammar
    def entity(self, key: str) -> _Ent:
        labels = key.split(":")[0].split("+")
        phi = next((lab for lab in labels if lab in PHI_TYPES), None)
        insurance = next((lab for lab in labels if lab in INSURANCE_FIELDS), None)
        values = self.family.values
        fn = values.get(key) or values[key.split(":")[0]]
        return _Ent(fn(self.fake, self.rng, self.spoken), phi, insurance)

    def expand(self, template: str) -> _Sentence:
        parts: _Sentence = []
        pos = 0
        for m in _TOKEN.finditer(template):
            parts.append(template[pos : m.start()])
            if m.group(2) is not None:
                parts += self.expand(self.rng.choice(m.group(2).split("|")))
            elif m.group(1)[0].isupper():
                parts.append(self.entity(m.group(1)))
            elif m.group(1) in NEGATIVES:
                parts.append(NEGATIVES[m.group(1)](self.rng))
            else:
                parts += self.expand(self.rng.choice(self.family.lexicon(m.group(1))))
            pos = m.end()
        parts.append(template[pos:])
        return _tidy(parts)

    def pick(self, key: str) -> _Sentence:
        return self.expand(self.rng.choice(self.family[key]))

    def detail(self, label: str) -> _Sentence:
        return self.expand(self.rng.choice(self.family.details[label]))

    # ---- plan
    def detail_labels(self, index: int, intent: str) -> list[str]:
        rng = self.rng
        chosen: list[str] = []
        task_labels = self.layers.get(self.task, ())
        if index < len(task_labels):  # coverage: the first messages force each label once
            chosen.append(task_labels[index])
        counts, weights = _DETAIL_COUNTS[(self.task, "phi")]
        pool = {lab: _LABEL_WEIGHTS[lab] for lab in PHI_TYPES}
        chosen += [_weighted(rng, pool) for _ in range(rng.choices(counts, weights=weights)[0])]
        if rng.random() < min(0.95, _INSURANCE_TOPIC[intent] * _TOPIC_SCALE[self.task]):
            counts, weights = _DETAIL_COUNTS[(self.task, "insurance")]
            pool = {lab: _LABEL_WEIGHTS[lab] for lab in INSURANCE_FIELDS}
            chosen += [_weighted(rng, pool) for _ in range(rng.choices(counts, weights=weights)[0])]
        return list(dict.fromkeys(chosen))

    def spell_names(self, sentence: _Sentence) -> _Sentence:
        """Voicemail: a caller spells a surname letter by letter after saying it (a second NAME span)."""
        out: _Sentence = []
        for part in sentence:
            out.append(part)
            if (
                isinstance(part, _Ent)
                and part.phi == "NAME"
                and " " in part.value
                and self.rng.random() < 0.35
            ):
                surname = re.sub(r"[^A-Za-z]", "", part.value.split()[-1]).lower()
                if len(surname) >= 3:
                    out += [
                        f" {self.rng.choice(self.family['spell_intro'])} ",
                        _Ent(" ".join(surname), "NAME", None),
                    ]
        return out

    def build(self, index: int) -> tuple[str, str, str, str, list[Span]]:
        rng, fam = self.rng, self.family
        intent = INTENTS[index] if index < len(INTENTS) else _weighted(rng, _INTENT_WEIGHTS)
        channel = _weighted(rng, _CHANNEL_WEIGHTS)
        style: str = rng.choices(STYLES, weights=_STYLE_BY_CHANNEL[channel])[0]
        self.spoken = channel == "voicemail"
        detail_labels = self.detail_labels(index, intent)
        if self.spoken and "PHONE" not in detail_labels and rng.random() < 0.6:
            # callers leave a callback number: read out digit by digit, it must not pass for a member ID
            detail_labels.append("PHONE")
        if channel == "sms" and len(detail_labels) > 2 and index >= 30:
            detail_labels = detail_labels[:2]  # texts are short

        form = channel == "web_form" and rng.random() < 0.5
        fields: list[tuple[str, _Sentence]] = []
        if form:  # some details become form fields ("Phone: ..."), the rest stay in the message
            for key, names in fam["form_fields"].items():
                if key != "message" and set(key.split("+")) & set(detail_labels):
                    detail_labels = [lab for lab in detail_labels if lab not in key.split("+")]
                    slot = {"DATE": "DATE:dob", "LOC": rng.choice(("LOC:street", "LOC:city"))}.get(key, key)
                    fields.append((rng.choice(names), [self.entity(slot)]))
        details = [self.detail(label) for label in detail_labels]
        core = self.pick_intent(intent)
        body = [*details, core] if rng.random() < fam.details_first else [core, *details]
        aside_p = {"polished": 0.25, "casual": 0.45, "messy": 0.45}[style]
        if rng.random() < aside_p:
            body.insert(rng.randint(0, len(body)), self.pick("asides"))

        urgent = style == "messy" and rng.random() < (
            0.55 if intent in ("complaint", "clinical_concern") else 0.3
        )
        urgency: _Sentence | None = (
            [rng.choice(fam["urgency"]) + rng.choice(("", "!", "!!"))] if urgent else None
        )

        opener: _Sentence | None = None
        greet_p = {"polished": 0.9, "casual": 0.45, "messy": 0.15}[style]
        if channel == "sms":
            greet_p /= 2
        if channel == "voicemail" and rng.random() < 0.6:
            opener = self.pick("voicemail_openers")
        elif rng.random() < greet_p and not form:
            opener = [rng.choice(fam["greetings"])]

        closing: _Sentence | None = None
        close_p = {"polished": 0.8, "casual": 0.4, "messy": 0.15}[style]
        if rng.random() < close_p and not form:
            closing = self.pick("named_closings") if rng.random() < 0.3 else [rng.choice(fam["closings"])]
            if channel == "email" and rng.random() < 0.3:
                closing = [*closing, "\n", *self.pick("signature_extra")]

        # ---- style transforms, on plain parts only
        lower = (
            (style == "messy" and rng.random() < 0.6)
            or (style == "casual" and rng.random() < (0.5 if channel in ("sms", "voicemail") else 0.15))
            or (self.spoken and style != "polished")
        )
        abbr_rate = {"polished": 0.0, "casual": 0.6, "messy": 0.85}[style]
        typo_rate = {"polished": 0.0, "casual": 0.01, "messy": 0.07}[style]

        def style_sentence(s: _Sentence) -> _Sentence:
            if style == "messy" and rng.random() < 0.4 and s and isinstance(s[0], str):
                stripped = _FRAGMENT_LEAD.sub("", s[0])
                s = [_lower_first(stripped), *s[1:]] if stripped else s[1:]
            if lower:
                s = [p.lower() if isinstance(p, str) else p for p in s]
                s = [
                    _Ent(p.value.lower(), p.phi, p.insurance)
                    if isinstance(p, _Ent) and p.labels & _LOWERCASE_LABELS
                    else p
                    for p in s
                ]
            s = _map_plain(s, lambda t: _abbreviate(t, fam.name, abbr_rate, rng))
            s = _map_plain(s, lambda t: _add_typos(t, typo_rate, rng))
            if style == "messy" and rng.random() < 0.5:
                s = _strip_terminal(s)
            return s

        body = [style_sentence(s) for s in body]
        if opener is not None and style != "polished":
            opener = _map_plain(opener, lambda t: t.lower() if lower else t)
        if closing is not None and style != "polished":
            closing = style_sentence(closing)

        email_layout = channel == "email" and style != "messy"
        if (
            opener is not None
            and not email_layout
            and isinstance(opener[-1], str)
            and opener[-1].endswith(",")
        ):
            body[0] = _lower_first_part(body[0])
        runon = channel == "voicemail" and style != "polished"
        if self.spoken:
            body = [self.spell_names(s) for s in body]
            if opener is not None:
                opener = self.spell_names(opener)
            if rng.random() < 0.5:
                body[0] = [rng.choice(fam["fillers"]) + " ", *body[0]]
        if runon:
            body = [_strip_terminal(s) for s in body]
            body[1:] = [_lower_first_part(s) for s in body[1:]]
            if closing is not None:
                closing = _lower_first_part(closing)
        sentences: list[_Sentence] = []
        if opener is not None:
            sentences.append(opener)
        if urgency is not None and rng.random() < 0.5:
            sentences.append(urgency)
            urgency = None
        sentences.extend(body)
        if urgency is not None:
            sentences.append(urgency)
        if closing is not None:
            sentences.append(closing)
        drop_p = {"polished": 0.0, "casual": 0.5, "messy": 0.75}[style]
        if channel == "sms":
            drop_p = min(1.0, drop_p + 0.3)
        if rng.random() < drop_p:
            sentences[-1] = _strip_terminal(sentences[-1])
        chat_lines = channel == "portal_chat" and rng.random() < 0.4
        return self.assemble(
            sentences, fields, opener, closing, intent, channel, style, lower, runon, email_layout, chat_lines
        )

    def pick_intent(self, intent: str) -> _Sentence:
        return self.expand(self.rng.choice(self.family.intents[intent]))

    def assemble(
        self,
        sentences: list[_Sentence],
        fields: list[tuple[str, _Sentence]],
        opener: _Sentence | None,
        closing: _Sentence | None,
        intent: str,
        channel: str,
        style: str,
        lower: bool,
        runon: bool,
        email_layout: bool,
        chat_lines: bool,
    ) -> tuple[str, str, str, str, list[Span]]:
        """The text and the task layer's spans (with deliberate cue-word contamination)."""
        rng, fam = self.rng, self.family
        out: list[str] = []
        length = 0
        spans: list[tuple[int, int, str]] = []
        layer = self.task if self.task in self.layers else None

        def emit(s: str) -> None:
            nonlocal length
            out.append(s)
            length += len(s)

        def emit_parts(sent: _Sentence) -> None:
            for part in sent:
                if isinstance(part, str):
                    emit(part)
                    continue
                label = part.label(layer) if layer else None
                start = length
                if label is not None and rng.random() < self.cue_rate:
                    cue = rng.choice(CUE_WORDS[label])
                    if lower:
                        cue = cue.lower()
                    if "".join(out).lower().endswith(cue.lower() + " "):
                        start = length - len(cue) - 1
                    else:
                        emit(cue + " ")
                emit(part.value)
                if label is not None:
                    spans.append((start, length, label))

        for name, value in fields:
            emit(f"{name}: ")
            emit_parts(value)
            emit("\n")
        if fields:
            emit(f"{rng.choice(fam['form_fields']['message'])}: ")
        for i, sent in enumerate(sentences):
            if i:
                if runon and sentences[i - 1] is not opener:
                    emit(rng.choice(fam["runon_joiners"]))
                elif email_layout and ((i == 1 and opener is not None) or sent is closing):
                    emit("\n\n")
                elif chat_lines:
                    emit("\n")
                else:
                    emit(" ")
            emit_parts(sent)
        raw = "".join(out)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        shifted = [(s - lead, e - lead, lab) for s, e, lab in spans]
        for s, e, lab in shifted:  # exact by construction; a cheap guard against a future edit breaking that
            assert text[s:e].strip() == text[s:e] and e > s, (text, s, e, lab)
        return text, channel, style, intent, [Span(start=s, end=e, label=lab) for s, e, lab in shifted]


def generate_messages(
    family: FamilyName,
    n: int,
    seed: int,
    *,
    task: Task,
    cue_rate: float = 0.08,
) -> list[Message]:
    """``n`` ClarioScope intake messages from local generator ``family`` ("A" or "B"), deterministic by seed.

    Every intent appears once n ≥ 7; for task ``phi`` / ``insurance`` every label appears once n ≥ 18 / 12.
    ``cue_rate`` is the share of spans that wrongly include a cue word.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown generator family {family!r}; expected 'A' or 'B'")
    if task not in ("intent", "phi", "insurance"):
        raise ValueError(f"unknown task {task!r}")
    if n < 0:
        raise ValueError("n must be >= 0")
    builder = _Builder(FAMILIES[family], task, cue_rate, seed)
    rows = [builder.build(i) for i in range(n)]
    builder.rng.shuffle(rows)
    generator = f"local-{family}"
    return [
        Message(
            id=f"{generator}-{task}-{seed}-{i:06d}",
            text=text,
            channel=channel,
            style=style,
            generator=generator,
            intent=intent,
            spans=spans,
        )
        for i, (text, channel, style, intent, spans) in enumerate(rows)
    ]
