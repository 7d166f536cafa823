"""The daily SAM.gov job: both SAM assets for one posted day."""

import dagster as dg

sam_daily_job = dg.define_asset_job(
    "sam_daily_job",
    selection=dg.AssetSelection.groups("sam"),
    description="Fetch one posted day of SAM.gov opportunities and their descriptions.",
)
