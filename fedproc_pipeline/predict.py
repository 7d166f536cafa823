"""What ``fedproc predict`` does with the loaded model (Dagster-free)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from fedproc_pipeline.dataset.clauses import registry_number_set
from fedproc_pipeline.models.extraction import validate_clauses
from fedproc_pipeline.regulations.assets import REGISTRY_PATH
from fedproc_pipeline.regulations.parser import PARTS, iter_sections
from fedproc_pipeline.regulations.snapshot import open_part
from pipeline_runtime.batch_io import InputLine
from slmkit.modeling.predict import MultiTaskPredictor
from slmkit.storage import ArtifactStore


class FedprocModel:
    def __init__(self, folder: str | Path, registry: Collection[str]):
        self.predictor = MultiTaskPredictor.load(folder)
        self.registry = registry

    def predict(self, items: Sequence[InputLine]) -> list[dict[str, Any]]:
        results = self.predictor.predict([item.text for item in items])
        return [
            {
                "id": item.id,
                "notice_type": result["notice_type"]["label"],
                "naics_sector": result["naics_sector"]["label"],
                "set_asides": result["set_asides"]["labels"],
                "clauses": validate_clauses(item.text, result["clause_spans"], self.registry),
            }
            for item, result in zip(items, results, strict=True)
        ]


def clause_registry(store: ArtifactStore) -> set[str]:
    """Clause numbers of the materialised registry in ``store``, else of the packaged snapshot."""
    if store.exists(REGISTRY_PATH):
        return registry_number_set(store.read_parquet(REGISTRY_PATH).to_pylist())
    records = []
    for part in PARTS:
        with open_part(part) as handle:
            records += list(iter_sections(handle, source_label="snapshot"))
    return registry_number_set(records)
