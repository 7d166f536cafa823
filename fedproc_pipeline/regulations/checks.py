"""Blocking checks on the clause registry: a bad registry must not reach datasets or the
hallucination metric, which both treat it as the list of clause numbers that exist."""

import dagster as dg

from fedproc_pipeline.regulations import validation
from fedproc_pipeline.regulations.assets import REGISTRY_PATH, far_clause_registry
from pipeline_runtime.checks import offenders_result
from pipeline_runtime.resources import ArtifactStoreResource


def _records(store: ArtifactStoreResource) -> list[dict]:
    return store.store().read_parquet(REGISTRY_PATH).to_pylist()


@dg.asset_check(asset=far_clause_registry, blocking=True)
def clause_numbers_well_formed(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """FAR numbers match ^52\\.2\\d\\d-\\d+$, DFARS numbers ^252\\.2\\d\\d-7\\d{3}$."""
    return offenders_result(validation.bad_numbers(_records(store)), "malformed clause numbers")


@dg.asset_check(asset=far_clause_registry, blocking=True)
def clause_numbers_unique(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """No section number appears twice."""
    return offenders_result(validation.duplicate_numbers(_records(store)), "duplicated clause numbers")


@dg.asset_check(asset=far_clause_registry, blocking=True)
def section_counts_plausible(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """At least 600 FAR 52 and 400 DFARS 252 sections: fewer means a truncated download or parse."""
    counts = validation.part_counts(_records(store))
    short = [
        f"part {p}: {counts.get(p, 0)} < {n}"
        for p, n in validation.MIN_SECTIONS.items()
        if counts.get(p, 0) < n
    ]
    return offenders_result(
        short, "parts with too few sections", sections_per_part=dg.MetadataValue.json(counts)
    )


@dg.asset_check(asset=far_clause_registry, blocking=True)
def section_texts_present(store: ArtifactStoreResource) -> dg.AssetCheckResult:
    """Every non-reserved section has text."""
    return offenders_result(validation.empty_texts(_records(store)), "non-reserved sections without text")


REGISTRY_CHECKS = [
    clause_numbers_well_formed,
    clause_numbers_unique,
    section_counts_plausible,
    section_texts_present,
]
