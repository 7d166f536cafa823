"""The `clarioscope` code location."""

import dagster as dg

from clarioscope_pipeline.assets import clarioscope_label_schema
from pipeline_runtime.resources import ArtifactStoreResource

defs = dg.Definitions(
    assets=[clarioscope_label_schema],
    resources={"store": ArtifactStoreResource()},
)
