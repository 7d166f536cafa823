"""Both artifact stores honour one contract — the local folder and an S3 bucket on a real S3 endpoint
(moto's server on 127.0.0.1): formats round-trip, folders are published whole, a failed write changes
nothing, large files go up in parts, and an endpoint that goes away fails loudly without corrupting what
is there."""

import gzip
import json

import botocore.exceptions
import pyarrow as pa
import pytest

from slmkit.storage import LocalArtifactStore, S3ArtifactStore
from tests.fakes.s3 import MotoServer, Relay


@pytest.fixture(scope="module")
def moto():
    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture
def s3_store(moto, tmp_path, request):
    bucket = f"artifacts-{abs(hash(request.node.name)) % 10**8}"
    moto.create_bucket(bucket)
    return S3ArtifactStore(
        moto.client(), bucket, "team/a", cache_dir=tmp_path / "cache", multipart_threshold=5 << 20
    )


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalArtifactStore(tmp_path / "artifacts")
    return request.getfixturevalue("s3_store")


def test_formats_round_trip(store):
    table = pa.table({"x": [1, 2], "y": ["a", None]})
    store.write_parquet("d/t.parquet", table)
    assert store.read_parquet("d/t.parquet").equals(table)
    store.write_json("d/m.json", {"b": 1, "a": [1, 2]})
    assert store.read_json("d/m.json") == {"a": [1, 2], "b": 1}
    with store.gzip_writer("x/part.xml.gz") as sink:
        sink.write(b"<xml/>" * 1000)
    with store.open_gzip("x/part.xml.gz") as xml:
        assert xml.read() == b"<xml/>" * 1000
    assert gzip.decompress(store.read_bytes("x/part.xml.gz")) == b"<xml/>" * 1000
    for i in range(3):
        store.append_jsonl("log.jsonl", {"i": i})
    assert store.read_jsonl("log.jsonl") == [{"i": 0}, {"i": 1}, {"i": 2}]
    assert store.read_jsonl("absent.jsonl") == []


def test_exists_count_move_remove(store):
    assert not store.exists("e/f.json") and not store.exists("e")
    for name in ("a", "b"):
        store.write_json(f"e/{name}/x.json", {})
    store.write_bytes("e/other.bin", b"1")
    assert store.exists("e/a/x.json") and store.exists("e/a") and store.exists("e")
    assert store.count("e", ".json") == 2 and store.count("e") == 3 and store.count("nothing") == 0
    store.move("e/a", "moved/a")
    assert not store.exists("e/a") and store.read_json("moved/a/x.json") == {}
    store.remove("e")
    store.remove("never-there")
    assert not store.exists("e/b/x.json") and not store.exists("e/other.bin")
    with pytest.raises(FileNotFoundError, match=r"gone\.json"):
        store.read_bytes("gone.json")
    with pytest.raises(ValueError, match="escapes"):
        store.write_bytes("../outside", b"")


def test_a_failed_write_changes_nothing(store):
    store.write_bytes("a/file.bin", b"old")
    with pytest.raises(RuntimeError), store.atomic_writer("a/file.bin") as handle:
        handle.write(b"half-written")
        raise RuntimeError("killed mid-write")
    assert store.read_bytes("a/file.bin") == b"old"
    assert store.count("a") == 1


def test_folders_are_published_whole(store):
    with store.staged_folder("models/m") as staged:
        (staged / "weights").write_text("v1")
        (staged / "config.json").write_text("{}")
    first = store.local_folder("models/m")
    assert (first / "weights").read_text() == "v1"
    with pytest.raises(RuntimeError), store.staged_folder("models/m") as staged:
        (staged / "weights").write_text("half")
        raise RuntimeError("card failed")
    assert (store.local_folder("models/m") / "weights").read_text() == "v1"
    with store.staged_folder("models/m") as staged:
        (staged / "weights").write_text("v2")
    latest = store.local_folder("models/m")
    assert (latest / "weights").read_text() == "v2" and not (latest / "config.json").exists()
    with pytest.raises(FileNotFoundError, match="models/none"):
        store.local_folder("models/none")


def test_local_model_folders_leave_no_staging_behind(tmp_path):
    store = LocalArtifactStore(tmp_path)
    for version in ("v1", "v2"):
        with store.staged_folder("models/m") as staged:
            (staged / "weights").write_text(version)
    assert sorted(p.name for p in store.path("models").iterdir()) == ["m"]


def test_s3_folders_are_immutable_versions_behind_a_pointer(s3_store, moto):
    with s3_store.staged_folder("models/m") as staged:
        (staged / "weights").write_text("v1")
    pointer = s3_store.read_json("models/m/current.json")
    first = pointer["version"]
    with s3_store.staged_folder("models/m") as staged:
        (staged / "weights").write_text("v2")
    second = s3_store.read_json("models/m/current.json")["version"]
    assert first != second
    # The earlier version stays readable (a materialisation's model can still be fetched).
    assert s3_store.read_bytes(f"models/m/versions/{first}/weights") == b"v1"
    assert s3_store.uri("models/m") == f"s3://{s3_store.bucket}/team/a/models/m"
    # A download that does not match the pointer's sha256 is refused, not used.
    s3_store.write_bytes(f"models/m/versions/{second}/weights", b"tampered")
    s3_store.cache_dir = s3_store.cache_dir.with_name("fresh-cache")
    with pytest.raises(ValueError, match="sha256"):
        s3_store.local_folder("models/m")


def test_large_files_go_up_as_multipart_uploads(s3_store, tmp_path):
    payload = bytes(range(256)) * (12 * 4096)  # 12 MiB: three 5 MiB parts
    with s3_store.staged_folder("models/big") as staged:
        (staged / "model.safetensors").write_bytes(payload)
    version = s3_store.read_json("models/big/current.json")["version"]
    key = s3_store.key(f"models/big/versions/{version}/model.safetensors")
    etag = s3_store.client.head_object(Bucket=s3_store.bucket, Key=key)["ETag"]
    assert etag.strip('"').endswith("-3")  # S3's multipart ETag: <md5 of part md5s>-<parts>
    assert (s3_store.local_folder("models/big") / "model.safetensors").read_bytes() == payload


def test_an_endpoint_that_goes_away_fails_loudly_and_corrupts_nothing(moto, tmp_path):
    moto.create_bucket("flaky")
    relay = Relay(moto.port)
    client = moto.client(relay.url)
    client.meta.config.retries = {"max_attempts": 1}
    store = S3ArtifactStore(client, "flaky", cache_dir=tmp_path / "cache", multipart_threshold=5 << 20)
    store.write_json("kept.json", {"v": 1})
    with store.staged_folder("models/m") as staged:
        (staged / "weights").write_text("v1")
    relay.cut()
    with pytest.raises(botocore.exceptions.EndpointConnectionError, match=relay.url):
        store.write_json("kept.json", {"v": 2})
    with (
        pytest.raises(botocore.exceptions.EndpointConnectionError),
        store.staged_folder("models/m") as staged,
    ):
        (staged / "weights").write_bytes(b"x" * (11 << 20))
    relay.restore()
    direct = S3ArtifactStore(moto.client(), "flaky", cache_dir=tmp_path / "cache2")
    assert direct.read_json("kept.json") == {"v": 1}
    assert (direct.local_folder("models/m") / "weights").read_text() == "v1"
    pointer = json.loads(direct.read_bytes("models/m/current.json"))
    assert list(pointer["files"]) == ["weights"]
    relay.cut()
