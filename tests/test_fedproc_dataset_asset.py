"""`fedproc_dataset` through Dagster on the offline sources, and its checks failing on bad data."""

import dagster as dg
import pyarrow as pa

from fedproc_pipeline.dataset.assets import DATASET_PATH, DATASET_SCHEMA, fedproc_dataset
from fedproc_pipeline.dataset.checks import DATASET_CHECKS
from fedproc_pipeline.regulations.assets import ecfr_title48_xml, far_clause_registry
from fedproc_pipeline.regulations.resources import EcfrClient
from fedproc_pipeline.sam.assets import sam_notice_descriptions, sam_opportunities
from fedproc_pipeline.sam.resources import SamGovClient
from tests.conftest import latest_materialization

DAYS = ("2026-11-12", "2026-11-13")


def _build(instance, store):
    resources = {"ecfr": EcfrClient(), "sam": SamGovClient(), "store": store}
    assert dg.materialize(
        [ecfr_title48_xml, far_clause_registry], resources=resources, instance=instance
    ).success
    for day in DAYS:
        sam = [sam_opportunities, sam_notice_descriptions]
        assert dg.materialize(sam, resources=resources, instance=instance, partition_key=day).success
    return dg.materialize([fedproc_dataset, *DATASET_CHECKS], resources=resources, instance=instance)


def test_dataset_from_the_sample_days_and_the_registry_passes_every_check(instance, store):
    result = _build(instance, store)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 4 and all(e.passed for e in evaluations)
    rows = store.store().read_parquet(DATASET_PATH).to_pylist()
    sources = {r["source"] for r in rows}
    assert sources == {"sam_metadata", "ecfr"}
    assert sum(r["source"] == "sam_metadata" for r in rows) == 38 + 43  # the two sample days' notices
    for source in sources:  # every source reaches test
        assert any(r["source"] == source and r["split"] == "test" for r in rows)
    ecfr = [r for r in rows if r["source"] == "ecfr"]
    assert all(r["task_mask"] == [False, False, False, True] for r in ecfr)
    meta = latest_materialization(instance, "fedproc_dataset").metadata
    assert meta["sam_days"].value == 2
    assert set(meta["upstream_versions"].value) == {
        "far_clause_registry",
        "sam_notice_descriptions[2026-11-12]",
        "sam_notice_descriptions[2026-11-13]",
    }


def test_checks_fail_on_corrupted_records(instance, store):
    assert _build(instance, store).success
    artifacts = store.store()
    rows = artifacts.read_parquet(DATASET_PATH).to_pylist()
    spanned = next(r for r in rows if r["clause_spans"])
    spanned["clause_spans"][0]["start"] += 1  # misaligned
    spanned["clause_spans"][0]["number"] = "52.299-99999"  # not in the registry
    sam = next(r for r in rows if r["source"] == "sam_metadata" and r["id"] != spanned["id"])
    sam["notice_type"] = None  # masked on but unlabelled
    # The same document again, in another split:
    twin = dict(next(r for r in rows if r["split"] == "train"), id="leak", split="test")
    artifacts.write_parquet(DATASET_PATH, pa.Table.from_pylist([*rows, twin], schema=DATASET_SCHEMA))
    result = dg.materialize(
        [fedproc_dataset.to_source_asset(), *DATASET_CHECKS],
        resources={"store": store},
        instance=instance,
        selection=dg.AssetSelection.checks(*DATASET_CHECKS),
        raise_on_error=False,
    )
    outcome = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert outcome == {
        "task_mask_agrees_with_labels": False,
        "clause_spans_align": False,
        "gold_clause_numbers_exist": False,
        "no_document_leakage": False,
    }
