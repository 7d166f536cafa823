"""ClarioScope assets. For now the label schema every later dataset and model is built against."""

import json

import dagster as dg

from clarioscope_pipeline.labels import label_schema
from pipeline_runtime.provenance import provenance_metadata
from pipeline_runtime.resources import ArtifactStoreResource
from slmkit.provenance import sha256_bytes

LABEL_SCHEMA_PATH = "clarioscope/label_schema.json"


@dg.asset(group_name="schema", code_version="1", kinds={"python", "json"})
def clarioscope_label_schema(store: ArtifactStoreResource) -> dg.MaterializeResult:
    """Intent classes (7), PHI types (18, HIPAA Safe Harbor) and insurance fields (12) with their BIO tags."""
    schema = label_schema()
    payload = json.dumps(schema, indent=2, sort_keys=True).encode()
    store.store().write_bytes(LABEL_SCHEMA_PATH, payload)
    digest = sha256_bytes(payload)
    counts = {name: len(labels) for name, labels in schema.items() if isinstance(labels, list)}
    return dg.MaterializeResult(
        data_version=dg.DataVersion(digest),
        metadata=provenance_metadata(
            source="code",
            content_hash=digest,
            path=LABEL_SCHEMA_PATH,
            label_counts=dg.MetadataValue.json(counts),
        ),
    )
