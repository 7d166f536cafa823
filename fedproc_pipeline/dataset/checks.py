"""Blocking checks on `fedproc_dataset`: bad records must not reach training."""

from typing import Any

import dagster as dg

from fedproc_pipeline.dataset import (
    check_doc_leakage,
    check_registry_numbers,
    check_spans_align,
    check_task_mask,
    registry_number_set,
)
from fedproc_pipeline.dataset.assets import DATASET_PATH, fedproc_dataset
from fedproc_pipeline.regulations.assets import REGISTRY_PATH
from pipeline_runtime.checks import offenders_result
from pipeline_runtime.resources import ArtifactStoreResource


def _dataset(store: ArtifactStoreResource) -> list[dict[str, Any]]:
    return store.store().read_parquet(DATASET_PATH).to_pylist()


@dg.asset_check(asset=fedproc_dataset, blocking=True)
def task_mask_agrees_with_labels(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """A masked-off task has no label; a masked-on task has one from its vocabulary."""
    return offenders_result(check_task_mask(_dataset(store)), "records whose task mask and labels disagree")


@dg.asset_check(asset=fedproc_dataset, blocking=True)
def clause_spans_align(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """Every clause span covers text that canonicalises to its number."""
    return offenders_result(check_spans_align(_dataset(store)), "records with misaligned clause spans")


@dg.asset_check(asset=fedproc_dataset, blocking=True)
def gold_clause_numbers_exist(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """Every gold clause number is a (non-reserved) section of the registry."""
    numbers = registry_number_set(store.store().read_parquet(REGISTRY_PATH).to_pylist())
    return offenders_result(
        check_registry_numbers(_dataset(store), numbers), "records citing clause numbers not in the registry"
    )


@dg.asset_check(asset=fedproc_dataset, blocking=True)
def no_document_leakage(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """No notice or clause section has records in two splits."""
    return offenders_result(check_doc_leakage(_dataset(store)), "records of documents in more than one split")


DATASET_CHECKS = [
    task_mask_agrees_with_labels,
    clause_spans_align,
    gold_clause_numbers_exist,
    no_document_leakage,
]
