"""Blocking checks on the three ClarioScope datasets: bad labels, leftover cue words, cross-split duplicates,
a shared generator, a class missing from test or unrealistic text must not reach a model.

The rules live in :mod:`clarioscope_pipeline.datasets` (``problems_*``); a check reads the dataset parquet and
turns the problems into an :class:`dagster.AssetCheckResult`. :func:`evaluate` runs one rule on records, so
tests can exercise every check on a corrupted dataset without Dagster.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import dagster as dg

from clarioscope_pipeline import datasets
from clarioscope_pipeline.assets import DATASET_ASSETS, dataset_path
from pipeline_runtime.checks import offenders_result
from pipeline_runtime.resources import ArtifactStoreResource

Records = Sequence[Mapping[str, Any]]


def spans_exact_and_known(task: datasets.Task, records: Records) -> dg.AssetCheckResult:
    return offenders_result(datasets.problems_spans(task, records), "label problems", records=len(records))


def cue_word_contamination(task: datasets.Task, records: Records) -> dg.AssetCheckResult:
    rate, problems = datasets.problems_contamination(records)
    return offenders_result(
        problems,
        f"spans start or end with a cue word ({rate:.2%} > {datasets.MAX_CONTAMINATION:.1%})",
        contamination_rate=rate,
        max_rate=datasets.MAX_CONTAMINATION,
    )


def no_cross_split_duplicates(task: datasets.Task, records: Records) -> dg.AssetCheckResult:
    return offenders_result(
        datasets.problems_duplicates(records),
        "exact or near-duplicate pairs across splits",
        jaccard_threshold=datasets.NEAR_DUPLICATE_JACCARD,
    )


def train_test_generators_differ(task: datasets.Task, records: Records) -> dg.AssetCheckResult:
    generators = {
        split: sorted({str(r["generator"]) for r in records if r.get("split") == split})
        for split in datasets.SPLITS
    }
    return offenders_result(
        datasets.problems_generators(records),
        "generator problems",
        generators_per_split=dg.MetadataValue.json(generators),
    )


def test_covers_every_label(task: datasets.Task, records: Records) -> dg.AssetCheckResult:
    counts = datasets.label_counts(task, records)["test"]
    return offenders_result(
        datasets.problems_test_coverage(task, records),
        "labels missing from test",
        test_label_counts=dg.MetadataValue.json(counts),
    )


def realism_within_tolerance(task: datasets.Task, records: Records) -> dg.AssetCheckResult:
    realism = datasets.dataset_realism(records)
    return offenders_result(
        datasets.problems_realism(realism["all"]),
        "realism stats outside tolerance",
        realism=dg.MetadataValue.json(realism),
        style_target=dg.MetadataValue.json(datasets.STYLE_TARGET),
        style_tolerance=datasets.STYLE_TOLERANCE,
        realism_bands=dg.MetadataValue.json({k: list(v) for k, v in datasets.REALISM_BANDS.items()}),
    )


RULES: dict[str, tuple[Callable[[datasets.Task, Records], dg.AssetCheckResult], str]] = {
    "spans_exact_and_known": (
        spans_exact_and_known,
        "Every span exact (text[start:end]), in range, non-overlapping, known label (intent: a known class).",
    ),
    "cue_word_contamination": (
        cue_word_contamination,
        "At most 0.5% of spans still start or end with a cue word after cleaning.",
    ),
    "no_cross_split_duplicates": (
        no_cross_split_duplicates,
        "No exact (normalised) or near-duplicate (word 3-shingle Jaccard >= 0.9) text in two splits.",
    ),
    "train_test_generators_differ": (
        train_test_generators_differ,
        "Train/val and test come from different generators.",
    ),
    "test_covers_every_label": (test_covers_every_label, "Every class / entity type occurs in test."),
    "realism_within_tolerance": (
        realism_within_tolerance,
        "Style mix within ±10 points of 40/40/20; realism shares (greetingless, abbreviations, no terminal "
        "punctuation, ALL CAPS) inside their bands.",
    ),
}


def evaluate(name: str, task: datasets.Task, records: Records) -> dg.AssetCheckResult:
    """Run one check rule on records (what the asset check does after reading the parquet)."""
    return RULES[name][0](task, records)


def _dataset_check(
    task: datasets.Task,
    name: str,
    rule: Callable[[datasets.Task, Records], dg.AssetCheckResult],
    description: str,
) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=DATASET_ASSETS[task], name=name, blocking=True, description=description)
    def check(store: ArtifactStoreResource) -> dg.AssetCheckResult:
        return rule(task, store.store().read_parquet(dataset_path(task)).to_pylist())

    return check


def build_dataset_checks(task: datasets.Task) -> list[dg.AssetChecksDefinition]:
    """The six blocking checks of ``{task}_dataset``."""
    return [_dataset_check(task, name, rule, description) for name, (rule, description) in RULES.items()]


DATASET_CHECKS: dict[str, list[dg.AssetChecksDefinition]] = {
    task: build_dataset_checks(task) for task in datasets.TASKS
}
CLARIOSCOPE_CHECKS = [check for checks in DATASET_CHECKS.values() for check in checks]
