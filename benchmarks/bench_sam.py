"""Benchmark: SAM.gov requests spent per 1,000 notices fetched, against the fake server on 127.0.0.1.

    python benchmarks/bench_sam.py

For each day size the client fetches every page (limit 1000) and every description, through the
real `SamApi` and ledger. A second pass interrupts the same day by the daily budget at about half
way and resumes it the next "day", to show that a quota stop costs no extra request.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout

import fedproc_pipeline.sam.api as sam_api  # noqa: E402
from fedproc_pipeline.sam.api import DayProgress, QuotaStop, SamApi  # noqa: E402
from slmkit.quota import DailyRequestLedger  # noqa: E402
from tests.fakes.sam_server import DESCRIPTION_PATH, SEARCH_PATH, FakeSamServer  # noqa: E402

KEY = "bench-key"
DAY = date(2026, 11, 20)
SIZES = (250, 1000, 2500)


def fetch_all(server: FakeSamServer, ledger: DailyRequestLedger) -> None:
    api = SamApi(KEY, ledger=ledger, base_url=server.search_url)
    progress = api.fetch_day(DAY)
    api.fetch_descriptions(progress.records.values(), {})


def fetch_with_quota_stop(server: FakeSamServer, ledger_path: Path, budget: int) -> int:
    """Fetch with a budget that runs out mid-way, resume on later days; return quota stops met."""
    today = date(2026, 11, 21)
    sam_api.utc_today = lambda: today  # the ledger's day, moved forward at each stop
    progress: DayProgress | None = None
    descriptions: dict[str, str] = {}
    stops = 0
    while True:
        api = SamApi(KEY, ledger=DailyRequestLedger(ledger_path, budget), base_url=server.search_url)
        try:
            progress = api.fetch_day(DAY, progress)
            descriptions = api.fetch_descriptions(progress.records.values(), descriptions)
            return stops
        except QuotaStop as stop:
            stops += 1
            progress = stop.progress or progress
            descriptions = stop.descriptions or descriptions
            today += timedelta(days=1)


def main() -> None:
    rows = []
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp, FakeSamServer(api_key=KEY) as server:
            server.add_synthetic_day(DAY, size)
            started = time.perf_counter()
            fetch_all(server, DailyRequestLedger(Path(tmp) / "q.sqlite", budget=10**6))
            seconds = time.perf_counter() - started
            search, described = server.count(SEARCH_PATH), server.count(DESCRIPTION_PATH)
        with tempfile.TemporaryDirectory() as tmp, FakeSamServer(api_key=KEY) as server:
            server.add_synthetic_day(DAY, size)
            stops = fetch_with_quota_stop(server, Path(tmp) / "q.sqlite", budget=(size + 2) // 2)
            resumed = server.count()
        total = search + described
        rows.append(
            f"| {size:,} | {search} | {described:,} | {total:,} | {1000 * total / size:,.1f} "
            f"| {1000 * search / size:.1f} | {stops} | {resumed:,} | {seconds:.2f} |"
        )
    print(
        f"SAM.gov requests per notice — {platform.node()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}\n"
    )
    print(
        "| notices | search pages | descriptions | requests | per 1,000 notices | search only, per 1,000 "
        "| quota stops | requests with stops | seconds (no stop) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
