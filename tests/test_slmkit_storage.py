import logging

import pyarrow as pa
import pytest

from slmkit.http import RedactingFilter, install_redaction, redact
from slmkit.provenance import records_hash
from slmkit.storage import LocalArtifactStore


def test_atomic_writer_leaves_nothing_when_the_block_fails(tmp_path):
    store = LocalArtifactStore(tmp_path)
    store.write_bytes("a/file.bin", b"old")
    with pytest.raises(RuntimeError), store.atomic_writer("a/file.bin") as handle:
        handle.write(b"half-written")
        raise RuntimeError("killed mid-write")
    assert store.read_bytes("a/file.bin") == b"old"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["file.bin"]


def test_parquet_and_json_round_trip(tmp_path):
    store = LocalArtifactStore(tmp_path)
    table = pa.table({"x": [1, 2], "y": ["a", None]})
    store.write_parquet("t.parquet", table)
    assert store.read_parquet("t.parquet").equals(table)
    store.write_json("d/m.json", {"b": 1, "a": [1, 2]})
    assert store.read_json("d/m.json") == {"a": [1, 2], "b": 1}


def test_paths_cannot_escape_the_store(tmp_path):
    with pytest.raises(ValueError, match="escapes"):
        LocalArtifactStore(tmp_path / "root").path("../outside.txt")


def test_records_hash_depends_on_content_not_key_order():
    assert records_hash([{"a": 1, "b": 2}]) == records_hash([{"b": 2, "a": 1}])
    assert records_hash([{"a": 1}]) != records_hash([{"a": 2}])


def test_redaction_filter_rewrites_log_records(caplog):
    logger = logging.getLogger("urllib3.connectionpool")
    install_redaction("SECRET-KEY-xyz")
    with caplog.at_level(logging.WARNING):
        logger.warning("Retrying %s", "/search?api_key=SECRET-KEY-xyz&limit=1")
    assert "SECRET-KEY-xyz" not in caplog.text
    assert "api_key=***" in caplog.text
    assert redact("a SECRET b", ["SECRET", None, ""]) == "a *** b"
    assert any(isinstance(f, RedactingFilter) for f in logger.filters)


def test_jsonl_log_survives_a_torn_last_line(tmp_path):
    store = LocalArtifactStore(tmp_path)
    store.append_jsonl("log.jsonl", {"id": "a", "text": "one"})
    store.append_jsonl("log.jsonl", {"id": "b", "text": "two"})
    with open(store.path("log.jsonl"), "ab") as handle:
        handle.write(b'{"id": "c", "te')  # a crash mid-append
    assert store.read_jsonl("log.jsonl") == [{"id": "a", "text": "one"}, {"id": "b", "text": "two"}]
    store.append_jsonl("log.jsonl", {"id": "c", "text": "three"})  # the next run goes on
    assert [r["id"] for r in store.read_jsonl("log.jsonl")] == ["a", "b", "c"]
    assert store.read_jsonl("missing.jsonl") == []


def test_move_replaces_the_target(tmp_path):
    store = LocalArtifactStore(tmp_path)
    store.write_bytes("staging/x", b"new")
    store.write_bytes("final/x", b"old")
    store.move("staging/x", "final/x")
    assert store.read_bytes("final/x") == b"new"
    assert not store.exists("staging/x")
