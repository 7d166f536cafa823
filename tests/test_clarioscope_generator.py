"""Local ClarioScope generator: determinism, exact spans, distinct families, style mix, coverage, cue."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from clarioscope_pipeline.generation import (
    ABBREVIATIONS,
    CHANNELS,
    CUE_WORDS,
    FAMILIES,
    Message,
    Span,
    generate_messages,
    realism_stats,
)
from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES

TASK_LABELS = {"phi": PHI_TYPES, "insurance": INSURANCE_FIELDS}


@cache
def batch(family: str, n: int, seed: int, task: str) -> tuple[Message, ...]:
    return tuple(generate_messages(family, n, seed, task=task))  # type: ignore[arg-type]


def _masked(m: Message) -> str:
    """The text with every span blanked out, so template words can be compared without entity values."""
    out, pos = [], 0
    for s in sorted(m.spans, key=lambda s: s["start"]):
        out.append(m.text[pos : s["start"]])
        out.append(" ")
        pos = s["end"]
    out.append(m.text[pos:])
    return "".join(out)


def _has_cue(m: Message, span: Span) -> bool:
    value = m.text[span["start"] : span["end"]].lower()
    return any(value.startswith(cue.lower() + " ") for cue in CUE_WORDS[span["label"]])


def test_same_seed_same_output_and_different_seed_differs() -> None:
    for task in ("intent", "phi", "insurance"):
        a1 = generate_messages("A", 60, 11, task=task)
        a2 = generate_messages("A", 60, 11, task=task)
        assert a1 == a2
        a3 = generate_messages("A", 60, 12, task=task)
        assert [m.text for m in a1] != [m.text for m in a3]
        assert len({m.id for m in a1}) == 60


@pytest.mark.parametrize("family", ["A", "B"])
@pytest.mark.parametrize("task", ["intent", "phi", "insurance"])
def test_fields_and_exact_spans(family: str, task: str) -> None:
    msgs = batch(family, 500, 3, task)
    assert len(msgs) == 500
    for m in msgs:
        assert m.generator == f"local-{family}"
        assert m.channel in CHANNELS
        assert m.style in ("polished", "casual", "messy")
        assert m.intent in INTENTS
        assert m.text and m.text == m.text.strip()
        if task == "intent":
            assert m.spans == []
            continue
        assert m.spans
        prev_end = 0
        for s in sorted(m.spans, key=lambda s: s["start"]):
            start, end = s["start"], s["end"]
            assert s["label"] in TASK_LABELS[task]
            assert 0 <= start < end <= len(m.text) and start >= prev_end
            piece = m.text[start:end]
            assert piece == piece.strip() and piece
            prev_end = end


@pytest.mark.parametrize("task", ["intent", "phi", "insurance"])
def test_coverage_of_every_intent_and_label(task: str) -> None:
    for family in ("A", "B"):
        msgs = batch(family, 500, 3, task)
        intents = Counter(m.intent for m in msgs)
        assert set(intents) == set(INTENTS)
        assert min(intents.values()) >= 20  # spread, not a token appearance
        if task != "intent":
            labels = Counter(s["label"] for m in msgs for s in m.spans)
            assert set(labels) == set(TASK_LABELS[task])
            assert min(labels.values()) >= 5
            assert max(labels.values()) > 3 * min(labels.values())  # realistic skew, not uniform


def test_coverage_even_for_small_batches() -> None:
    msgs = generate_messages("B", 20, 5, task="phi")
    assert {m.intent for m in msgs} == set(INTENTS)
    assert {s["label"] for m in msgs for s in m.spans} == set(PHI_TYPES)


@pytest.mark.parametrize("family", ["A", "B"])
def test_style_mix_near_40_40_20_and_channel_scaled(family: str) -> None:
    msgs = batch(family, 1000, 9, "intent")
    shares = realism_stats(msgs)["style_shares"]
    assert isinstance(shares, dict)
    assert abs(shares["polished"] - 0.40) <= 0.08
    assert abs(shares["casual"] - 0.40) <= 0.08
    assert abs(shares["messy"] - 0.20) <= 0.08

    def messy_share(channels: set[str]) -> float:
        sel = [m for m in msgs if m.channel in channels]
        return sum(m.style == "messy" for m in sel) / len(sel)

    assert messy_share({"sms", "voicemail"}) > messy_share({"email", "web_form"}) + 0.08


def test_realism_stats_measure_the_messiness() -> None:
    msgs = batch("A", 1000, 9, "intent")
    stats = realism_stats(msgs)
    for key in (
        "greetingless_share",
        "abbreviation_share",
        "no_terminal_punctuation_share",
        "all_caps_share",
    ):
        assert 0.02 < float(stats[key]) < 0.9, (key, stats)  # type: ignore[arg-type]
    polished = realism_stats([m for m in msgs if m.style == "polished"])
    messy = realism_stats([m for m in msgs if m.style == "messy"])
    for key in (
        "greetingless_share",
        "abbreviation_share",
        "no_terminal_punctuation_share",
        "all_caps_share",
    ):
        assert float(messy[key]) > float(polished[key]), key  # type: ignore[arg-type]
    assert realism_stats([]) == {"n": 0}


def _abbr_pattern(family: str) -> re.Pattern[str]:
    abbrs = [a for _, a in ABBREVIATIONS[family]]
    return re.compile("|".join(rf"(?<![\w/&]){re.escape(a)}(?![\w/&])" for a in abbrs), re.IGNORECASE)


def test_families_use_disjoint_abbreviation_sets() -> None:
    assert not {a.lower() for _, a in ABBREVIATIONS["A"]} & {a.lower() for _, a in ABBREVIATIONS["B"]}
    for task in ("phi", "insurance"):
        a_texts = [_masked(m) for m in batch("A", 500, 3, task)]
        b_texts = [_masked(m) for m in batch("B", 500, 3, task)]
        own_a = sum(bool(_abbr_pattern("A").search(t)) for t in a_texts)
        own_b = sum(bool(_abbr_pattern("B").search(t)) for t in b_texts)
        assert own_a > 100 and own_b > 100
        assert [t for t in a_texts if _abbr_pattern("B").search(t)] == []
        assert [t for t in b_texts if _abbr_pattern("A").search(t)] == []


def _values(family: str, task: str, label: str) -> list[str]:
    out = []
    for m in batch(family, 500, 3, task):
        for s in m.spans:
            if s["label"] == label and not _has_cue(m, s):
                out.append(m.text[s["start"] : s["end"]])
    return out


ID_FORMATS = {
    # label: (family A format, family B format)
    ("phi", "MRN"): (r"(OMK|CLS|HVN)-\d{5}|\d{7}", r"RMR-\d{6}|MR\d{8}"),
    ("phi", "SSN"): (r"\d{3}-\d{2}-\d{4}", r"\d{3} \d{2} \d{4}"),
    ("insurance", "MEMBER_ID"): (r"[A-Z]{3}-\d{3}-\d{4}", r"[A-Z]\d{8}"),
    ("insurance", "GROUP_NUMBER"): (r"GRP-\d{5}", r"\d{7}-\d{2}"),
    ("insurance", "CLAIM_ID"): (r"CLM-\d{4}-\d{5}", r"C\d{8}"),
    ("insurance", "AUTH_NUMBER"): (r"PA-\d{4}", r"AUTH\d{6}"),
    ("insurance", "COPAY"): (r"\$\d+", r"\$\d+\.\d\d"),
}


@pytest.mark.parametrize(("task", "label"), list(ID_FORMATS))
def test_id_formats_differ_between_families(task: str, label: str) -> None:
    fmt_a, fmt_b = ID_FORMATS[(task, label)]
    a_vals, b_vals = _values("A", task, label), _values("B", task, label)
    assert a_vals and b_vals
    assert all(re.fullmatch(fmt_a, v) for v in a_vals), a_vals[:5]
    assert all(re.fullmatch(fmt_b, v) for v in b_vals), b_vals[:5]
    assert not any(re.fullmatch(fmt_b, v) for v in a_vals)
    assert not any(re.fullmatch(fmt_a, v) for v in b_vals)


def _trigrams(texts: list[str]) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for t in texts:
        words = re.findall(r"[a-z']+", t.lower())
        grams.update(zip(words, words[1:], words[2:], strict=False))
    return grams


def test_families_share_few_word_trigrams() -> None:
    a1 = _trigrams([_masked(m) for m in batch("A", 500, 3, "phi")])
    a2 = _trigrams([_masked(m) for m in batch("A", 500, 4, "phi")])
    b1 = _trigrams([_masked(m) for m in batch("B", 500, 3, "phi")])

    def jaccard(x: set[tuple[str, ...]], y: set[tuple[str, ...]]) -> float:
        return len(x & y) / len(x | y)

    within, across = jaccard(a1, a2), jaccard(a1, b1)
    assert within > 0.25  # measured ~0.38 (seeds 3 vs 4)
    assert across < 0.05  # measured ~0.002
    assert across < within / 4


@pytest.mark.parametrize("task", ["phi", "insurance"])
def test_cue_word_contamination_near_configured_rate(task: str) -> None:
    for family in ("A", "B"):
        msgs = batch(family, 500, 3, task)
        spans = [(m, s) for m in msgs for s in m.spans]
        rate = sum(_has_cue(m, s) for m, s in spans) / len(spans)
        assert 0.05 <= rate <= 0.11, (family, rate)
    clean = generate_messages("A", 300, 3, task=task, cue_rate=0.0)  # type: ignore[arg-type]
    assert not any(_has_cue(m, s) for m in clean for s in m.spans)
    heavy = generate_messages("A", 300, 3, task=task, cue_rate=0.5)  # type: ignore[arg-type]
    heavy_spans = [(m, s) for m in heavy for s in m.spans]
    assert 0.4 <= sum(_has_cue(m, s) for m, s in heavy_spans) / len(heavy_spans) <= 0.6


def test_intent_disambiguation_rules_in_templates() -> None:
    for family in FAMILIES.values():
        t = {intent: [x.lower() for x in templates] for intent, templates in family.intents.items()}
        # pricing questions with no commitment are price_shopper
        assert all(re.search(r"pric|cost|charge|fee|how much", x) for x in t["price_shopper"])
        assert all(re.search(r"just|only|not|compar|quote|checking", x) for x in t["price_shopper"])
        # a new patient asking for a first visit is new_patient_inquiry, not appointment_request
        assert all(
            re.search(r"new patient|become a patient|never been|establish", x)
            for x in t["new_patient_inquiry"]
        )
        assert not any(re.search(r"new patient|first visit", x) for x in t["appointment_request"])
        # complaint dominates a clinical concern voiced with dissatisfaction
        dissatisfied = r"unacceptable|rude|upset|frustrat|terrible|disappoint|complaint"
        assert all(re.search(dissatisfied, x) for x in t["complaint"])
        assert any(re.search(r"pain|symptom", x) for x in t["complaint"])
        assert not any(re.search(dissatisfied, x) for x in t["clinical_concern"])
    # and the generated intents follow the templates: every complaint message still reads as dissatisfied
    for m in batch("B", 500, 3, "intent"):
        if m.intent == "complaint" and m.style == "polished":
            assert re.search(
                r"unacceptable|rude|upset|frustrat|terrible|disappoint|complaint", m.text.lower()
            )


def test_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate_messages("C", 5, 1, task="phi")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        generate_messages("A", 5, 1, task="ner")  # type: ignore[arg-type]
    assert generate_messages("A", 0, 1, task="phi") == []


@pytest.mark.parametrize("family", ["A", "B"])
@pytest.mark.parametrize("task", ["phi", "insurance"])
def test_the_cue_word_cleaner_removes_what_the_generator_leaves_in_spans(family, task):
    from slmkit.cue_words import clean_spans, contamination_rate

    messages = generate_messages(family, 600, seed=11, task=task)
    raw = [{"text": m.text, "spans": m.spans} for m in messages]
    cleaned = [{"text": r["text"], "spans": clean_spans(r["text"], r["spans"])[0]} for r in raw]
    assert contamination_rate(raw) > 0.04  # the generator makes the mistake...
    assert contamination_rate(cleaned) <= 0.005  # ...and cleaning brings it under the blocking threshold
    assert sum(len(r["spans"]) for r in cleaned) >= 0.99 * sum(len(r["spans"]) for r in raw)
