"""The result shape every blocking check of the project returns."""

from typing import Any

import dagster as dg


def offenders_result(offenders: list[str], what: str, **metadata: Any) -> dg.AssetCheckResult:
    """Passed when there are no offenders; else how many, the first 20, and ``what`` they are."""
    return dg.AssetCheckResult(
        passed=not offenders,
        metadata={"offenders": len(offenders), "examples": dg.MetadataValue.json(offenders[:20]), **metadata},
        description=f"{len(offenders)} {what}" if offenders else None,
    )
