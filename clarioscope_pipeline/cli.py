"""`clarioscope` console command."""

import sys

from pipeline_runtime.demo import cli_main


def main(argv: list[str] | None = None) -> int:
    return cli_main("clarioscope", argv)


if __name__ == "__main__":
    sys.exit(main())
