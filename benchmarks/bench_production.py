"""Benchmark: the main job (`fedproc demo && clarioscope demo`) under PIPELINE_ENV=local and =production, and
the S3 round trip of a model folder.

    python benchmarks/bench_production.py [--skip-demos] [--model-dir artifacts/models/fedproc]

``production`` runs against a throwaway PostgreSQL 15 cluster and moto's S3 server, both on 127.0.0.1 and
started by this script (the same helpers the tests use), so it measures the cost of the production code path
(S3 uploads, multipart, Postgres event log) on this machine, not a real network. Each demo starts from an
empty DAGSTER_HOME and artifact store. The round trip publishes a model folder to the bucket
(``staged_folder``: multipart above 8 MiB) and reads it back into an empty cache (``local_folder``: download
and sha256 check).
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout

from slmkit.metrics import markdown_table  # noqa: E402
from slmkit.storage import S3ArtifactStore  # noqa: E402
from tests.fakes import postgres  # noqa: E402
from tests.fakes.s3 import CREDENTIALS, MotoServer  # noqa: E402

BIN = Path(sys.executable).parent


def run_demos(env: dict[str, str]) -> dict[str, float]:
    times = {}
    for location in ("fedproc", "clarioscope"):
        started = time.monotonic()
        done = subprocess.run([str(BIN / location), "demo"], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{location} demo failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        times[location] = time.monotonic() - started
    return times


def round_trip(store: S3ArtifactStore, folder: Path) -> dict[str, float]:
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    started = time.monotonic()
    with store.staged_folder("models/bench") as staged:
        shutil.copytree(folder, staged, dirs_exist_ok=True)
    upload = time.monotonic() - started
    store.cache_dir = Path(tempfile.mkdtemp(prefix="cache-", dir=store.cache_dir.parent))  # a cold cache
    started = time.monotonic()
    store.local_folder("models/bench")
    download = time.monotonic() - started
    return {"mib": size / 2**20, "upload": upload, "download": download}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-demos", action="store_true", help="only the S3 round trip")
    parser.add_argument(
        "--model-dir", default=None, help="folder to round-trip (default: the trained fedproc)"
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-production-"))
    moto = MotoServer()
    rows = []
    try:
        with postgres.PostgresCluster() as cluster:
            base = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "ARTIFACTS_ROOT")}
            profiles = {
                "local": {"PIPELINE_ENV": "local"},
                "production": {
                    **CREDENTIALS,
                    "PIPELINE_ENV": "production",
                    "S3_BUCKET": "bench",
                    "AWS_ENDPOINT_URL": moto.url,
                    "DAGSTER_POSTGRES_URL": cluster.url,
                },
            }
            moto.create_bucket("bench")
            for profile, settings in profiles.items():
                if args.skip_demos:
                    break
                env = base | settings
                env |= {"DAGSTER_HOME": str(scratch / profile / "home")}
                env |= {"ARTIFACTS_ROOT": str(scratch / profile / "artifacts")}
                times = run_demos(env)
                rows.append(
                    {
                        "profile": profile,
                        "fedproc demo s": round(times["fedproc"], 1),
                        "clarioscope demo s": round(times["clarioscope"], 1),
                        "total min": round(sum(times.values()) / 60, 1),
                    }
                )
                print(rows[-1], flush=True)
            folder = (
                Path(args.model_dir)
                if args.model_dir
                else scratch / "local" / "artifacts" / "models" / "fedproc"
            )
            if not folder.is_dir():
                raise SystemExit(f"no model folder at {folder}: pass --model-dir")
            store = S3ArtifactStore(moto.client(), "bench", "round-trip", cache_dir=scratch / "cache")
            trips = [round_trip(store, folder) for _ in range(3)]
    finally:
        moto.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
    )
    if rows:
        print(markdown_table(rows, ["profile", "fedproc demo s", "clarioscope demo s", "total min"], ".1f"))
    best = {key: min(t[key] for t in trips) for key in ("upload", "download")}
    trip_row = {
        "model folder": folder.name,
        "MiB": round(trips[0]["mib"], 1),
        "upload s (best of 3)": round(best["upload"], 2),
        "download + verify s": round(best["download"], 2),
        "MiB/s up": round(trips[0]["mib"] / best["upload"], 1),
        "MiB/s down": round(trips[0]["mib"] / best["download"], 1),
    }
    print(markdown_table([trip_row], list(trip_row), ".2f"))


if __name__ == "__main__":
    main()
