"""The Dagster-free ClarioScope dataset helpers: generation, cleaning, splits, duplicate search, QA rules."""

import time
from typing import Any

import pytest

from clarioscope_pipeline import datasets
from clarioscope_pipeline.datasets import (
    assign_splits,
    clean_records,
    drop_cross_split_duplicates,
    near_duplicates,
    raw_records,
)
from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES

SMALL = datasets.Profile("small", train_val=60, test=30)


def _record(i, text, split, generator="local-A", **extra):
    return {"id": f"r{i}", "text": text, "split": split, "generator": generator, **extra}


@pytest.mark.parametrize("task", datasets.TASKS)
def test_raw_records_are_deterministic_and_sized_by_profile(task):
    first = raw_records(task, SMALL, seed=3)
    assert first == raw_records(task, SMALL, seed=3)
    assert first != raw_records(task, SMALL, seed=4)
    assert [r["generator"] for r in first].count("local-A") == 60
    assert [r["generator"] for r in first].count("local-B") == 30
    assert len({r["id"] for r in first}) == 90
    demo = datasets.PROFILES["demo"]
    assert demo.train_val >= 2000 and demo.test >= 300  # thousands of messages per task, not hundreds
    record = first[0]
    assert record["source"] == "local" and record["label_origin"] == "generator"
    assert {"id", "text", "channel", "style", "generator"} <= set(record)
    assert ("intent" in record) == (task == "intent") and ("spans" in record) == (task != "intent")


def test_profiles_and_bad_arguments():
    assert datasets.PROFILES["full"].train_val == 9000 and datasets.PROFILES["full"].test == 1000
    with pytest.raises(ValueError, match="unknown profile"):
        raw_records("phi", "huge")
    with pytest.raises(ValueError, match="unknown task"):
        raw_records("sentiment", "demo")  # type: ignore[arg-type]


def test_cleaning_strips_cues_keeps_the_parenthesis_and_counts_per_label():
    text = "My MRN 8472301 and call (617) 555-1234, copay $35."
    records: list[dict[str, Any]] = [
        {
            "id": "x",
            "text": text,
            "spans": [
                {"start": 3, "end": 14, "label": "MRN"},  # "MRN 8472301"
                {"start": 24, "end": 38, "label": "PHONE"},  # "(617) 555-1234": clean already
                {"start": 40, "end": 45, "label": "COPAY"},  # "copay": nothing left but the cue
            ],
        },
        {"id": "y", "text": "no spans here", "intent": "complaint"},
    ]
    cleaned, report = clean_records(records)
    spans = cleaned[0]["spans"]
    assert [text[s["start"] : s["end"]] for s in spans] == ["8472301", "(617) 555-1234"]
    assert report.total == 3
    assert dict(report.changed) == {"MRN": 1} and dict(report.dropped) == {"COPAY": 1}
    assert cleaned[1] == records[1]  # intent records pass through
    table = datasets.clean_report_markdown(report)
    assert "| MRN | 1 | 0 |" in table and "| COPAY | 0 | 1 |" in table


@pytest.mark.parametrize("task", ["phi", "insurance"])
def test_cleaning_generated_spans_leaves_no_contamination(task):
    raw = raw_records(task, SMALL, seed=1)
    assert datasets.problems_contamination(raw, max_rate=0.0)[0] > 0  # the generator errs on purpose
    cleaned, report = clean_records(raw)
    assert report.total == sum(len(r["spans"]) for r in raw)
    assert sum(report.changed.values()) > 0
    assert datasets.problems_contamination(cleaned, max_rate=0.0) == (0.0, [])
    assert datasets.problems_spans(task, cleaned) == []


def test_splits_are_deterministic_by_generator_and_keep_identical_texts_together():
    raw = raw_records("phi", "demo", seed=0)
    split = assign_splits(raw, seed=0)
    assert split == assign_splits(raw, seed=0)
    assert {r["split"] for r in split if r["generator"] == "local-B"} == {"test"}
    a = [r["split"] for r in split if r["generator"] == "local-A"]
    assert set(a) == {"train", "val"} and 0.8 < a.count("train") / len(a) < 0.97
    twins = assign_splits(
        [{"id": str(i), "text": f"Same text{'!' * i}  here", "generator": "local-A"} for i in range(50)],
        seed=0,
    )
    assert len({r["split"] for r in twins}) == 1  # equal after normalising → one split


def test_near_duplicates_find_planted_pairs_and_ignore_distinct_texts():
    long = (
        "I need to reschedule my appointment for tomorrow because my car broke down on the highway "
        "this morning"
    )
    records = [
        _record(0, long, "train"),
        _record(1, long.upper().replace(" ", "   ") + "!!", "test", "local-B"),  # exact after normalising
        _record(2, long + " thanks", "val"),  # near: one extra word
        _record(
            3, "What is the cash price for a cleaning and x-rays? Just gathering quotes.", "test", "local-B"
        ),
        _record(4, "Can you tell me the self pay price for a flu test? I'm checking a few offices.", "train"),
        _record(5, long, "train"),  # same split as record 0: not a cross-split pair
    ]
    pairs = {(p.a, p.b, p.kind) for p in near_duplicates(records)}
    assert (0, 1, "exact") in pairs and (1, 5, "exact") in pairs
    assert (0, 2, "near") in pairs and (1, 2, "near") in pairs
    assert not any({3, 4} & {a, b} for a, b, _ in pairs)
    assert not any({a, b} == {0, 5} for a, b, _ in pairs)
    within = {(p.a, p.b) for p in near_duplicates(records, across_splits=False)}
    assert (0, 5) in within
    kept, dropped = drop_cross_split_duplicates(records)
    assert dropped == ["r0", "r2", "r5"]  # test beats train beats val
    assert near_duplicates(kept) == []
    assert datasets.problems_duplicates(kept) == []
    assert len(datasets.problems_duplicates(records)) == len(near_duplicates(records))


def test_near_duplicate_search_is_fast_on_thousands_of_texts():
    raw = raw_records("insurance", datasets.Profile("mid", train_val=2700, test=300), seed=0)
    records = assign_splits(raw, seed=0)
    started = time.perf_counter()
    near_duplicates(records)
    assert time.perf_counter() - started < 5


def test_realism_tolerance():
    good = {
        "n": 100,
        "greetingless_share": 0.4,
        "abbreviation_share": 0.5,
        "no_terminal_punctuation_share": 0.35,
        "all_caps_share": 0.06,
        "style_shares": {"polished": 0.42, "casual": 0.38, "messy": 0.2},
    }
    assert datasets.problems_realism(good) == []
    skewed = {**good, "style_shares": {"polished": 0.7, "casual": 0.2, "messy": 0.1}}
    assert [p.split(":")[0] for p in datasets.problems_realism(skewed)] == ["style polished", "style casual"]
    shouting = {**good, "all_caps_share": 0.6}
    assert datasets.problems_realism(shouting) == ["all_caps_share: 60.0% outside [1%, 20%]"]
    assert datasets.problems_realism({"n": 0}) == ["no records"]


def test_qa_rules_flag_bad_records():
    text = "Call Ann at 555-1234"
    assert (
        datasets.problems_spans(
            "phi", [{"id": "a", "text": text, "spans": [{"start": 5, "end": 8, "label": "NAME"}]}]
        )
        == []
    )
    bad = [
        {"id": "a", "text": text, "spans": [{"start": 5, "end": 30, "label": "NAME"}]},
        {"id": "b", "text": text, "spans": [{"start": 12, "end": 20, "label": "TELEPHONE"}]},
        {
            "id": "c",
            "text": text,
            "spans": [{"start": 5, "end": 8, "label": "NAME"}, {"start": 6, "end": 9, "label": "NAME"}],
        },
    ]
    problems = datasets.problems_spans("phi", bad)
    assert len(problems) == 3 and "out of range" in problems[0] and "unknown label" in problems[1]
    assert datasets.problems_spans("intent", [{"id": "i", "text": "x", "intent": "chitchat"}])
    assert datasets.problems_spans(
        "insurance", [{"id": "i", "text": text, "spans": [{"start": 5, "end": 8, "label": "NAME"}]}]
    )

    shared = [_record(0, "a", "train"), _record(1, "b", "test")]
    assert datasets.problems_generators(shared) == ["train and test share generator(s) ['local-A']"]
    assert datasets.problems_generators([_record(0, "a", "train"), _record(1, "b", "test", "local-B")]) == []

    assert datasets.problems_test_coverage("intent", [_record(0, "a", "test", intent=INTENTS[0])]) == [
        f"{c}: not in test" for c in INTENTS[1:]
    ]
    covered = [_record(0, "a", "test", spans=[{"start": 0, "end": 1, "label": x} for x in INSURANCE_FIELDS])]
    assert datasets.problems_test_coverage("insurance", covered) == []
    assert len(datasets.problems_test_coverage("phi", covered)) == len(PHI_TYPES)

    contaminated = [{"id": "m", "text": "MRN 8472301", "spans": [{"start": 0, "end": 11, "label": "MRN"}]}]
    rate, offenders = datasets.problems_contamination(contaminated)
    assert rate == 1.0 and offenders == ["m: MRN [0:11] (cue 'MRN')"]
    assert "8472301" not in offenders[0]  # problems reach check metadata: offsets, never values


def test_a_span_with_whitespace_at_an_edge_is_not_exact():
    record = {"id": "w", "text": "Call Ann now", "spans": [{"start": 4, "end": 8, "label": "NAME"}]}
    assert datasets.problems_spans("phi", [record]) == ["w: span NAME [4:8] has whitespace at an edge"]
