"""A run killed with SIGKILL in the middle of a materialisation leaves nothing half-written where a reader
would look, and re-running it yields exactly the outputs of a run that was never interrupted: every write is
atomic (files: temp + rename; model folders: staged, then swapped in)."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SELECTION = "clarioscope_label_schema,intent_raw,intent_cleaned,intent_dataset,intent_model"
IN_PROCESS = "execution:\n  config:\n    in_process: {}\n"


def _env(tmp: Path, tiny_base_model: str) -> dict:
    home = tmp / "home"
    home.mkdir(parents=True)
    shutil.copyfile(ROOT / "dagster.yaml", home / "dagster.yaml")
    (tmp / "run.yaml").write_text(IN_PROCESS)
    return {
        **os.environ,
        "PIPELINE_ENV": "local",
        "DAGSTER_HOME": str(home),
        "ARTIFACTS_ROOT": str(tmp / "artifacts"),
        "TRAIN_BASE_MODEL": tiny_base_model,
        "TRAIN_EPOCHS": "1",
        "TRAIN_MAX_STEPS": "3",
    }


def _materialize(tmp: Path, env: dict) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "dagster"), "asset", "materialize"]
    command += ["-m", "clarioscope_pipeline.definitions", "--select", SELECTION, "-c", str(tmp / "run.yaml")]
    # Output to a file, not a pipe: Dagster's event log fills a pipe nobody reads and the run would block.
    with open(tmp / "run.log", "ab") as log:
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def _tail(tmp: Path) -> str:
    return (tmp / "run.log").read_text(errors="replace")[-3000:]


def release_killed_run(home: Path) -> None:
    """What an operator does for a run whose process died (the default run launcher cannot see it): mark it
    failed, as *Terminate* in the UI does; the run-monitoring daemon then frees the ``training`` pool slot
    the dead step still holds (``free_slots_after_run_end_seconds``), done here directly."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        assert instance.event_log_storage.get_concurrency_run_ids() == {run.run_id}  # the stuck slot
        instance.report_run_failed(run, "the run's process was killed")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        assert not instance.event_log_storage.get_concurrency_run_ids()


def _outputs(artifacts: Path) -> dict[str, str]:
    """sha256 of every visible file (what readers use); the model card is left out, it records timings."""
    return {
        str(p.relative_to(artifacts)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(artifacts.rglob("*"))
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(artifacts).parts)
        and p.name != "README.md"
        and not p.name.endswith("intent.json")  # the test report holds latencies
    }


def test_sigkill_mid_materialisation_then_rerun_gives_the_outputs_of_an_uninterrupted_run(
    tmp_path, tiny_base_model
):
    clean = tmp_path / "clean"
    clean_run = _materialize(clean, _env(clean, tiny_base_model))
    assert clean_run.wait(timeout=600) == 0, _tail(clean)

    crashed = tmp_path / "crashed"
    env = _env(crashed, tiny_base_model)
    run = _materialize(crashed, env)
    models = crashed / "artifacts" / "models"
    deadline = time.monotonic() + 600
    # Kill the whole run while the new model folder is being written (staged, not yet swapped in).
    while not (models.is_dir() and any(p.name.startswith(".clarioscope-intent.") for p in models.iterdir())):
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before the kill"
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL
    assert not (models / "clarioscope-intent").exists()  # no half-written model where a reader looks
    release_killed_run(crashed / "home")

    rerun = _materialize(crashed, env)
    assert rerun.wait(timeout=600) == 0, _tail(crashed)
    expected = _outputs(clean / "artifacts")
    assert "models/clarioscope-intent/model.safetensors" in expected
    assert "clarioscope/datasets/intent.parquet" in expected
    assert _outputs(crashed / "artifacts") == expected
