"""The `<location> demo` command: materialise every asset of a code location into $DAGSTER_HOME."""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import dagster as dg

from pipeline_runtime.env import pipeline_env
from pipeline_runtime.paths import ensure_dagster_home
from pipeline_runtime.resources import store_resource_from_env
from pipeline_runtime.training import model_path

QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def plan_runs(
    defs: dg.Definitions, partition_keys: Sequence[str]
) -> list[tuple[list[dg.AssetKey], str | None]]:
    """Runs in dependency order: unpartitioned assets that need no partitioned input, one run per
    partition key for the partitioned assets, then the unpartitioned assets that consume them."""
    graph = defs.resolve_asset_graph()
    keys = [k for k in graph.toposorted_asset_keys if k in graph.materializable_asset_keys]
    partitioned = [k for k in keys if graph.get(k).partitions_def is not None]
    downstream_of_partitioned = {
        k for k in keys if k not in partitioned and graph.get_ancestor_asset_keys(k) & set(partitioned)
    }
    first = [k for k in keys if k not in partitioned and k not in downstream_of_partitioned]
    plan: list[tuple[list[dg.AssetKey], str | None]] = []
    if first:
        plan.append((first, None))
    if partitioned:
        plan.extend((partitioned, key) for key in partition_keys)
    if downstream_of_partitioned:
        plan.append(([k for k in keys if k in downstream_of_partitioned], None))
    return plan


def _describe(metadata: Mapping) -> str:
    shown = []
    for name in (
        "source",
        "records",
        "notices",
        "sections",
        "descriptions",
        "device",
        "best_epoch",
        "train_seconds",
    ):
        if name in metadata:
            shown.append(f"{name}={getattr(metadata[name], 'value', metadata[name])}")
    return ", ".join(shown)


def run_demo(defs: dg.Definitions, *, location: str, partition_keys: Sequence[str]) -> int:
    """Materialise everything; print one line per asset and check; return the number of failures."""
    home = ensure_dagster_home()
    store = store_resource_from_env().store()
    print(f"[{location}] PIPELINE_ENV={pipeline_env()}  DAGSTER_HOME={home}  artifacts={store!r}", flush=True)
    instance = dg.DagsterInstance.get()
    job = defs.resolve_implicit_global_asset_job_def()
    failures = 0
    plan = plan_runs(defs, partition_keys)
    for step, (keys, partition_key) in enumerate(plan, start=1):
        label = f"partition {partition_key}" if partition_key else "unpartitioned"
        names = ", ".join(k.to_user_string() for k in keys)
        print(f"[{location}] run {step}/{len(plan)} ({label}): {names}", flush=True)
        started = time.monotonic()
        result = job.execute_in_process(
            instance=instance,
            asset_selection=keys,
            partition_key=partition_key,
            run_config=QUIET_RUN_CONFIG,
            raise_on_error=False,
        )
        for event in result.get_asset_materialization_events():
            materialization = event.step_materialization_data.materialization
            name = materialization.asset_key.to_user_string()
            print(f"    ok    {name}  {_describe(materialization.metadata)}")
        for evaluation in result.get_asset_check_evaluations():
            status = "pass" if evaluation.passed else "FAIL"
            failures += not evaluation.passed
            print(f"    {status:5} check {evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
        for event in result.get_step_failure_events():
            failures += 1
            error = event.step_failure_data.error
            print(f"    FAIL  {event.step_key}: {error.message.strip() if error else 'failed'}")
        if not result.success and not result.get_step_failure_events():
            failures += 1
            print(f"    FAIL  run {result.run_id} did not succeed")
        print(f"    ({time.monotonic() - started:.1f}s)", flush=True)
    verdict = "all assets materialised" if failures == 0 else f"{failures} failure(s)"
    print(f"[{location}] {verdict}", flush=True)
    return failures


def cli_main(
    location: str,
    argv: list[str] | None,
    *,
    partition_keys: Callable[[], list[str]] = list,
    commands: Mapping[
        str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
    ]
    | None = None,
) -> int:
    """The `<location>` console command: ``<location> demo`` runs :func:`run_demo` on the location's
    definitions (``<location>_pipeline.definitions``); ``commands`` adds more: name → (help, add arguments,
    run)."""
    parser = argparse.ArgumentParser(prog=location, description=f"{location} pipeline commands.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help=f"materialise every {location} asset on the embedded offline default")
    for name, (help_text, add_arguments, _) in (commands or {}).items():
        add_arguments(sub.add_parser(name, help=help_text))
    args = parser.parse_args(argv)
    if args.command != "demo":
        return (commands or {})[args.command][2](args)
    defs = importlib.import_module(f"{location}_pipeline.definitions").defs
    return 1 if run_demo(defs, location=location, partition_keys=partition_keys()) else 0


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """``--input``, ``--output``, ``--models`` (default: the latest materialised models), ``--batch-size``."""
    parser.add_argument("--input", required=True, help='JSON lines {"id", "text"}')
    parser.add_argument("--output", required=True, help="JSON lines, one per good input line")
    parser.add_argument(
        "--models",
        default=None,
        help="models folder (default: the latest materialised models in the PIPELINE_ENV artifact store)",
    )
    parser.add_argument("--batch-size", type=_positive, default=16)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def model_folders(args: argparse.Namespace, names: Sequence[str], hint: str) -> dict[str, Path]:
    """Each model's folder: under ``--models`` if given, else the latest materialised version in the
    profile's artifact store (``production``: downloaded from the bucket once, then reused)."""
    if args.models:
        folders = {name: Path(args.models) / name for name in names}
        missing = [name for name, folder in folders.items() if not folder.is_dir()]
        where = args.models
    else:
        store = store_resource_from_env().store()
        folders, missing = {}, []
        for name in names:
            try:
                folders[name] = store.local_folder(model_path(name))
            except FileNotFoundError:
                missing.append(name)
        where = store.uri("models")
    if missing:
        raise FileNotFoundError(
            f"no model folder {', '.join(missing)} in {where}: materialise {hint} first or pass --models"
        )
    return folders
