"""Benchmark: the offline ClarioScope generator (families A and B), messages per second.

    python benchmarks/bench_generation.py

Each row generates N messages for one family and task (median of 3 runs) and reports throughput and
the style mix it produced.
"""

import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a plain script from a checkout

from clarioscope_pipeline.generation import generate_messages, realism_stats

N = 2000


def main() -> None:
    print(f"Local generator — {platform.machine()}, Python {platform.python_version()}, N={N}\n")
    print("| family | task | messages/s | polished / casual / messy |")
    print("|---|---|---:|---|")
    for family in ("A", "B"):
        for task in ("intent", "phi", "insurance"):
            times = []
            for seed in range(3):
                started = time.perf_counter()
                messages = generate_messages(family, N, seed=seed, task=task)
                times.append(time.perf_counter() - started)
            shares: dict[str, float] = realism_stats(messages)["style_shares"]  # type: ignore[assignment]
            mix = " / ".join(f"{100 * shares.get(s, 0):.0f}%" for s in ("polished", "casual", "messy"))
            print(f"| {family} | {task} | {N / statistics.median(times):,.0f} | {mix} |")


if __name__ == "__main__":
    main()
