"""Regulations assets: raw eCFR XML for parts 52 and 252, and the clause registry parsed from it."""

import gzip
import hashlib
from datetime import UTC, datetime

import dagster as dg
import pyarrow as pa

from fedproc_pipeline.regulations import snapshot
from fedproc_pipeline.regulations.ecfr import EcfrError
from fedproc_pipeline.regulations.parser import iter_sections
from fedproc_pipeline.regulations.resources import EcfrClient
from pipeline_runtime.provenance import provenance_metadata, upstream_versions
from pipeline_runtime.resources import ArtifactStoreResource
from slmkit.provenance import records_hash

PARTS = ("52", "252")
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


def xml_path(part: str) -> str:
    return f"{XML_DIR}/part-{part}.xml.gz"


def _gzip_sha256(path) -> str:
    digest = hashlib.sha256()
    with gzip.open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dg.asset(
    group_name="regulations",
    code_version="1",
    kinds={"xml"},
    retry_policy=RETRY,
    description="Raw eCFR versioner XML of 48 CFR part 52 (FAR) and part 252 (DFARS), gzip-compressed.",
)
def ecfr_title48_xml(
    context: dg.AssetExecutionContext, ecfr: EcfrClient, store: ArtifactStoreResource
) -> dg.MaterializeResult:
    artifacts = store.store()
    parts: dict[str, dict] = {}
    if ecfr.source == "live":
        api = ecfr.api()
        requested = ecfr.requested_date(datetime.now(UTC).date())
        for part in PARTS:
            try:
                with (
                    artifacts.atomic_writer(xml_path(part)) as raw,
                    gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as sink,
                ):
                    fetched = api.fetch_part(part, requested, sink)
            except EcfrError as exc:
                # Only a transient failure is worth the retry policy's wait.
                raise dg.Failure(description=str(exc), allow_retries=exc.transient) from exc
            context.log.info(f"part {part}: eCFR {fetched.served_date} ({fetched.bytes} bytes)")
            parts[part] = {
                "requested_date": fetched.requested_date.isoformat(),
                "served_date": fetched.served_date.isoformat(),
                "fallback_dates": fetched.fallback_dates,
                "bytes": fetched.bytes,
                "sha256": fetched.sha256,
            }
        edition = "eCFR " + ", ".join(f"part {p}: {parts[p]['served_date']}" for p in PARTS)
    else:
        manifest = snapshot.load_manifest()
        edition = manifest["edition"]
        for part in PARTS:
            target = artifacts.copy_file(snapshot.SNAPSHOT_DIR / f"title48_part{part}.xml.gz", xml_path(part))
            parts[part] = {
                "snapshot": edition,
                "sha256": _gzip_sha256(target),
                "bytes": target.stat().st_size,
            }
    content_hash = hashlib.sha256("".join(parts[p]["sha256"] for p in PARTS).encode()).hexdigest()
    artifacts.write_json(XML_MANIFEST, {"source": ecfr.source, "edition": edition, "parts": parts})
    return dg.MaterializeResult(
        data_version=dg.DataVersion(content_hash),
        metadata=provenance_metadata(
            source=ecfr.source,
            content_hash=content_hash,
            edition=edition,
            parts=dg.MetadataValue.json(parts),
            path=XML_DIR,
        ),
    )


@dg.asset(
    group_name="regulations",
    code_version="1",
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
        with artifacts.open_gzip(xml_path(part)) as xml:
            records.extend(iter_sections(xml, source_label=source_label))
    records.sort(key=lambda r: (int(r["part"]), r["number"]))
    table = pa.Table.from_pylist(records, schema=REGISTRY_SCHEMA)
    artifacts.write_parquet(REGISTRY_PATH, table)
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
