"""Materialisation metadata that makes every result auditable: what the upstream assets were when
this one ran, and the content hash that becomes its data version."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import dagster as dg

DATA_VERSION_TAG = "dagster/data_version"


def upstream_versions(
    context: dg.AssetExecutionContext, keys: Iterable[dg.AssetKey], partition_key: str | None = None
) -> dict[str, str]:
    """Latest data version of each upstream asset (of ``partition_key`` where given)."""
    versions: dict[str, str] = {}
    for key in keys:
        records_filter = dg.AssetRecordsFilter(
            asset_key=key, asset_partitions=[partition_key] if partition_key else None
        )
        records = context.instance.fetch_materializations(records_filter, limit=1).records
        materialization = records[0].asset_materialization if records else None
        tags = (materialization.tags or {}) if materialization else {}
        versions[key.to_user_string()] = tags.get(DATA_VERSION_TAG, "never materialized")
    return versions


def provenance_metadata(
    *, source: str, content_hash: str, upstream: dict[str, str] | None = None, **extra: object
) -> dict[str, Any]:
    """The metadata every materialisation carries: source, hash and upstream versions, then extras."""
    metadata: dict[str, Any] = {"source": source, "content_hash": content_hash}
    if upstream:
        metadata["upstream_versions"] = dg.MetadataValue.json(upstream)
    metadata.update(extra)
    return metadata
