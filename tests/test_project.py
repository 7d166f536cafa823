"""The project as a user meets it: both code locations load, the demo commands materialise every
asset into $DAGSTER_HOME, and the README's test command is the one CI runs."""

import os
import re
import subprocess
import sys
from pathlib import Path

import dagster as dg
import yaml

from clarioscope_pipeline.definitions import defs as clarioscope_defs
from fedproc_pipeline.definitions import defs as fedproc_defs
from pipeline_runtime.demo import plan_runs
from tests.fakes.ecfr_server import FakeEcfrServer

ROOT = Path(__file__).resolve().parents[1]


def _keys(defs):
    return {k.to_user_string() for k in defs.resolve_asset_graph().materializable_asset_keys}


def test_workspace_names_both_locations_and_they_load():
    workspace = yaml.safe_load((ROOT / "workspace.yaml").read_text())
    modules = {
        e["python_module"]["location_name"]: e["python_module"]["module_name"] for e in workspace["load_from"]
    }
    assert modules == {
        "fedproc": "fedproc_pipeline.definitions",
        "clarioscope": "clarioscope_pipeline.definitions",
    }
    dg.Definitions.validate_loadable(fedproc_defs)
    dg.Definitions.validate_loadable(clarioscope_defs)
    assert _keys(fedproc_defs) == {
        "ecfr_title48_xml",
        "far_clause_registry",
        "sam_opportunities",
        "sam_notice_descriptions",
        "fedproc_synthetic_excerpts",
        "fedproc_dataset",
        "fedproc_model",
        "fedproc_frontier_baselines",
        "fedproc_leaderboard",
    }


def test_every_asset_has_a_code_version_and_the_sam_assets_share_the_pool():
    for defs in (fedproc_defs, clarioscope_defs):
        graph = defs.resolve_asset_graph()
        for key in graph.materializable_asset_keys:
            assert graph.get(key).code_version, key
    graph = fedproc_defs.resolve_asset_graph()
    for name in ("sam_opportunities", "sam_notice_descriptions"):
        assert graph.get(dg.AssetKey(name)).pools == {"sam_api"}


def test_instance_config_sets_monitoring_pools_and_backfill_limits():
    config = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    assert config["run_monitoring"]["enabled"] is True
    assert config["concurrency"]["pools"]["default_limit"] == 1
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    assert any(limit["key"] == "dagster/backfill" for limit in limits)


def test_demo_plan_runs_unpartitioned_assets_once_and_partitions_per_day():
    plan = plan_runs(fedproc_defs, ["2026-11-09", "2026-11-10"])
    assert [partition for _, partition in plan] == [None, "2026-11-09", "2026-11-10", None]
    assert {k.to_user_string() for k in plan[0][0]} == {
        "ecfr_title48_xml",
        "far_clause_registry",
        "fedproc_synthetic_excerpts",
    }
    last = [k.to_user_string() for k in plan[-1][0]]  # after every SAM day, in dependency order
    assert last[0] == "fedproc_dataset" and set(last) == {
        "fedproc_dataset",
        "fedproc_model",
        "fedproc_frontier_baselines",
        "fedproc_leaderboard",
    }
    assert last.index("fedproc_model") < last.index("fedproc_leaderboard")


def test_demo_commands_materialise_everything_into_dagster_home(tmp_path, tiny_base_model):
    env = {
        **os.environ,
        "DAGSTER_HOME": str(tmp_path / "home"),
        "ARTIFACTS_ROOT": str(tmp_path / "artifacts"),
        # The real demo trains MiniLM for minutes; here a tiny model for two steps proves the wiring.
        "TRAIN_BASE_MODEL": tiny_base_model,
        "TRAIN_MAX_STEPS": "2",
    }
    env.pop("SAM_API_KEY", None)
    outputs = []
    for command in ("fedproc_pipeline.cli", "clarioscope_pipeline.cli"):
        done = subprocess.run(
            [sys.executable, "-m", command, "demo"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout)
    assert "all assets materialised" in outputs[0] and "all assets materialised" in outputs[1]
    assert outputs[0].count("ok    sam_opportunities") == 12  # every sample day
    assert (tmp_path / "home" / "dagster.yaml").exists()  # the home got the project's instance config
    assert (tmp_path / "artifacts" / "regulations" / "far_clause_registry.parquet").exists()
    assert (tmp_path / "artifacts" / "clarioscope" / "label_schema.json").exists()
    for model in ("fedproc", "clarioscope-intent", "clarioscope-phi", "clarioscope-insurance"):
        assert (tmp_path / "artifacts" / "models" / model / "model.safetensors").exists()
    for report in ("fedproc_leaderboard.md", "clarioscope_leaderboard.md"):
        assert (tmp_path / "artifacts" / "reports" / report).exists()
    with dg.DagsterInstance.from_config(str(tmp_path / "home")) as instance:
        assert instance.get_latest_materialization_event(dg.AssetKey("far_clause_registry")) is not None


def test_demo_exits_non_zero_when_an_asset_fails(tmp_path):
    code = (
        "import sys\n"
        "from fedproc_pipeline.definitions import defs\n"
        "from pipeline_runtime.demo import run_demo\n"
        "sys.exit(1 if run_demo(defs, location='fedproc', partition_keys=[]) else 0)\n"
    )
    with FakeEcfrServer({}) as server:  # has no edition: every date answers 404
        env = {
            **os.environ,
            "DAGSTER_HOME": str(tmp_path / "home"),
            "ARTIFACTS_ROOT": str(tmp_path / "artifacts"),
            "ECFR_SOURCE": "live",
            "ECFR_BASE_URL": server.base_url,
        }
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600, cwd=ROOT
        )
    assert done.returncode == 1
    assert "FAIL  ecfr_title48_xml" in done.stdout
    assert "no title 48 part 52 edition" in done.stdout
    assert not list((tmp_path / "artifacts").rglob("*.xml.gz"))  # nothing half-fetched left behind


def test_readme_test_command_is_the_one_ci_runs():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    commands = [line for block in blocks for line in block.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2, commands
    install_and_demo, install_and_test = commands
    assert install_and_demo.endswith("fedproc demo && .venv/bin/clarioscope demo")
    assert install_and_test in (ROOT / ".ci" / "run").read_text()
