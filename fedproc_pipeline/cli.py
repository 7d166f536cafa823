"""`fedproc` console command."""

import sys

from pipeline_runtime.demo import cli_main


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
    return cli_main("fedproc", argv, partition_keys=demo_partition_keys)


if __name__ == "__main__":
    sys.exit(main())
