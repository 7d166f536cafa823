"""`clarioscope` console command: demo, predict, redact."""

import argparse
import sys
from typing import TYPE_CHECKING

from pipeline_runtime.batch_io import run_batch
from pipeline_runtime.demo import add_batch_arguments, cli_main, model_folders

if TYPE_CHECKING:
    from clarioscope_pipeline.predict import IntakeModels


def _add_predict_arguments(parser: argparse.ArgumentParser) -> None:
    add_batch_arguments(parser)
    parser.add_argument(
        "--llm-fallback",
        action="store_true",
        help="ask the configured LLM provider about ID cues nothing resolved (costs in the ledger)",
    )


def _models(args: argparse.Namespace) -> "IntakeModels":
    # Imported here so that `clarioscope --help` does not wait for torch and transformers to load.
    from clarioscope_pipeline.models.hybrid import LLMFallback
    from clarioscope_pipeline.models.training import model_name
    from clarioscope_pipeline.predict import IntakeModels
    from pipeline_runtime.llm import llm_resource_from_env
    from pipeline_runtime.resources import store_resource_from_env

    fallback = {}
    if getattr(args, "llm_fallback", False):
        # No cache: the requests hold real patient text, which must not be written to disk.
        session = llm_resource_from_env().session(store_resource_from_env().store(), cache=False)
        fallback = {task: LLMFallback(session.client, session.model, task) for task in ("phi", "insurance")}
    names = [model_name(task) for task in ("intent", "phi", "insurance")]
    return IntakeModels(model_folders(args, names, "the clarioscope models (`clarioscope demo`)"), fallback)


def _predict(args: argparse.Namespace) -> int:
    return run_batch(
        args.input, args.output, _models(args).predict, batch_size=args.batch_size, label="predict"
    )


def _redact(args: argparse.Namespace) -> int:
    return run_batch(
        args.input, args.output, _models(args).redact, batch_size=args.batch_size, label="redact"
    )


COMMANDS = {
    "predict": (
        "intent, PHI and insurance fields per message (JSON lines)",
        _add_predict_arguments,
        _predict,
    ),
    "redact": ("the messages with PHI replaced by [LABEL] (JSON lines)", _add_predict_arguments, _redact),
}


def main(argv: list[str] | None = None) -> int:
    return cli_main("clarioscope", argv, commands=COMMANDS)


if __name__ == "__main__":
    sys.exit(main())
