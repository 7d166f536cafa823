"""`fedproc` console command."""

from __future__ import annotations

import argparse
import sys


def demo_partition_keys() -> list[str]:
    """The sample's posted days offline; with a key, yesterday (the last complete day)."""
    from fedproc_pipeline.sam.assets import sam_daily_partitions
    from fedproc_pipeline.sam.resources import sam_client_from_env
    from fedproc_pipeline.sam.sample import SampleSam

    if sam_client_from_env().is_live:
        last = sam_daily_partitions.get_last_partition_key()
        return [last] if last else []
    return [day.isoformat() for day in SampleSam().days()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fedproc", description="FedProc pipeline commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "demo", help="materialise every fedproc asset (SAM on the sample days when no SAM_API_KEY is set)"
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        from fedproc_pipeline.definitions import defs
        from pipeline_runtime.demo import run_demo

        return 1 if run_demo(defs, location="fedproc", partition_keys=demo_partition_keys()) else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
