"""The ``production`` profile end to end on this machine: a throwaway PostgreSQL 15 cluster and moto's S3
server, both on 127.0.0.1. `fedproc demo` and `clarioscope demo` (tiny model, a few steps) run under
``PIPELINE_ENV=production``: the artifacts land in the bucket and nowhere on disk, the runs land in
Postgres, and a second process reads the models back from the bucket and predicts. Then the faults: the S3
endpoint stops mid-run (the step fails clearly, a re-run completes, no object is corrupt), and the SAM
quota ledger holds across processes through Postgres."""

import json
import multiprocessing
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from pipeline_runtime.resources import S3ArtifactStoreResource, store_resource_from_env
from slmkit.quota import DailyRequestLedger
from slmkit.storage import S3ArtifactStore
from tests.fakes import postgres
from tests.fakes.s3 import CREDENTIALS, MotoServer, Relay

pytestmark = pytest.mark.skipif(not postgres.available(), reason="PostgreSQL 15 binaries not installed")

BIN = Path(sys.executable).parent
MESSAGES = [
    {"id": "m1", "text": "Hi, I need to reschedule my appointment. My member ID is XJH448812901."},
    {"id": "m2", "text": "Please send my lab results to jane.doe@example.com, DOB 03/14/1985."},
]


@pytest.fixture(scope="module")
def servers():
    moto = MotoServer()
    with postgres.PostgresCluster() as cluster:
        yield moto, cluster
    moto.stop()


def production_env(tmp_path: Path, moto, cluster, tiny_base_model, bucket: str, endpoint: str) -> dict:
    moto.create_bucket(bucket)
    return {
        **os.environ,
        **CREDENTIALS,
        "PIPELINE_ENV": "production",
        "S3_BUCKET": bucket,
        "S3_PREFIX": "pipelines",
        "AWS_ENDPOINT_URL": endpoint,
        "DAGSTER_POSTGRES_URL": cluster.url,
        "DAGSTER_HOME": str(tmp_path / "home"),
        "ARTIFACTS_ROOT": str(tmp_path / "local"),
        "TRAIN_BASE_MODEL": tiny_base_model,
        "TRAIN_EPOCHS": "1",
        "TRAIN_MAX_STEPS": "2",
    }


def bucket_store(moto, bucket: str, tmp_path: Path) -> S3ArtifactStore:
    return S3ArtifactStore(moto.client(), bucket, "pipelines", cache_dir=tmp_path / "check-cache")


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, **kwargs)


def assert_nothing_corrupt(store: S3ArtifactStore) -> None:
    """Every object in the bucket reads as what its name says, and every model pointer is complete."""
    prefix = f"{store.prefix}/"
    for key in store._keys(prefix):
        relpath = key[len(prefix) :]
        if relpath.endswith(".parquet"):
            assert store.read_parquet(relpath).num_rows > 0, relpath
        elif relpath.endswith(".json"):
            store.read_json(relpath)
    for name in ("clarioscope-intent", "clarioscope-phi", "clarioscope-insurance"):
        folder = store.local_folder(
            f"models/{name}"
        )  # checks every file against the pointer's sha256  # checks every file against the pointer's sha256
        assert (folder / "model.safetensors").is_file()


def test_demo_runs_on_s3_and_postgres_and_another_process_predicts_from_the_bucket(
    servers, tmp_path, tiny_base_model
):
    moto, cluster = servers
    env = production_env(tmp_path, moto, cluster, tiny_base_model, "prod-demo", moto.url)
    for location in ("fedproc", "clarioscope"):
        demo = run([str(BIN / location), "demo"], env)
        assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
        assert "PIPELINE_ENV=production" in demo.stdout and "s3://prod-demo/pipelines" in demo.stdout
    # The instance is the production one, on Postgres.
    home_config = (tmp_path / "home" / "dagster.yaml").read_text()
    assert "DAGSTER_POSTGRES_URL" in home_config
    with cluster.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM runs WHERE status = 'SUCCESS'")
        assert cursor.fetchone()[0] >= 1
        cursor.execute("SELECT count(*) FROM event_logs WHERE asset_key LIKE %s", ('%"intent_model"%',))
        assert cursor.fetchone()[0] >= 1
    # Artifacts are in the bucket, not on local disk.
    store = bucket_store(moto, "prod-demo", tmp_path)
    for task in ("intent", "phi", "insurance"):
        assert store.read_parquet(f"clarioscope/datasets/{task}.parquet").num_rows > 0
        assert store.exists(f"models/clarioscope-{task}/current.json")
    assert store.exists("reports/clarioscope_leaderboard.md") and store.exists(
        "reports/fedproc_leaderboard.md"
    )
    manifest = store.read_json("regulations/ecfr_title48_xml/manifest.json")
    assert store.exists(f"{manifest['dir']}/part-52.xml.gz") and store.exists(
        f"{manifest['dir']}/part-252.xml.gz"
    )
    assert store.count("sam/opportunities", ".parquet") >= 1 and store.exists("models/fedproc/current.json")
    assert not list((tmp_path / "local").rglob("*.parquet"))
    assert_nothing_corrupt(store)

    # A second process on a machine that never saw the run: fresh local folder, models from the bucket.
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(m) + "\n" for m in MESSAGES))
    other = env | {"ARTIFACTS_ROOT": str(tmp_path / "elsewhere")}
    out = tmp_path / "out.jsonl"
    predict = run([str(BIN / "clarioscope"), "predict", "--input", str(source), "--output", str(out)], other)
    assert predict.returncode == 0, predict.stderr[-3000:]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["m1", "m2"] and all("intent" in r and "phi" in r for r in rows)
    fedproc_out = tmp_path / "fedproc.jsonl"
    notice = [
        {
            "id": "n1",
            "text": "This acquisition is set aside for HUBZone small business concerns. "
            "FAR 52.219-3 and 52.212-4 apply.",
        }
    ]
    source.write_text("".join(json.dumps(m) + "\n" for m in notice))
    predict = run(
        [str(BIN / "fedproc"), "predict", "--input", str(source), "--output", str(fedproc_out)], other
    )
    assert predict.returncode == 0, predict.stderr[-3000:]
    assert json.loads(fedproc_out.read_text())["id"] == "n1"
    downloaded = list((tmp_path / "elsewhere" / "s3-cache").rglob("model.safetensors"))
    assert len(downloaded) == 4


def test_an_s3_endpoint_that_stops_mid_run_fails_the_step_clearly_and_a_rerun_completes(
    servers, tmp_path, tiny_base_model
):
    moto, cluster = servers
    relay = Relay(moto.port)
    env = production_env(tmp_path, moto, cluster, tiny_base_model, "prod-faults", relay.url)
    env |= {"S3_MAX_ATTEMPTS": "2", "AWS_SECRET_ACCESS_KEY": "SECRET-aws-7f3a9c"}  # moto takes any secret
    store = bucket_store(moto, "prod-faults", tmp_path)
    demo = subprocess.Popen(
        [str(BIN / "clarioscope"), "demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Cut the endpoint once the first dataset is in the bucket: the run is well under way, models to come.
    deadline = time.monotonic() + 300
    while not store.exists("clarioscope/datasets/intent.parquet"):
        assert demo.poll() is None and time.monotonic() < deadline, "the demo ended before the cut"
        time.sleep(0.2)
    relay.cut()
    output, _ = demo.communicate(timeout=600)
    assert demo.returncode != 0, output[-3000:]
    assert "FAIL" in output and "Could not connect to the endpoint URL" in output
    assert env["AWS_SECRET_ACCESS_KEY"] not in output
    relay.restore()
    rerun = run([str(BIN / "clarioscope"), "demo"], env)
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    assert_nothing_corrupt(store)
    relay.cut()


def test_the_production_store_and_ledger_come_from_the_environment(servers, monkeypatch, tmp_path):
    moto, cluster = servers
    monkeypatch.setenv("PIPELINE_ENV", "production")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(ValueError, match="S3_BUCKET"):
        store_resource_from_env()
    moto.create_bucket("from-env")
    for name, value in (CREDENTIALS | {"S3_BUCKET": "from-env", "AWS_ENDPOINT_URL": moto.url}).items():
        monkeypatch.setenv(name, value)
    resource = store_resource_from_env()
    assert isinstance(resource, S3ArtifactStoreResource)
    resource.store().write_json("probe.json", {"ok": True})
    assert bucket_store(moto, "from-env", tmp_path).client.get_object(Bucket="from-env", Key="probe.json")
    monkeypatch.setenv("DAGSTER_POSTGRES_URL", cluster.url)
    from fedproc_pipeline.sam.resources import sam_client_from_env

    client = sam_client_from_env()
    assert client.ledger_url is not None and "ledger_url" not in repr(client)


DAY = date(2026, 11, 21)


def _grab(url: str, attempts: int, out) -> None:
    ledger = DailyRequestLedger(url, budget=25, name="sam.gov")
    out.put(sum(ledger.try_acquire(DAY) for _ in range(attempts)))


def test_the_quota_ledger_in_postgres_holds_across_processes(servers):
    """Four processes (as if on four machines) share one Postgres ledger: exactly the budget is admitted."""
    _, cluster = servers
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    procs = [context.Process(target=_grab, args=(cluster.url, 20, results)) for _ in range(4)]
    for proc in procs:
        proc.start()
    admitted = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert sum(admitted) == 25
    ledger = DailyRequestLedger(cluster.url, budget=25, name="sam.gov")
    assert (ledger.used(DAY), ledger.remaining(DAY)) == (25, 0)
    assert "dagster@" not in repr(ledger)
    ledger.mark_exhausted(date(2026, 11, 22))
    assert not ledger.try_acquire(date(2026, 11, 22))
    with cluster.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT used FROM daily_request_quota WHERE name = 'sam.gov' AND day = %s", (str(DAY),)
        )
        assert cursor.fetchone() == (25,)


def test_the_backfill_sensor_sees_the_quota_spent_on_another_machine(servers, tmp_path, monkeypatch):
    """Under production the SAM client's ledger is the Postgres table: requests spent elsewhere stop the
    quota-aware backfill here, on the Postgres instance."""
    import dagster as dg

    from fedproc_pipeline.sam.resources import sam_client_from_env
    from fedproc_pipeline.sam.sensors import sam_quota_backfill_sensor

    _, cluster = servers
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((Path(__file__).parents[1] / "dagster.production.yaml").read_text())
    env = {"PIPELINE_ENV": "production", "DAGSTER_POSTGRES_URL": cluster.url}
    env |= {"SAM_API_KEY": "SECRET-KEY-prod", "SAM_DAILY_BUDGET": "2"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sam = sam_client_from_env()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        first = sam_quota_backfill_sensor(dg.build_sensor_context(instance=instance, resources={"sam": sam}))
        assert isinstance(first, dg.RunRequest)
        elsewhere = DailyRequestLedger(cluster.url, budget=2, name="sam.gov")  # another machine's client
        assert elsewhere.try_acquire() and elsewhere.try_acquire()
        second = sam_quota_backfill_sensor(dg.build_sensor_context(instance=instance, resources={"sam": sam}))
        assert isinstance(second, dg.SkipReason) and "budget is spent" in (second.skip_message or "")
