"""Regulations assets: raw eCFR XML for parts 52 and 252, and the clause registry parsed from it.

Each edition of the XML lives in its own folder named by its content hash; ``manifest.json`` names
the current one. Writing the manifest last makes the switch to a new edition atomic: a run that dies
half-way leaves the registry reading the previous, complete edition.
"""

import hashlib
from datetime import UTC, datetime

import dagster as dg
import pyarrow as pa

from fedproc_pipeline.regulations import snapshot
from fedproc_pipeline.regulations.ecfr import EcfrError
from fedproc_pipeline.regulations.parser import PARTS, iter_sections
from fedproc_pipeline.regulations.resources import EcfrClient
from pipeline_runtime.automation import STALE
from pipeline_runtime.provenance import provenance_metadata, upstream_versions
from pipeline_runtime.resources import ArtifactStoreResource
from slmkit.provenance import records_hash
from slmkit.storage import ArtifactStore

XML_DIR = "regulations/ecfr_title48_xml"
XML_MANIFEST = f"{XML_DIR}/manifest.json"
REGISTRY_PATH = "regulations/far_clause_registry.parquet"

REGISTRY_SCHEMA = pa.schema(
    [
        ("number", pa.string()),
        ("part", pa.string()),
        ("title", pa.string()),
        ("date", pa.string()),
        ("type", pa.string()),
        ("prescribed_in", pa.string()),
        ("alternates", pa.list_(pa.string())),
        ("reserved", pa.bool_()),
        ("text", pa.string()),
        ("source", pa.string()),
    ]
)

RETRY = dg.RetryPolicy(max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL)


def part_file(edition_dir: str, part: str) -> str:
    return f"{edition_dir}/part-{part}.xml.gz"


def _count_sections(artifacts: ArtifactStore, relpath: str) -> int:
    with artifacts.open_gzip(relpath) as xml:
        return sum(1 for _ in iter_sections(xml, source_label=""))


def _fetch_live(context: dg.AssetExecutionContext, ecfr: EcfrClient, artifacts: ArtifactStore, staging: str):
    """Both parts into ``staging``; part 252 is asked for on the date part 52 was served, so the two
    come from one eCFR edition."""
    api = ecfr.api()
    on_or_before = ecfr.requested_date(datetime.now(UTC).date())
    parts: dict[str, dict] = {}
    for part in PARTS:
        try:
            with artifacts.gzip_writer(part_file(staging, part)) as sink:
                fetched = api.fetch_part(part, on_or_before, sink)
        except EcfrError as exc:
            # Only a transient failure is worth the retry policy's wait.
            raise dg.Failure(description=str(exc), allow_retries=exc.transient) from exc
        except ValueError as exc:
            raise dg.Failure(description=str(exc), allow_retries=False) from exc
        context.log.info(f"part {part}: eCFR {fetched.served_date} ({fetched.bytes} bytes)")
        on_or_before = fetched.served_date
        parts[part] = {
            "requested_date": fetched.requested_date.isoformat(),
            "served_date": fetched.served_date.isoformat(),
            "fallback_dates": fetched.fallback_dates,
            "xml_bytes": fetched.bytes,
            "sha256": fetched.sha256,
            "sections": _count_sections(artifacts, part_file(staging, part)),
        }
    edition = "eCFR " + ", ".join(f"part {p}: {parts[p]['served_date']}" for p in PARTS)
    return edition, parts


def _copy_snapshot(artifacts: ArtifactStore, staging: str):
    manifest = snapshot.load_manifest()
    parts: dict[str, dict] = {}
    for part in PARTS:
        artifacts.copy_file(snapshot.snapshot_file(part), part_file(staging, part))
        packaged = manifest["parts"][part]
        parts[part] = {
            "xml_bytes": packaged["xml_bytes"],
            "sha256": packaged["xml_sha256"],
            "sections": packaged["records"],
        }
    return manifest["edition"], parts


@dg.asset(
    group_name="regulations",
    code_version="2",
    kinds={"xml"},
    retry_policy=RETRY,
    description="Raw eCFR versioner XML of 48 CFR part 52 (FAR) and part 252 (DFARS), gzip-compressed.",
)
def ecfr_title48_xml(
    context: dg.AssetExecutionContext, ecfr: EcfrClient, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    staging = f"{XML_DIR}/.staging-{context.run.run_id}"
    try:
        if ecfr.source == "live":
            edition, parts = _fetch_live(context, ecfr, artifacts, staging)
        else:
            edition, parts = _copy_snapshot(artifacts, staging)
        content_hash = hashlib.sha256("".join(parts[p]["sha256"] for p in PARTS).encode()).hexdigest()
        edition_dir = f"{XML_DIR}/{content_hash[:16]}"
        # Content-addressed: a folder whose every part is there holds this exact edition already. (On S3 a
        # move is copy-then-delete, so an interrupted one leaves some parts: moved again next time.)
        if not all(artifacts.exists(part_file(edition_dir, part)) for part in PARTS):
            artifacts.move(staging, edition_dir)
    finally:
        artifacts.remove(staging)
    artifacts.write_json(
        XML_MANIFEST, {"source": ecfr.source, "edition": edition, "dir": edition_dir, "parts": parts}
    )
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source=ecfr.source,
            content_hash=content_hash,
            edition=edition,
            sections=sum(parts[p]["sections"] for p in PARTS),
            parts=dg.MetadataValue.json(parts),
            path=edition_dir,
        ),
    )


@dg.asset(
    group_name="regulations",
    code_version="2",
    automation_condition=STALE,
    kinds={"parquet"},
    deps=[ecfr_title48_xml],
    description="One record per FAR 52 / DFARS 252 section: number, title, date, type, alternates, text.",
)
def far_clause_registry(
    context: dg.AssetExecutionContext, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    manifest = artifacts.read_json(XML_MANIFEST)
    source_label = f"{manifest['source']}:{manifest['edition']}"
    records: list[dict] = []
    for part in PARTS:
        with artifacts.open_gzip(part_file(manifest["dir"], part)) as xml:
            records.extend(iter_sections(xml, source_label=source_label))
    records.sort(key=lambda r: (int(r["part"]), r["number"]))
    artifacts.write_parquet(REGISTRY_PATH, pa.Table.from_pylist(records, schema=REGISTRY_SCHEMA))
    content_hash = records_hash(records)
    per_part = {p: sum(r["part"] == p for r in records) for p in PARTS}
    context.log.info(f"registry: {len(records)} sections {per_part}")
    preview = "\n".join(
        ["| number | title | date | type |", "|---|---|---|---|"]
        + [f"| {r['number']} | {r['title']} | {r['date'] or ''} | {r['type'] or ''} |" for r in records[:8]]
    )
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source=manifest["source"],
            content_hash=content_hash,
            upstream=upstream_versions(context, [ecfr_title48_xml.key]),
            edition=manifest["edition"],
            sections=len(records),
            sections_per_part=dg.MetadataValue.json(per_part),
            reserved=sum(r["reserved"] for r in records),
            clauses=sum(r["type"] == "clause" for r in records),
            provisions=sum(r["type"] == "provision" for r in records),
            path=REGISTRY_PATH,
            preview=dg.MetadataValue.md(preview),
        ),
    )
