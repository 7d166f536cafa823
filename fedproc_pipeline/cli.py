"""`fedproc` console command."""

import argparse
import sys

from pipeline_runtime.batch_io import run_batch
from pipeline_runtime.demo import add_batch_arguments, cli_main, model_folders


def demo_partition_keys() -> list[str]:
    """The sample's posted days offline; with a key, yesterday (the last complete day)."""
    from fedproc_pipeline.sam.assets import sam_daily_partitions
    from fedproc_pipeline.sam.resources import sam_client_from_env
    from fedproc_pipeline.sam.sample import SampleSam

    if sam_client_from_env().is_live:
        last = sam_daily_partitions.get_last_partition_key()
        return [last] if last else []
    return [day.isoformat() for day in SampleSam().days()]


def _predict(args: argparse.Namespace) -> int:
    from fedproc_pipeline.models.training import MODEL_NAME
    from fedproc_pipeline.predict import FedprocModel, clause_registry
    from pipeline_runtime.resources import store_resource_from_env

    folder = model_folders(args, [MODEL_NAME], "fedproc_model (`fedproc demo`)")[MODEL_NAME]
    model = FedprocModel(folder, clause_registry(store_resource_from_env().store()))
    return run_batch(args.input, args.output, model.predict, batch_size=args.batch_size, label="predict")


COMMANDS = {
    "predict": (
        "notice type, NAICS sector, set-asides and clauses per text (JSON lines)",
        add_batch_arguments,
        _predict,
    )
}


def main(argv: list[str] | None = None) -> int:
    return cli_main("fedproc", argv, partition_keys=demo_partition_keys, commands=COMMANDS)


if __name__ == "__main__":
    sys.exit(main())
