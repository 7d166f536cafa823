"""FedProc dataset: records from the packaged SAM sample and the regulation snapshot, splits and checks."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fedproc_pipeline.dataset import (
    NOTICE_TYPES,
    SET_ASIDES,
    check_doc_leakage,
    check_registry_numbers,
    check_spans_align,
    check_task_mask,
    grouped_split,
    registry_number_set,
    registry_passages,
    run_checks,
    sam_records,
    split_shares,
    strip_html,
)
from fedproc_pipeline.sam.sample import SampleSam
from fedproc_pipeline.sam.tables import opportunities_table
from slmkit.spans import validate_spans


@pytest.fixture(scope="module")
def registry(snapshot_registry):
    return snapshot_registry


@pytest.fixture(scope="module")
def numbers(registry):
    return registry_number_set(registry)


@pytest.fixture(scope="module")
def sample_rows():
    sam = SampleSam()
    notices: list[dict] = []
    for day in sam.days():
        notices += list(sam.fetch_day(day).records.values())
    return opportunities_table(notices).to_pylist(), sam.fetch_descriptions(notices, {})


@pytest.fixture(scope="module")
def sam(sample_rows, numbers):
    rows, descriptions = sample_rows
    return sam_records(rows, descriptions, numbers)


@pytest.fixture(scope="module")
def passages(registry):
    return registry_passages(registry, seed=7)


def test_registry_number_set_skips_reserved(registry, numbers):
    assert "52.212-5" in numbers and "252.204-7012" in numbers
    reserved = {r["number"] for r in registry if r["reserved"]}
    assert reserved and not (reserved & numbers)


def test_sam_records_from_the_sample(sample_rows, sam, numbers):
    rows, _ = sample_rows
    assert len(sam) == len({r["notice_id"] for r in rows})
    assert {r["notice_type"] for r in sam} == set(NOTICE_TYPES)
    assert len({r["naics_sector"] for r in sam}) >= 12
    assert {label for r in sam for label in r["set_asides"]} == set(SET_ASIDES) - {"SDB"}
    assert any(r["set_asides"] == [] for r in sam)
    first = sam[0]
    assert first["id"] == f"sam:{first['doc_id']}" and first["source"] == "sam_metadata"
    assert first["label_origin"] == ["sam_metadata", "sam_metadata", "sam_metadata", "regex+registry"]
    row = next(r for r in rows if r["notice_id"] == first["doc_id"])
    assert first["text"].startswith(row["title"] + "\n\n")
    spans = [s for r in sam for s in r["clause_spans"]]
    assert len(spans) > 100
    for r in sam:
        assert validate_spans(r["text"], r["clause_spans"], ["CLAUSE"]) == []
        assert all(s["number"] in numbers for s in r["clause_spans"])
    assert run_checks(sam, numbers)["task_mask"] == []


def test_sam_records_masks_html_and_rejected_numbers():
    rows: list[dict[str, Any]] = [
        {"noticeId": "n1", "title": "Pumps", "type": "Solicitation", "naicsCode": "333914",
         "typeOfSetAside": "XYZ", "description": "https://api.sam.gov/x"},
        {"noticeId": "n2", "title": "Guards", "type": None, "naicsCode": None, "typeOfSetAside": None},
        {"noticeId": "n1", "title": "duplicate", "type": "Award Notice"},
    ]  # fmt: skip
    descriptions = {"n1": "<p>See FAR&nbsp;52.212-5(b) and 52.299-99.</p><p>Second &amp; last</p>", "n2": ""}
    out = {r["id"]: r for r in sam_records(rows, descriptions, {"52.212-5"})}
    assert set(out) == {"sam:n1", "sam:n2"}
    n1, n2 = out["sam:n1"], out["sam:n2"]
    assert n1["text"] == "Pumps\n\nSee FAR 52.212-5(b) and 52.299-99.\n\nSecond & last"
    assert n1["task_mask"] == [True, True, False, True] and n1["set_asides"] is None
    assert n1["label_origin"][2] is None
    assert [s["number"] for s in n1["clause_spans"]] == ["52.212-5"]
    assert n1["clause_numbers_rejected"] == ["52.299-99"]
    assert n2["text"] == "Guards" and n2["task_mask"] == [False, False, True, True]
    assert n2["set_asides"] == [] and n2["clause_spans"] == []
    assert check_task_mask(list(out.values())) == []
    assert strip_html("a < b and c > d") == "a < b and c > d"


def test_registry_passages(passages, numbers):
    assert passages
    assert {r["source"] for r in passages} == {"ecfr"}
    assert all(r["task_mask"] == [False, False, False, True] for r in passages)
    assert all(len(r["text"]) <= 1200 for r in passages)
    positives = [r for r in passages if r["clause_spans"]]
    negatives = [r for r in passages if not r["clause_spans"]]
    assert len(positives) > 200 and 0 < len(negatives) < len(positives)
    assert any("–" in r["text"][s["start"] : s["end"]] for r in positives for s in r["clause_spans"])
    assert all(r["id"].startswith(f"ecfr:{r['doc_id']}:") for r in passages)
    checks = run_checks(passages, numbers)
    assert checks["task_mask"] == checks["spans_align"] == checks["registry_numbers"] == []


def test_registry_passages_deterministic_and_order_free(registry):
    a = registry_passages(registry[:200], seed=1)
    b = registry_passages(list(reversed(registry[:200])), seed=1)
    assert a == b
    assert registry_passages(registry[:200], seed=1, negative_share=0.0) == [
        r for r in a if r["clause_spans"]
    ]


def test_grouped_split_properties(sam, passages):
    records = sam + passages
    split = grouped_split(records, seed=3)
    assert [r["id"] for r in split] == [r["id"] for r in records]
    assert "split" not in records[0]
    assert check_doc_leakage(split) == []
    shares = split_shares(split)
    for source, counts in shares["by_source"].items():
        assert counts["val"] > 0 and counts["test"] > 0, source
    assert abs(shares["docs"]["train"] - 0.70) < 0.02
    assert abs(shares["docs"]["test"] - 0.15) < 0.02
    again = grouped_split(list(reversed(records)), seed=3)
    assert {r["id"]: r["split"] for r in again} == {r["id"]: r["split"] for r in split}
    assert {r["id"]: r["split"] for r in grouped_split(records, seed=4)} != {
        r["id"]: r["split"] for r in split
    }


def test_grouped_split_small_sources_and_groups():
    records = [{"id": f"a{i}", "doc_id": f"d{i // 2}", "source": "synthetic"} for i in range(6)] + [
        {"id": "e0", "doc_id": "x", "source": "ecfr"},
        {"id": "e1", "doc_id": "y", "source": "ecfr"},
    ]
    split = grouped_split(records, seed=0)
    by_id = {r["id"]: r["split"] for r in split}
    assert {by_id["a0"], by_id["a2"], by_id["a4"]} == {"train", "val", "test"}  # 3 docs: one each
    assert by_id["a0"] == by_id["a1"]
    assert check_doc_leakage(split) == []
    with pytest.raises(ValueError):
        grouped_split(records, seed=0, ratios=(0.5, 0.5))  # type: ignore[arg-type]


def _good() -> dict:
    text = "Title\n\nComply with FAR 52.212-5(b) and 252.204–7012."
    return {
        "id": "sam:good", "text": text, "source": "sam_metadata", "doc_id": "good", "split": "train",
        "label_origin": ["sam_metadata"] * 3 + ["regex+registry"], "task_mask": [True, True, True, True],
        "notice_type": "solicitation", "naics_sector": "54", "set_asides": [],
        "clause_spans": [
            {"start": text.index("52.212"), "end": text.index("52.212") + 8, "label": "CLAUSE",
             "number": "52.212-5"},
            {"start": text.index("252."), "end": text.index("252.") + 12, "label": "CLAUSE",
             "number": "252.204-7012"},
        ],
    }  # fmt: skip


REGISTRY = {"52.212-5", "252.204-7012"}


def _bad(**changes) -> dict:
    record = copy.deepcopy(_good())
    record.update(changes, id="bad")
    return record


def test_checks_pass_on_a_good_record():
    assert run_checks([_good()], REGISTRY) == {
        "task_mask": [], "spans_align": [], "registry_numbers": [], "doc_leakage": []
    }  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [
        _bad(notice_type=None),
        _bad(task_mask=[False, True, True, True]),
        _bad(set_asides=None),
        _bad(naics_sector="31"),
        _bad(set_asides=["SBA", "SBA"]),
        _bad(clause_spans=None),
        _bad(task_mask=[True, True, True]),
    ],
)
def test_check_task_mask_fails(bad):
    assert check_task_mask([_good(), bad]) == ["bad"]


def test_check_spans_align_fails():
    good = _good()
    shifted = _bad(clause_spans=[{**good["clause_spans"][0], "start": good["clause_spans"][0]["start"] + 1}])
    wrong_number = _bad(clause_spans=[{**good["clause_spans"][0], "number": "52.212-4"}])
    wrong_label = _bad(clause_spans=[{**good["clause_spans"][0], "label": "FAR"}])
    overlapping = _bad(clause_spans=[good["clause_spans"][0], good["clause_spans"][0]])
    out_of_range = _bad(clause_spans=[{**good["clause_spans"][1], "end": 10_000}])
    for bad in (shifted, wrong_number, wrong_label, overlapping, out_of_range):
        assert check_spans_align([good, bad]) == ["bad"]


def test_check_registry_numbers_fails():
    assert check_registry_numbers([_good()], {"52.212-5"}) == ["sam:good"]


def test_check_doc_leakage_fails():
    other = _bad(doc_id="good", split="test")
    assert check_doc_leakage([_good(), other]) == ["bad", "sam:good"]
    assert check_doc_leakage([_bad(split=None)]) == ["bad"]


def test_grouped_split_keeps_a_shared_passage_in_one_split():
    # Many documents, two of which repeat a paragraph (a clause and its alternate): whatever the seed, both
    # land in the split, so the passage is never in train and test at once.
    records = [
        {"id": f"ecfr:{i}:0", "doc_id": f"52.2{i:02d}-1", "source": "ecfr", "text": f"Passage {i}."}
        for i in range(40)
    ]
    records += [
        {"id": "ecfr:a:1", "doc_id": "52.232-32", "source": "ecfr", "text": "The Contractor shall submit..."},
        {"id": "ecfr:b:1", "doc_id": "52.232-99", "source": "ecfr", "text": "the contractor  shall submit"},
    ]
    for seed in range(12):
        split = {r["id"]: r["split"] for r in grouped_split(records, seed=seed)}
        assert split["ecfr:a:1"] == split["ecfr:b:1"]
