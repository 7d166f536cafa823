"""The `fedproc` code location."""

import dagster as dg

from fedproc_pipeline.dataset.assets import fedproc_dataset, fedproc_synthetic_excerpts
from fedproc_pipeline.dataset.checks import DATASET_CHECKS
from fedproc_pipeline.models.assets import FEDPROC_MODEL_ASSETS
from fedproc_pipeline.regulations.assets import ecfr_title48_xml, far_clause_registry
from fedproc_pipeline.regulations.checks import REGISTRY_CHECKS
from fedproc_pipeline.regulations.resources import ecfr_client_from_env
from fedproc_pipeline.sam.assets import sam_notice_descriptions, sam_opportunities
from fedproc_pipeline.sam.jobs import sam_daily_job
from fedproc_pipeline.sam.resources import sam_client_from_env
from fedproc_pipeline.sam.schedules import sam_daily_schedule
from fedproc_pipeline.sam.sensors import sam_quota_backfill_sensor
from pipeline_runtime.automation import automation_sensor
from pipeline_runtime.executors import executor_from_env
from pipeline_runtime.llm import llm_resource_from_env
from pipeline_runtime.resources import store_resource_from_env
from pipeline_runtime.training import training_config_from_env

defs = dg.Definitions(
    assets=[
        ecfr_title48_xml,
        far_clause_registry,
        sam_opportunities,
        sam_notice_descriptions,
        fedproc_synthetic_excerpts,
        fedproc_dataset,
        *FEDPROC_MODEL_ASSETS,
    ],
    asset_checks=[*REGISTRY_CHECKS, *DATASET_CHECKS],
    jobs=[sam_daily_job],
    schedules=[sam_daily_schedule],
    sensors=[sam_quota_backfill_sensor, automation_sensor("fedproc")],
    executor=executor_from_env(),
    resources={
        "ecfr": ecfr_client_from_env(),
        "sam": sam_client_from_env(),
        "store": store_resource_from_env(),
        "llm": llm_resource_from_env(),
        "training": training_config_from_env(),
    },
)
