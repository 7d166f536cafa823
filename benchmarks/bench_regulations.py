"""Benchmark: decompress + parse the committed FAR/DFARS snapshot with the production parser.

    python benchmarks/bench_regulations.py

Prints a markdown table for part 52, part 252 and both. Each row is measured in a fresh
interpreter so its memory high-water mark belongs to that row alone: wall time is the median of
3 runs after a warm-up run, the tracemalloc peak comes from one more run (tracemalloc slows Python
down), and the RSS growth is the process high-water mark (VmHWM; ru_maxrss where /proc is
missing) after the runs minus before them. tracemalloc sees Python objects only; the RSS growth
also covers libxml2.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout

from fedproc_pipeline.regulations import snapshot  # noqa: E402
from fedproc_pipeline.regulations.parser import iter_sections  # noqa: E402

RUNS = 3
ROWS = (("52",), ("252",), ("52", "252"))


def high_water_bytes() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def parse_parts(parts: tuple[str, ...]) -> int:
    count = 0
    for part in parts:
        with snapshot.open_part(part) as stream:
            count += sum(1 for _ in iter_sections(stream, source_label="bench"))
    return count


def measure(parts: tuple[str, ...]) -> dict:
    """One row, in this (fresh) process."""
    xml_bytes = 0
    for part in parts:
        with snapshot.open_part(part) as stream:
            while chunk := stream.read(1 << 20):
                xml_bytes += len(chunk)
    parse_parts(parts)  # warm-up: regex compilation, imports, page cache
    before = high_water_bytes()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        records = parse_parts(parts)
        times.append(time.perf_counter() - started)
    rss_growth = high_water_bytes() - before
    tracemalloc.start()
    parse_parts(parts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "parts": list(parts),
        "records": records,
        "xml_bytes": xml_bytes,
        "gz_bytes": sum(snapshot.snapshot_file(p).stat().st_size for p in parts),
        "median_s": statistics.median(times),
        "tracemalloc_peak": peak,
        "rss_growth": rss_growth,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--row", nargs="+", help=argparse.SUPPRESS)  # internal: measure one row
    args = parser.parse_args()
    if args.row:
        print(json.dumps(measure(tuple(args.row))))
        return

    edition = snapshot.load_manifest()["edition"]
    print(f"Snapshot: {edition}; Python {platform.python_version()}, {platform.machine()}")
    print()
    print(
        "| parts | records | XML bytes (gz) | decompress+parse, median of 3 | records/s "
        "| tracemalloc peak | max RSS growth |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for parts in ROWS:
        result = subprocess.run(
            [sys.executable, __file__, "--row", *parts], capture_output=True, text=True, check=True
        )
        row = json.loads(result.stdout)
        print(
            f"| {' + '.join(row['parts'])} | {row['records']:,} "
            f"| {row['xml_bytes']:,} ({row['gz_bytes']:,}) | {row['median_s'] * 1000:.0f} ms "
            f"| {row['records'] / row['median_s']:,.0f} | {row['tracemalloc_peak'] / 2**20:.2f} MiB "
            f"| {row['rss_growth'] / 2**20:.2f} MiB |"
        )


if __name__ == "__main__":
    main()
