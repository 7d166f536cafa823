"""`clarioscope` console command."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="clarioscope", description="ClarioScope pipeline commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="materialise every clarioscope asset on the embedded offline default")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from clarioscope_pipeline.definitions import defs
        from pipeline_runtime.demo import run_demo

        return 1 if run_demo(defs, location="clarioscope", partition_keys=[]) else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
