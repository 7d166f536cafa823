"""What ``fedproc predict`` does with the loaded model (Dagster-free)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from fedproc_pipeline.dataset.clauses import registry_number_set
from fedproc_pipeline.dataset.labels import naics_sector
from fedproc_pipeline.models.extraction import validate_clauses
from fedproc_pipeline.models.stated import stated_naics
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
                "notice_type": {"label": result["notice_type"]["label"], "source": "model"},
                "naics_sector": _sector(item.text, result["naics_sector"]["label"]),
                "set_asides": {"labels": result["set_asides"]["labels"], "source": "model"},
                "clauses": validate_clauses(item.text, result["clause_spans"], self.registry),
            }
            for item, result in zip(items, results, strict=True)
        ]


def _sector(text: str, predicted: str) -> dict[str, Any]:
    """A NAICS code written in the text decides the sector; otherwise the model's."""
    code = stated_naics(text)
    if code is None:
        return {"label": predicted, "source": "model"}
    return {"label": naics_sector(code), "source": "stated", "naics_code": code}


def clause_registry(store: ArtifactStore) -> set[str]:
    """Clause numbers of the materialised registry in ``store``, else of the packaged snapshot."""
    if store.exists(REGISTRY_PATH):
        return registry_number_set(store.read_parquet(REGISTRY_PATH).to_pylist())
    records = []
    for part in PARTS:
        with open_part(part) as handle:
            records += list(iter_sections(handle, source_label="snapshot"))
    return registry_number_set(records)
