"""The `clarioscope` code location."""

import dagster as dg

from clarioscope_pipeline.assets import CLARIOSCOPE_ASSETS, clarioscope_data_from_env
from clarioscope_pipeline.checks import CLARIOSCOPE_CHECKS
from pipeline_runtime.llm import llm_resource_from_env
from pipeline_runtime.resources import ArtifactStoreResource

defs = dg.Definitions(
    assets=CLARIOSCOPE_ASSETS,
    asset_checks=CLARIOSCOPE_CHECKS,
    resources={
        "store": ArtifactStoreResource(),
        "clarioscope_data": clarioscope_data_from_env(),
        "llm": llm_resource_from_env(),
    },
)
