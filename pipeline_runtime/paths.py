"""Where the instance and the artifacts live when the user has not said."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def dagster_home() -> Path:
    """``$DAGSTER_HOME``, or ``.dagster_home`` in the current folder (where `dagster dev` would put it)."""
    return Path(os.environ.get("DAGSTER_HOME") or Path.cwd() / ".dagster_home").resolve()


def artifacts_root() -> Path:
    """``$ARTIFACTS_ROOT``, or ``artifacts`` in the current folder."""
    return Path(os.environ.get("ARTIFACTS_ROOT") or Path.cwd() / "artifacts").resolve()


def ensure_dagster_home() -> Path:
    """Create the home, export it, and give it the project's ``dagster.yaml`` if it has none."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    if not config.exists():
        for candidate in (Path.cwd() / "dagster.yaml", PROJECT_ROOT / "dagster.yaml"):
            if candidate.is_file():
                shutil.copyfile(candidate, config)
                break
    return home
