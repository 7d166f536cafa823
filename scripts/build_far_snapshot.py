"""Build the committed FAR 52 / DFARS 252 snapshot from the shared plain-text corpus.

Run by hand from the repository root (the pipeline itself never reads ../shared):

    python scripts/build_far_snapshot.py [--shared ../shared/data/far]

It renders each part as eCFR versioner XML (``snapshot.render_part_xml``), parses the rendering
back with the production parser and refuses to write anything unless every record round-trips:
``snapshot.ROUND_TRIP_FIELDS`` equal and ``text`` equal after whitespace normalisation. Output:
``fedproc_pipeline/regulations/data/title48_part{52,252}.xml.gz`` (deterministic gzip) and
``snapshot.json``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout

from fedproc_pipeline.regulations import snapshot  # noqa: E402
from fedproc_pipeline.regulations.parser import iter_sections  # noqa: E402
from slmkit.storage import LocalArtifactStore  # noqa: E402

SOURCE_FILES = {"52": "far52_texts_all.jsonl", "252": "dfars252_texts_all.jsonl"}
# Editions as stated by the corpus README (FAR Foreword: "FAC 2026-01 March 13, 2026"; DFARS
# commit "DFARS_Publication_20251110").
EDITION = "FAR FAC 2026-01 (2026-03-13) + DFARS publication 2025-11-10"
BUILD_SCRIPT = "scripts/build_far_snapshot.py"
FORMAT = "eCFR versioner-API XML (DIV5 PART > DIV6 SUBPART > DIV8 SECTION) rendered from the source texts"


def load_records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip: no file name, mtime 0, level 9, so rebuilding yields identical bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(data)
    return buffer.getvalue()


def summarise_sources(records: list[dict]) -> dict[str, int]:
    """Per-record provenance collapsed to one line per repository/commit: file name -> "*"."""
    return dict(Counter(re.sub(r"dita/\S+\.dita", "dita/*.dita", r["source"]) for r in records))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared" / "data" / "far",
        help="folder holding far52_texts_all.jsonl and dfars252_texts_all.jsonl",
    )
    args = parser.parse_args(argv)

    outputs: dict[str, bytes] = {}
    manifest_parts: dict[str, dict] = {}
    problems: list[str] = []
    for part, name in SOURCE_FILES.items():
        source_path = args.shared / name
        records = load_records(source_path)
        compressed = gzip_bytes(snapshot.render_part_xml(records, part))
        # Parse the compressed bytes exactly as snapshot mode will read them.
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            parsed = list(iter_sections(stream, source_label="snapshot"))
        problems += [f"part {part}: {p}" for p in snapshot.round_trip_mismatches(records, parsed)]
        outputs[part] = compressed
        manifest_parts[part] = {
            "file": snapshot.snapshot_file(part).name,
            "records": len(parsed),
            "reserved": sum(r["reserved"] for r in parsed),
            "sha256": hashlib.sha256(compressed).hexdigest(),
            "bytes": len(compressed),
            "xml_sha256": hashlib.sha256(gzip.decompress(compressed)).hexdigest(),
            "xml_bytes": len(gzip.decompress(compressed)),
            "source_file": name,
            "source_file_sha256": hashlib.sha256(source_path.read_bytes()).hexdigest(),
            "sources": summarise_sources(records),
        }
        print(
            f"part {part}: {len(records)} source records, {len(parsed)} parsed, {len(compressed):,} bytes gz"
        )

    if problems:
        print(f"round trip FAILED ({len(problems)} mismatches); nothing written:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1

    store = LocalArtifactStore(snapshot.SNAPSHOT_DIR)
    for part, compressed in outputs.items():
        store.write_bytes(manifest_parts[part]["file"], compressed)
    store.write_json(
        snapshot.MANIFEST_NAME,
        {
            "edition": EDITION,
            "format": FORMAT,
            "build_script": BUILD_SCRIPT,
            "round_trip": {"fields": list(snapshot.ROUND_TRIP_FIELDS), "text": "whitespace-normalised"},
            "parts": manifest_parts,
        },
    )
    print(f"round trip OK; wrote {snapshot.SNAPSHOT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
