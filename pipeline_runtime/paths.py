"""Where the instance and the artifacts live when the user has not said."""

import os
import shutil
from pathlib import Path

from pipeline_runtime.env import pipeline_env

PACKAGE_PARENT = Path(__file__).resolve().parents[1]


def project_root() -> Path:
    """The checkout this code runs from (an editable install), else the current folder."""
    if (PACKAGE_PARENT / "workspace.yaml").is_file() and (PACKAGE_PARENT / "pyproject.toml").is_file():
        return PACKAGE_PARENT
    return Path.cwd()


def dagster_home() -> Path:
    """``$DAGSTER_HOME``, or ``.dagster_home`` in the project."""
    return Path(os.environ.get("DAGSTER_HOME") or project_root() / ".dagster_home").resolve()


def artifacts_root() -> Path:
    """``$ARTIFACTS_ROOT``, or ``artifacts`` in the project."""
    return Path(os.environ.get("ARTIFACTS_ROOT") or project_root() / "artifacts").resolve()


def ensure_dagster_home() -> Path:
    """Create the home, export it, and give it the project's instance config if it has none: ``dagster.yaml``
    (SQLite), or ``dagster.production.yaml`` (PostgreSQL) under ``PIPELINE_ENV=production``."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    name = "dagster.production.yaml" if pipeline_env() == "production" else "dagster.yaml"
    source = project_root() / name
    if not config.exists() and source.is_file():
        shutil.copyfile(source, config)
    return home
