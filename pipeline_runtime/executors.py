"""The executor of each code location, chosen by the deployment profile (``PIPELINE_ENV``).

``local`` keeps Dagster's default executor (multiprocess: one process per step on this machine), so
:func:`executor_from_env` returns ``None``. ``production`` spreads the steps of a run over Dask worker
processes with ``dagster-dask``'s executor:

* ``DASK_SCHEDULER_ADDRESS`` set (e.g. ``tcp://10.0.0.5:8786``): the run submits its steps to that existing
  scheduler and its workers;
* unset: each run starts a ``distributed.LocalCluster`` of ``DASK_WORKERS`` (default 2) worker processes
  with one thread each, on 127.0.0.1, and closes it when the run ends.

The executor runs each step as dagster-dask's ``DaskExecutor`` does (``query_on_dask_worker`` on a worker),
with its ``execute`` redone for two faults of dagster-dask 0.29.27 under dask/distributed 2026.x:

* ``Client.submit`` walks every tuple argument looking for futures, and walking the run (a NamedTuple)
  reaches its ``RunOpConcurrency`` record, which forbids iteration: every run with a pooled step
  (``llm_api``, ``sam_api``, ``training``) failed before its first step. The run's objects now travel
  inside a ``functools.partial`` that dask does not walk; only the dependency futures stay visible.
* the ``LocalCluster`` it started was never closed (the ``Client`` does not close a cluster it was handed),
  so its processes lived until the run's process exited.

Like dagster-dask, it needs a persistent instance (``DAGSTER_HOME``) and workers that can import
``dagster-dask`` and this project (each rebuilds the job from its module), and it neither claims the
instance's concurrency pools nor applies op retry policies.
"""

from collections.abc import Mapping
from contextlib import nullcontext
from functools import partial
from typing import Any, cast

import dagster as dg
from dagster._core.execution.retries import RetryMode

from pipeline_runtime.env import env_int, env_str, pipeline_env

DEFAULT_DASK_WORKERS = 2
CLUSTER_TYPES = ("existing", "local")


def _scheduler_address(name: str) -> str:
    """``scheme://host:port`` as ``distributed.Client`` accepts it; a bad value names ``name``."""
    from distributed.comm import registry
    from distributed.comm.addressing import parse_address, parse_host_port

    address = env_str(name, "").strip()
    hint = "expected scheme://host:port, e.g. tcp://10.0.0.5:8786"
    try:
        scheme, location = parse_address(address, strict=True)
        host, _port = parse_host_port(location)
    except ValueError:
        raise ValueError(f"{name}={address!r}: {hint}") from None
    if scheme not in registry.backends:
        raise ValueError(f"{name}={address!r}: unknown scheme {scheme!r} ({hint})")
    if not host:
        raise ValueError(f"{name}={address!r}: no host ({hint})")
    return address


def _run_step(dependencies: list[str], **step: Any) -> str:
    """One step on a Dask worker, as dagster-dask runs it; its events come back serialised, because dask
    sizes every result and its ``sizeof`` fails (one warning per result) on a list of Dagster events."""
    from dagster_dask.executor import query_on_dask_worker

    return dg.serialize_value(list(query_on_dask_worker(dependencies, **step)))


class PipelineDaskExecutor(dg.Executor):
    """dagster-dask's ``DaskExecutor.execute`` for the ``existing`` and ``local`` cluster types, with the two
    fixes the module describes. dask is imported on first use: the local profile never loads it."""

    def __init__(self, cluster_type: str, settings: Mapping[str, Any]):
        if cluster_type not in CLUSTER_TYPES:
            raise ValueError(f"Dask cluster type {cluster_type!r} is not one of {', '.join(CLUSTER_TYPES)}")
        self.cluster_type = cluster_type
        self.settings = dict(settings)

    @property
    def retries(self) -> RetryMode:
        return RetryMode.DISABLED  # as dagster-dask: op retry policies are not applied

    def local_cluster_kwargs(self) -> dict[str, Any]:
        # One thread per worker whatever the settings say: Dagster steps are not thread-safe.
        return {**self.settings, "threads_per_worker": 1}

    def execute(self, plan_context, execution_plan):
        import dask.distributed
        from dagster._core.errors import raise_execution_interrupts
        from dagster._utils import iterate_with_context
        from dagster_dask.executor import get_dask_resource_requirements

        instance = plan_context.instance
        if not instance.is_persistent:
            raise dg.DagsterInvariantViolationError(
                "Dask execution requires a persistent DagsterInstance (set DAGSTER_HOME)"
            )
        job_name = plan_context.job_name
        cluster: Any
        if self.cluster_type == "existing":
            cluster = nullcontext(self.settings["address"])
        else:
            # Entered below, so the cluster and its worker processes close with the run.
            cluster = dask.distributed.LocalCluster(**self.local_cluster_kwargs())

        with cluster as scheduler, dask.distributed.Client(scheduler) as client:
            futures: dict[str, Any] = {}
            for level in execution_plan.get_steps_to_execute_by_level():
                for step in level:
                    # Dask walks the positional arguments for futures: give it the dependencies only (they
                    # order the steps) and hide the run's objects in the partial.
                    dependencies = [futures[key] for inp in step.step_inputs for key in inp.dependency_keys]
                    run_step = partial(
                        _run_step,
                        recon_job=plan_context.reconstructable_job,
                        dagster_run=plan_context.dagster_run,
                        run_config=plan_context.run_config,
                        step_keys=[step.key],
                        instance_ref=instance.get_ref(),
                        known_state=execution_plan.known_state,
                    )
                    futures[step.key] = client.submit(
                        run_step,
                        dependencies,
                        key=f"{job_name}.{step.key}",
                        resources=get_dask_resource_requirements(step.tags),
                    )
            done = dask.distributed.as_completed(list(futures.values()), with_results=True)
            # Run termination (an interrupt) may land while waiting on Dask.
            for _future, events in iterate_with_context(raise_execution_interrupts, done):
                yield from dg.deserialize_value(events, list)


@dg.executor(
    name="dask",
    requirements=dg.multiple_process_executor_requirements(),
    config_schema={
        "cluster": dg.Selector(
            {
                "existing": dg.Field({"address": dg.StringSource}, description="An existing scheduler."),
                "local": dg.Field(dg.Permissive(), description="distributed.LocalCluster arguments."),
            }
        )
    },
)
def pipeline_dask_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    """dagster-dask's executor for an ``existing`` scheduler or a ``local`` cluster (see the module)."""
    cluster = cast(Mapping[str, Mapping[str, Any]], init_context.executor_config["cluster"])
    ((cluster_type, settings),) = cluster.items()
    return PipelineDaskExecutor(cluster_type, settings)


def executor_from_env() -> dg.ExecutorDefinition | None:
    """The executor for ``dg.Definitions(executor=...)``: ``None`` (Dagster's default) under ``local``, the
    Dask executor under ``production``."""
    if pipeline_env() != "production":
        return None
    if env_str("DASK_SCHEDULER_ADDRESS", "").strip():
        address = _scheduler_address("DASK_SCHEDULER_ADDRESS")
        return pipeline_dask_executor.configured(
            {"cluster": {"existing": {"address": address}}},
            name="dask_existing",
            description=f"Steps run on the Dask workers of the scheduler at {address}.",
        )
    workers = env_int("DASK_WORKERS", DEFAULT_DASK_WORKERS, minimum=1)
    local = {
        "n_workers": workers,
        # Worker processes, not threads: Dagster steps are not thread-safe, and a step that trains a
        # model must not hold the GIL for the others.
        "processes": True,
        "threads_per_worker": 1,
        # Scheduler and workers listen on loopback only; nothing outside this machine joins the cluster.
        "host": "127.0.0.1",
        # No dashboard: concurrent runs would fight over port 8787, and nobody watches a per-run cluster.
        "dashboard_address": None,
    }
    return pipeline_dask_executor.configured(
        {"cluster": {"local": local}},
        name="dask_local",
        description=f"Steps run on a per-run LocalCluster of {workers} worker process(es).",
    )
