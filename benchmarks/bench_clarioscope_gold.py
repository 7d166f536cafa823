"""Benchmark: the shipped ClarioScope models (and hybrids) on a human gold set, next to the family-B test.

    python benchmarks/bench_clarioscope_gold.py [--artifacts artifacts] [--gold benchmarks/gold/...jsonl]

Run after the main job (`clarioscope demo`): it loads the current model folders, scores them on the gold set
(hand-written, never trained on; docs/labelling.md) with the leaderboard's own evaluation and prints the
task table, per entity type (with false positives, also on messages without entities) and per channel.
Message text is never printed.
"""

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a plain script from a checkout

from clarioscope_pipeline.assets import default_gold_path
from clarioscope_pipeline.gold import gold_summary, load_gold
from clarioscope_pipeline.models.assets import SCORE_COLUMNS, report_path, score_gold
from clarioscope_pipeline.models.evaluation import per_channel_rows, per_entity_rows
from slmkit.metrics import markdown_table
from slmkit.storage import LocalArtifactStore


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--artifacts", default=os.environ.get("ARTIFACTS_ROOT", "artifacts"))
    parser.add_argument("--gold", default=os.environ.get("CLARIOSCOPE_GOLD_PATH") or default_gold_path())
    args = parser.parse_args()
    store = LocalArtifactStore(args.artifacts)
    gold = load_gold(args.gold)
    summary = gold_summary(gold)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}")
    print(f"gold set: {summary['records']} messages, {summary['without_entities']} without entities")
    rows, reports = score_gold(store, gold)
    for task in ("intent", "phi", "insurance"):
        test_rows = [dict(r, set="test (family B)") for r in store.read_json(report_path(task))["rows"]]
        gold_rows = [dict(r, set="human gold") for r in rows if r["task"] == task]
        print(f"\n## {task}\n")
        print(markdown_table(test_rows + gold_rows, ["model", "set", *SCORE_COLUMNS[task]]))
        for model, report in reports[task].items():
            if task != "intent":
                print(f"\n### {model}: per entity type (human gold)\n")
                print(markdown_table(per_entity_rows(report, model)))
            else:
                print(f"\n### {model}: confusions (human gold)\n")
                print(markdown_table(report["confusions"][:10]))
            print(f"\n### {model}: per channel (human gold)\n")
            print(markdown_table(per_channel_rows(report, model)))


if __name__ == "__main__":
    main()
