"""The eCFR client resource and the regulations source setting."""

from datetime import date
from typing import Literal

import dagster as dg
from pydantic import Field

from fedproc_pipeline.regulations.ecfr import EcfrApi
from pipeline_runtime.env import env_choice, env_str


class EcfrClient(dg.ConfigurableResource):
    """eCFR versioner API, or the project's committed snapshot when ``source`` is ``snapshot``."""

    source: Literal["live", "snapshot"] = Field(
        default="snapshot",
        description="live: fetch from eCFR; snapshot: the committed offline edition (the default).",
    )
    base_url: str = Field(default="https://www.ecfr.gov", description="eCFR host (tests use a local server).")
    on_or_before: str | None = Field(
        default=None,
        description="Newest eCFR date to ask for (YYYY-MM-DD); defaults to today (UTC). "
        "eCFR lags 1-2 business days, so a 404 falls back to earlier dates.",
    )
    timeout: float = 60.0
    max_fallback_days: int = 10

    def api(self) -> EcfrApi:
        return EcfrApi(self.base_url, timeout=self.timeout, max_fallback_days=self.max_fallback_days)

    def requested_date(self, today: date) -> date:
        return date.fromisoformat(self.on_or_before) if self.on_or_before else today


def ecfr_client_from_env() -> EcfrClient:
    """``ECFR_SOURCE`` (live|snapshot) and ``ECFR_BASE_URL`` pick the source without code changes."""
    return EcfrClient(
        source=env_choice("ECFR_SOURCE", "snapshot", ("live", "snapshot")),  # type: ignore[arg-type]
        base_url=env_str("ECFR_BASE_URL", "https://www.ecfr.gov"),
    )
