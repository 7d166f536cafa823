"""The SAM.gov client resource: the live API with a persistent daily quota, or the packaged sample."""

import os

import dagster as dg
from pydantic import Field

from fedproc_pipeline.sam.api import DEFAULT_BASE_URL, SamApi
from fedproc_pipeline.sam.sample import SampleSam
from pipeline_runtime.env import env_int, env_str, pipeline_env
from pipeline_runtime.paths import dagster_home
from slmkit.quota import DailyRequestLedger


class SamGovClient(dg.ConfigurableResource):
    """SAM.gov Get Opportunities API v2. Without an API key it serves the packaged sample
    (``source=sample`` in metadata), so the pipeline runs offline on a fresh machine."""

    api_key: str | None = Field(
        default=None, description="SAM.gov API key; set through EnvVar('SAM_API_KEY')."
    )
    base_url: str = Field(default=DEFAULT_BASE_URL, description="Search endpoint (env SAM_API_BASE_URL).")
    daily_budget: int = Field(
        default=1000,
        ge=0,
        description="Requests allowed per UTC day: 1000 for a role key, 10 without a role.",
    )
    ledger_path: str | None = Field(
        default=None,
        description="SQLite quota ledger shared by every run; default $DAGSTER_HOME/sam_quota.sqlite.",
    )
    ledger_url: str | None = Field(
        default=None,
        description="Database URL of a quota ledger shared by every machine (production: "
        "EnvVar('DAGSTER_POSTGRES_URL')); takes precedence over ledger_path.",
    )
    timeout: float = Field(default=30.0, gt=0)
    page_size: int = Field(default=1000, ge=1, le=1000)

    def __repr__(self) -> str:
        # Dagster's resource repr lists every field; the key must not be one of them.
        shown = ("base_url", "daily_budget", "ledger_path", "timeout", "page_size")
        return f"SamGovClient({', '.join(f'{name}={getattr(self, name)!r}' for name in shown)}, api_key=***)"

    __str__ = __repr__

    @property
    def is_live(self) -> bool:
        return bool(self.api_key)

    def ledger(self) -> DailyRequestLedger:
        location = self.ledger_url or self.ledger_path or dagster_home() / "sam_quota.sqlite"
        return DailyRequestLedger(location, self.daily_budget, name="sam.gov")

    def source(self) -> SamApi | SampleSam:
        if not self.api_key:
            return SampleSam()
        return SamApi(
            self.api_key,
            ledger=self.ledger(),
            base_url=self.base_url,
            timeout=self.timeout,
            page_size=self.page_size,
        )


def sam_client_from_env() -> SamGovClient:
    """Live when ``SAM_API_KEY`` is set (read through EnvVar so the UI never shows it), else the sample.
    Under ``PIPELINE_ENV=production`` the quota ledger is a table in the instance's PostgreSQL database, so
    the daily quota holds across machines."""
    settings: dict = {
        "base_url": env_str("SAM_API_BASE_URL", DEFAULT_BASE_URL),
        "daily_budget": env_int("SAM_DAILY_BUDGET", 1000),
    }
    if os.environ.get("SAM_API_KEY"):
        settings["api_key"] = dg.EnvVar("SAM_API_KEY")
    if pipeline_env() == "production":
        settings["ledger_url"] = dg.EnvVar("DAGSTER_POSTGRES_URL")
    return SamGovClient(**settings)
