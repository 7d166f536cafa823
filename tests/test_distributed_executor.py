"""The production executor: ``executor_from_env()`` picks Dagster's default under ``local`` and the Dask
executor under ``production`` (an existing scheduler, else a LocalCluster of worker processes), and a real
run through it puts two independent ClarioScope assets in two different worker processes and leaves no
Dask process behind."""

import os
import time
from typing import Any

import dagster as dg
import psutil
import pytest

from clarioscope_pipeline.assets import (
    ClarioscopeData,
    clarioscope_label_schema,
    intent_raw,
    phi_raw,
    raw_path,
)
from pipeline_runtime.executors import PipelineDaskExecutor, executor_from_env
from pipeline_runtime.llm import LLMResource
from pipeline_runtime.resources import ArtifactStoreResource
from tests.conftest import latest_materialization

JOB = "dask_raw"
RAW_ASSETS = ("intent_raw", "phi_raw")
DASK_VARIABLES = ("PIPELINE_ENV", "DASK_SCHEDULER_ADDRESS", "DASK_WORKERS")
STORE = {"store": ArtifactStoreResource()}
STEP_EVENTS = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.ASSET_MATERIALIZATION,
    dg.DagsterEventType.STEP_SUCCESS,
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in DASK_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _cluster_config(executor_def: dg.ExecutorDefinition | None) -> tuple[str, dict]:
    """(cluster type, its settings) as the configured executor hands them to its creation function."""
    assert executor_def is not None
    schema: Any = executor_def.config_schema  # a configured definition's schema resolves its fixed config
    resolved = schema.resolve_config({})
    assert resolved.success, resolved.errors
    ((cluster_type, settings),) = resolved.value["config"]["cluster"].items()
    return cluster_type, settings


def test_local_keeps_dagsters_default_executor(monkeypatch):
    assert executor_from_env() is None
    monkeypatch.setenv("PIPELINE_ENV", "local")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://10.0.0.5:8786")  # ignored outside production
    assert executor_from_env() is None
    defs = dg.Definitions(assets=[clarioscope_label_schema], resources=STORE, executor=executor_from_env())
    assert defs.resolve_implicit_global_asset_job_def().executor_def.name == "multi_or_in_process_executor"


def test_production_uses_the_existing_scheduler_when_given(monkeypatch):
    monkeypatch.setenv("PIPELINE_ENV", "production")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://10.0.0.5:8786")
    monkeypatch.setenv("DASK_WORKERS", "not read with an existing scheduler")
    executor_def = executor_from_env()
    assert executor_def is not None
    assert executor_def.name == "dask_existing"
    assert _cluster_config(executor_def) == ("existing", {"address": "tcp://10.0.0.5:8786"})
    defs = dg.Definitions(assets=[clarioscope_label_schema], resources=STORE, executor=executor_def)
    assert defs.resolve_implicit_global_asset_job_def().executor_def.name == "dask_existing"


def test_production_starts_a_local_cluster_of_worker_processes_otherwise(monkeypatch):
    monkeypatch.setenv("PIPELINE_ENV", "production")
    executor_def = executor_from_env()
    assert executor_def is not None
    assert executor_def.name == "dask_local"
    cluster_type, settings = _cluster_config(executor_def)
    assert cluster_type == "local"
    assert settings["n_workers"] == 2
    # What the executor passes to LocalCluster: processes, one thread each, loopback only.
    kwargs = PipelineDaskExecutor(cluster_type, settings).local_cluster_kwargs()
    assert kwargs["processes"] is True
    assert kwargs["threads_per_worker"] == 1
    assert kwargs["host"] == "127.0.0.1"
    monkeypatch.setenv("DASK_WORKERS", "5")
    assert _cluster_config(executor_from_env())[1]["n_workers"] == 5


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DASK_WORKERS", "two", "DASK_WORKERS='two' is not a whole number"),
        ("DASK_WORKERS", "0", "DASK_WORKERS='0' must be at least 1"),
        ("DASK_SCHEDULER_ADDRESS", "10.0.0.5:8786", "DASK_SCHEDULER_ADDRESS='10.0.0.5:8786'"),
        ("DASK_SCHEDULER_ADDRESS", "tcp://10.0.0.5", "DASK_SCHEDULER_ADDRESS='tcp://10.0.0.5'"),
        ("DASK_SCHEDULER_ADDRESS", "tcp://:8786", "DASK_SCHEDULER_ADDRESS='tcp://:8786': no host"),
        ("DASK_SCHEDULER_ADDRESS", "ftp://h:21", "unknown scheme 'ftp'"),
        ("PIPELINE_ENV", "prod", "PIPELINE_ENV='prod' must be one of local, production"),
    ],
)
def test_a_bad_setting_names_its_variable(monkeypatch, name, value, message):
    monkeypatch.setenv("PIPELINE_ENV", "production")
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        executor_from_env()


def dask_raw_job() -> dg.JobDefinition:
    """``intent_raw`` and ``phi_raw`` (independent of each other) under ``executor_from_env()``. The test
    runs it through ``dg.reconstructable``, and every Dask worker rebuilds it from this module; the store
    writes under ``$ARTIFACTS_ROOT``."""
    defs = dg.Definitions(
        assets=[clarioscope_label_schema, intent_raw, phi_raw],
        jobs=[dg.define_asset_job(JOB, selection=[intent_raw, phi_raw])],
        resources={
            "store": ArtifactStoreResource(),
            "clarioscope_data": ClarioscopeData(),
            "llm": LLMResource(provider="local"),
        },
        executor=executor_from_env(),
    )
    return defs.resolve_job_def(JOB)


def _processes_of_run(home: str) -> list[psutil.Process]:
    """Live processes started for the run, however far down the tree (Dask workers, their compute-log
    ``tail``s, orphans included): they inherited its DAGSTER_HOME. Multiprocessing's resource tracker, one
    per interpreter and gone with this process, does not count."""
    found = []
    for process in psutil.process_iter():
        try:
            if (
                process.pid != os.getpid()
                and process.environ().get("DAGSTER_HOME") == home
                and process.status() != psutil.STATUS_ZOMBIE
                and "multiprocessing.resource_tracker" not in " ".join(process.cmdline())
            ):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def test_a_production_run_spreads_steps_over_dask_worker_processes(tmp_path, monkeypatch):
    artifacts = tmp_path / "artifacts"
    monkeypatch.setenv("PIPELINE_ENV", "production")
    monkeypatch.setenv("DASK_WORKERS", "2")
    monkeypatch.setenv("ARTIFACTS_ROOT", str(artifacts))  # inherited by the workers, read by the store
    # A persistent (SQLite) instance: the workers open it from its ref to write their steps' events.
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        store = ArtifactStoreResource(root=str(artifacts))
        assert dg.materialize(
            [clarioscope_label_schema], resources={"store": store}, instance=instance
        ).success
        schema_version = latest_materialization(instance, "clarioscope_label_schema").tags[
            "dagster/data_version"
        ]

        job = dg.reconstructable(dask_raw_job)
        assert job.get_definition().executor_def.name == "dask_local"
        with dg.execute_job(job, instance=instance) as result:
            assert result.success
            run_id = result.run_id

        events = [e.dagster_event for e in instance.all_logs(run_id) if e.dagster_event]
        orchestrator = {e.pid for e in events if e.event_type == dg.DagsterEventType.RUN_START}
        # The process that wrote each step's events (planned materialisations, pid-less, come earlier).
        step_pids: dict[str, set[int | None]] = {}
        for e in events:
            if e.step_key and e.event_type in STEP_EVENTS:
                step_pids.setdefault(e.step_key, set()).add(e.pid)
        for name in RAW_ASSETS:
            materialization = latest_materialization(instance, name)
            assert materialization is not None
            upstream = materialization.metadata["upstream_versions"].value
            assert upstream == {"clarioscope_label_schema": schema_version}  # the workers read this instance
            assert (artifacts / raw_path(name.removesuffix("_raw"))).is_file()

    # This process orchestrated; each step started, materialised and succeeded in one process of its own.
    assert orchestrator == {os.getpid()}
    assert set(step_pids) == set(RAW_ASSETS)
    assert all(len(pids) == 1 for pids in step_pids.values()), step_pids
    (intent_pid,), (phi_pid,) = step_pids["intent_raw"], step_pids["phi_raw"]
    assert intent_pid != phi_pid
    assert not {intent_pid, phi_pid} & {os.getpid(), None}

    # The executor closed its LocalCluster when the run ended: no worker (nor anything it started) is left.
    deadline = time.monotonic() + 15
    while (left := _processes_of_run(str(tmp_path))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, [(p.pid, p.cmdline()) for p in left]
