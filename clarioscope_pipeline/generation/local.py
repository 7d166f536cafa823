"""The local (offline) ClarioScope message generator, deterministic by seed.

A message is built sentence by sentence from a family's templates. Each sentence is a list of parts, plain
text or an entity (label, value). Style transforms (abbreviations, typos, lowercase, fragments, dropped
punctuation, ALL CAPS urgency, run-on voicemail) act on the plain parts only, before the text is assembled, so
every span's offsets are exact by construction: ``text[start:end]`` is the entity as written (plus, for a
deliberately contaminated span, the cue word before it).

Spans by task: ``phi`` labels PHI types, ``insurance`` labels insurance fields, ``intent`` records no spans
(its messages may still carry names, dates or IDs in the text, unlabelled). Every message has an intent.

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

from clarioscope_pipeline.generation.families import ABBREVIATIONS, CUE_WORDS, FAMILIES, Family
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
# Relative frequency of entity types in intake text: names, dates, phones everywhere; vehicles rare.
_LABEL_WEIGHTS = {
    "NAME": 10, "LOC": 5, "DATE": 8, "PHONE": 7, "FAX": 1.5, "EMAIL": 4, "SSN": 1.5, "MRN": 4,
    "HEALTH_PLAN": 3, "ACCOUNT": 3, "LICENSE": 1, "VEHICLE": 0.8, "DEVICE": 1, "URL": 1.2, "IP": 0.8,
    "BIOMETRIC": 0.8, "PHOTO_REF": 1.2, "AGE_OVER_89": 1,
    "CARRIER": 8, "PLAN_TYPE": 5, "MEMBER_ID": 8, "GROUP_NUMBER": 5, "POLICY_NUMBER": 3, "SUBSCRIBER_NAME": 3,
    "RELATIONSHIP": 3, "CLAIM_ID": 3, "AUTH_NUMBER": 2, "COPAY": 4, "DEDUCTIBLE": 3, "BILLED_AMOUNT": 4,
}  # fmt: skip
_LOWERCASE_LABELS = {"NAME", "LOC", "EMAIL", "SUBSCRIBER_NAME", "CARRIER", "RELATIONSHIP"}
_SLOT = re.compile(r"\{([A-Z_0-9]+)\}")
_FRAGMENT_LEAD = re.compile(r"^(I'm |I am |I |My |Is |Are |Can you |Do you )")
_ALL_ABBREVIATIONS = {abbr.lower() for fam in ABBREVIATIONS.values() for _, abbr in fam}
_ABBREVIATION_PATTERNS = {
    name: tuple(
        (re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE), abbr) for phrase, abbr in pairs
    )
    for name, pairs in ABBREVIATIONS.items()
}
_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


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
    label: str
    value: str


_Part = str | _Ent
_Sentence = list[_Part]


def _parse(template: str, family: Family, fake: Faker, rng: random.Random) -> _Sentence:
    parts: _Sentence = []
    pos = 0
    for m in _SLOT.finditer(template):
        if m.start() > pos:
            parts.append(template[pos : m.start()])
        parts.append(_Ent(m.group(1), family.values[m.group(1)](fake, rng)))
        pos = m.end()
    if pos < len(template):
        parts.append(template[pos:])
    return parts


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


class _Builder:
    def __init__(self, family: Family, task: Task, cue_rate: float, seed: int) -> None:
        self.family = family
        self.task = task
        self.cue_rate = cue_rate
        self.rng = random.Random(f"clarioscope-local:{family.name}:{task}:{seed}")
        self.fake = Faker("en_US")
        self.fake.seed_instance(self.rng.randrange(2**31))
        labels: tuple[str, ...] = {"phi": PHI_TYPES, "insurance": INSURANCE_FIELDS, "intent": PHI_TYPES}[task]
        self.label_weights = {label: _LABEL_WEIGHTS[label] for label in labels}

    def sentence(self, template: str) -> _Sentence:
        return _parse(template, self.family, self.fake, self.rng)

    def build(self, index: int) -> tuple[str, str, str, str, list[Span]]:
        rng, fam = self.rng, self.family
        # Coverage: the first messages of a batch force each intent / label once; the batch is shuffled after.
        intent = INTENTS[index] if index < len(INTENTS) else _weighted(rng, _INTENT_WEIGHTS)
        channel = _weighted(rng, _CHANNEL_WEIGHTS)
        style: str = rng.choices(STYLES, weights=_STYLE_BY_CHANNEL[channel])[0]
        labels = list(self.label_weights)
        if self.task == "intent":
            detail_labels = [_weighted(rng, self.label_weights) for _ in range(rng.choice((0, 0, 1, 1, 2)))]
        else:
            k = rng.choices((1, 2, 3, 4), weights=(3, 4, 3, 1))[0]
            detail_labels = [_weighted(rng, self.label_weights) for _ in range(k)]
            if index < len(labels):
                detail_labels[0] = labels[index]
        detail_labels = list(dict.fromkeys(detail_labels))

        details = [self.sentence(rng.choice(fam.details[label])) for label in detail_labels]
        core = self.sentence(rng.choice(fam.intents[intent]))
        body = [*details, core] if rng.random() < fam.details_first else [core, *details]

        extra_p = {"polished": 0.2, "casual": 0.5, "messy": 0.5}[style]
        if rng.random() < extra_p:
            body.insert(rng.randint(1, len(body)), self.sentence(rng.choice(fam.casual_extras)))

        urgent = style == "messy" and rng.random() < (
            0.55 if intent in ("complaint", "clinical_concern") else 0.3
        )
        urgency: _Sentence | None = (
            [rng.choice(fam.urgency) + rng.choice(("", "!", "!!"))] if urgent else None
        )

        opener: _Sentence | None = None
        greet_p = {"polished": 0.9, "casual": 0.45, "messy": 0.15}[style]
        if channel == "voicemail" and self.task == "phi" and rng.random() < 0.6:
            opener = self.sentence(rng.choice(fam.voicemail_openers))
        elif rng.random() < greet_p:
            opener = [rng.choice(fam.greetings)]

        closing: _Sentence | None = None
        close_p = {"polished": 0.8, "casual": 0.4, "messy": 0.15}[style]
        if rng.random() < close_p:
            if self.task == "phi" and rng.random() < 0.3:
                closing = self.sentence(rng.choice(fam.named_closings))
            else:
                closing = [rng.choice(fam.closings)]

        # ---- style transforms, on plain parts only
        lower = (style == "messy" and rng.random() < 0.6) or (style == "casual" and rng.random() < 0.15)
        abbr_rate = {"polished": 0.0, "casual": 0.6, "messy": 0.85}[style]
        typo_rate = {"polished": 0.0, "casual": 0.01, "messy": 0.07}[style]

        def style_sentence(s: _Sentence) -> _Sentence:
            if style == "messy" and rng.random() < 0.4 and s and isinstance(s[0], str):
                stripped = _FRAGMENT_LEAD.sub("", s[0])
                s = [_lower_first(stripped), *s[1:]] if stripped else s[1:]
            if lower:
                s = [p.lower() if isinstance(p, str) else p for p in s]
                s = [
                    _Ent(p.label, p.value.lower())
                    if isinstance(p, _Ent) and p.label in _LOWERCASE_LABELS
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

        email_layout = channel == "email" and style == "polished"
        if (
            opener is not None
            and not email_layout
            and isinstance(opener[-1], str)
            and opener[-1].endswith(",")
        ):
            body[0] = _lower_first_part(body[0])
        runon = channel == "voicemail" and style != "polished"
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
        if rng.random() < drop_p:
            sentences[-1] = _strip_terminal(sentences[-1])

        # ---- assemble, recording spans (with deliberate cue-word contamination)
        out: list[str] = []
        length = 0
        spans: list[tuple[int, int, str]] = []
        record = self.task in ("phi", "insurance")

        def emit(s: str) -> None:
            nonlocal length
            out.append(s)
            length += len(s)

        for i, sent in enumerate(sentences):
            if i:
                if runon and sentences[i - 1] is not opener:
                    emit(rng.choice(fam.runon_joiners))
                elif email_layout and ((i == 1 and opener is not None) or sent is closing):
                    emit("\n\n")
                else:
                    emit(" ")
            for part in sent:
                if isinstance(part, str):
                    emit(part)
                    continue
                start = length
                if record and rng.random() < self.cue_rate:
                    cue = rng.choice(CUE_WORDS[part.label])
                    if lower:
                        cue = cue.lower()
                    so_far = "".join(out)
                    if so_far.lower().endswith(cue.lower() + " "):
                        start = length - len(cue) - 1
                    else:
                        emit(cue + " ")
                emit(part.value)
                if record:
                    spans.append((start, length, part.label))
        raw = "".join(out)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        spans = [(s - lead, e - lead, lab) for s, e, lab in spans]
        for s, e, lab in spans:  # exact by construction; a cheap guard against a future edit breaking that
            assert text[s:e].strip() == text[s:e] and e > s, (text, s, e, lab)
        return text, channel, style, intent, [Span(start=s, end=e, label=lab) for s, e, lab in spans]


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
    messages = []
    for i, (text, channel, style, intent, spans) in enumerate(rows):
        messages.append(
            Message(
                id=f"{generator}-{task}-{seed}-{i:06d}",
                text=text,
                channel=channel,
                style=style,
                generator=generator,
                intent=intent,
                spans=spans,
            )
        )
    return messages
