"""Benchmark: per-example latency of the trained models on the CPU, batch 1 and batched, and the demo
leaderboards.

    python benchmarks/bench_models.py [--artifacts artifacts] [--examples 64] [--batch 32]

Run after the main job (`fedproc demo && clarioscope demo`): it loads the models under
``<artifacts>/models`` and times them on the first ``--examples`` test texts of each dataset (one warm-up call
first), then prints the leaderboards the report assets wrote.
"""

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a plain script from a checkout

import torch

from clarioscope_pipeline.assets import dataset_path
from clarioscope_pipeline.models.hybrid import HybridExtractor
from fedproc_pipeline.dataset.assets import DATASET_PATH
from slmkit.metrics import markdown_table, measure_latency
from slmkit.modeling.predict import MultiTaskPredictor, TextClassifier, TokenTagger
from slmkit.storage import LocalArtifactStore


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--artifacts", default=os.environ.get("ARTIFACTS_ROOT", "artifacts"))
    parser.add_argument("--examples", type=int, default=64)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    store = LocalArtifactStore(args.artifacts)
    models = store.path("models")

    def test_texts(path: str) -> list[str]:
        rows = store.read_parquet(path).to_pylist()
        return [str(r["text"]) for r in rows if r["split"] == "test"][: args.examples]

    fedproc = MultiTaskPredictor.load(models / "fedproc")
    intent = TextClassifier.load(models / "clarioscope-intent")
    phi = TokenTagger.load(models / "clarioscope-phi")
    insurance = TokenTagger.load(models / "clarioscope-insurance")
    cases = [
        ("fedproc (4 heads)", fedproc.predict, test_texts(DATASET_PATH)),
        ("clarioscope-intent", intent.predict, test_texts(dataset_path("intent"))),
        ("clarioscope-phi", phi.predict, test_texts(dataset_path("phi"))),
        (
            "clarioscope-phi + recognizers",
            HybridExtractor(phi, "phi").extract,
            test_texts(dataset_path("phi")),
        ),
        ("clarioscope-insurance", insurance.predict, test_texts(dataset_path("insurance"))),
        (
            "clarioscope-insurance + recognizers",
            HybridExtractor(insurance, "insurance").extract,
            test_texts(dataset_path("insurance")),
        ),
    ]
    rows = []
    for name, predict, texts in cases:
        predict(texts[:2])  # warm-up: lazy initialisation is not latency
        one = measure_latency(predict, texts, 1)
        many = measure_latency(predict, texts, args.batch)
        mean_chars = sum(map(len, texts)) / len(texts)
        rows.append(
            {
                "model": name,
                "texts": len(texts),
                "mean chars": round(mean_chars),
                "p50 ms (batch 1)": one["p50_ms"],
                "p95 ms (batch 1)": one["p95_ms"],
                f"p50 ms (batch {args.batch})": many["p50_ms"],
                f"p95 ms (batch {args.batch})": many["p95_ms"],
            }
        )
    print(
        f"Latency per example — {platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads\n"
    )
    print(markdown_table(rows, floatfmt=".1f"))
    for board in ("fedproc_leaderboard.md", "clarioscope_leaderboard.md"):
        path = store.path(f"reports/{board}")
        if path.is_file():
            print("\n" + path.read_text())


if __name__ == "__main__":
    main()
