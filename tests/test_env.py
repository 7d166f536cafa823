"""Bad settings get clear errors that name what to fix."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fedproc_pipeline.sam.resources import SamGovClient
from pipeline_runtime.env import env_choice, env_date, env_int

ROOT = Path(__file__).resolve().parents[1]


def test_env_readers_name_the_variable(monkeypatch):
    monkeypatch.setenv("X_BUDGET", "ten")
    with pytest.raises(ValueError, match="X_BUDGET='ten' is not a whole number"):
        env_int("X_BUDGET", 5)
    monkeypatch.setenv("X_BUDGET", "-3")
    with pytest.raises(ValueError, match="must be at least 0"):
        env_int("X_BUDGET", 5)
    monkeypatch.setenv("X_SOURCE", "ftp")
    with pytest.raises(ValueError, match="X_SOURCE='ftp' must be one of live, snapshot"):
        env_choice("X_SOURCE", "snapshot", ("live", "snapshot"))
    monkeypatch.setenv("X_START", "11/09/2026")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        env_date("X_START", "2026-11-09")
    monkeypatch.delenv("X_BUDGET")
    assert env_int("X_BUDGET", 5) == 5


@pytest.mark.parametrize(
    ("name", "value"),
    [("SAM_DAILY_BUDGET", "ten"), ("ECFR_SOURCE", "ftp"), ("SAM_PARTITIONS_START", "yesterday")],
)
def test_a_bad_setting_stops_the_code_location_with_its_name(name, value):
    env = {**os.environ, name: value}
    done = subprocess.run(
        [sys.executable, "-c", "import fedproc_pipeline.definitions"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode != 0
    assert f"{name}={value!r}" in done.stderr


def test_resource_config_is_validated():
    with pytest.raises(ValueError, match="page_size"):
        SamGovClient(page_size=5000)
    with pytest.raises(ValueError, match="daily_budget"):
        SamGovClient(daily_budget=-1)
