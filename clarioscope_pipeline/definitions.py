"""The `clarioscope` code location."""

import dagster as dg

from clarioscope_pipeline.assets import CLARIOSCOPE_ASSETS, clarioscope_data_from_env
from clarioscope_pipeline.checks import CLARIOSCOPE_CHECKS
from clarioscope_pipeline.models.assets import CLARIOSCOPE_MODEL_ASSETS
from pipeline_runtime.automation import automation_sensor
from pipeline_runtime.executors import executor_from_env
from pipeline_runtime.llm import llm_resource_from_env
from pipeline_runtime.resources import store_resource_from_env
from pipeline_runtime.training import training_config_from_env

defs = dg.Definitions(
    assets=[*CLARIOSCOPE_ASSETS, *CLARIOSCOPE_MODEL_ASSETS],
    asset_checks=CLARIOSCOPE_CHECKS,
    sensors=[automation_sensor("clarioscope")],
    executor=executor_from_env(),
    resources={
        "store": store_resource_from_env(),
        "clarioscope_data": clarioscope_data_from_env(),
        "llm": llm_resource_from_env(),
        "training": training_config_from_env(),
    },
)
