"""Model cards: the README.md in each model folder that tells a user what the model is for and how
far to trust it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def write_model_card(
    directory: str | Path,
    *,
    title: str,
    task: str,
    labels: Mapping[str, Sequence[str]],
    provenance: Mapping[str, Any],
    metrics_markdown: str,
    limitations: Sequence[str],
    usage: str,
) -> Path:
    """Write ``README.md`` (task, labels, data provenance, metrics table, limitations, usage)."""
    lines = [f"# {title}", "", task, "", "## Labels", ""]
    lines += [f"- **{name}** ({len(values)}): {', '.join(values)}" for name, values in labels.items()]
    lines += ["", "## Data and training provenance", "", "```json"]
    lines += [json.dumps(dict(provenance), indent=2, sort_keys=True, default=str), "```", ""]
    lines += ["## Metrics (test split)", "", metrics_markdown, "", "## Limitations", ""]
    lines += [f"- {item}" for item in limitations]
    lines += ["", "## Usage", "", usage, ""]
    path = Path(directory) / "README.md"
    path.write_text("\n".join(lines))
    return path
