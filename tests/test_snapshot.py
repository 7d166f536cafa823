"""The committed offline snapshot: complete, valid, as its manifest says, and faithful to the
shared corpus it was built from (checked only where ../shared is present)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from fedproc_pipeline.regulations import snapshot, validation
from fedproc_pipeline.regulations.parser import iter_sections

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "far"
SOURCES = {"52": "far52_texts_all.jsonl", "252": "dfars252_texts_all.jsonl"}
EXPECTED = {"52": 692, "252": 450}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[dict]]:
    result = {}
    for part in snapshot.PARTS:
        with snapshot.open_part(part) as stream:
            result[part] = list(iter_sections(stream, source_label="snapshot"))
    return result


def test_snapshot_lives_in_the_package_not_in_shared():
    assert Path(snapshot.__file__).resolve().parent / "data" == snapshot.SNAPSHOT_DIR
    for part in snapshot.PARTS:
        assert snapshot.snapshot_file(part).is_file()
    with pytest.raises(ValueError, match="unknown part"):
        snapshot.open_part("53")


def test_snapshot_parses_to_every_far_and_dfars_section(parsed):
    assert {part: len(records) for part, records in parsed.items()} == EXPECTED
    assert sum(r["reserved"] for r in parsed["52"]) == 82
    assert sum(r["reserved"] for r in parsed["252"]) == 102
    assert all(r["part"] == part for part, records in parsed.items() for r in records)


def test_snapshot_passes_every_validation(parsed):
    records = parsed["52"] + parsed["252"]
    assert validation.bad_numbers(records) == []
    assert validation.duplicate_numbers(records) == []
    assert validation.empty_texts(records) == []
    counts = validation.part_counts(records)
    assert counts == EXPECTED
    assert all(counts[part] >= minimum for part, minimum in validation.MIN_SECTIONS.items())


def test_manifest_matches_the_files(parsed):
    manifest = snapshot.load_manifest()
    assert manifest["edition"] == "FAR FAC 2026-01 (2026-03-13) + DFARS publication 2025-11-10"
    assert manifest["build_script"] == "scripts/build_far_snapshot.py"
    for part in snapshot.PARTS:
        entry = manifest["parts"][part]
        data = snapshot.snapshot_file(part).read_bytes()
        assert entry["file"] == snapshot.snapshot_file(part).name
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        with snapshot.open_part(part) as stream:
            xml = stream.read()
        assert entry["xml_sha256"] == hashlib.sha256(xml).hexdigest()
        assert entry["records"] == len(parsed[part]) == EXPECTED[part]
        assert sum(entry["sources"].values()) == EXPECTED[part]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/far is not available")
@pytest.mark.parametrize("part", snapshot.PARTS)
def test_every_record_round_trips_against_the_shared_corpus(parsed, part):
    with (SHARED / SOURCES[part]).open(encoding="utf-8") as handle:
        source = [json.loads(line) for line in handle]
    assert snapshot.round_trip_mismatches(source, parsed[part]) == []
