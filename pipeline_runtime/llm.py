"""The generation layer as a Dagster resource: provider and model choice, keys through EnvVar, a
response cache in the artifact store, and a per-materialisation dollar budget."""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import dagster as dg
from pydantic import Field

from slmkit.llm import (
    Budget,
    BudgetExceeded,
    GenerationClient,
    GenerationRequest,
    Ledger,
    PriceTable,
    ProviderError,
    ProviderSelection,
    ResponseCache,
    build_provider,
    select_provider,
)
from slmkit.storage import ArtifactStore

LOCAL_MODEL = "local"
T = TypeVar("T")


@dataclass
class LLMSession:
    """One materialisation's use of the generation layer."""

    client: GenerationClient
    selection: ProviderSelection
    model: str
    ledger: Ledger

    def generate_all(
        self,
        requests: Iterable[GenerationRequest],
        output_type: type[T],
        *,
        send: Callable[[GenerationRequest], GenerationRequest] = lambda request: request,
        log: Callable[[str], Any] = print,
    ) -> tuple[list[tuple[GenerationRequest, T]], str | None]:
        """``(request, output)`` for every answer that parsed, in order, and why generation stopped early
        (the dollar budget) or None. ``send`` shapes what goes out. A provider failure fails the step;
        Dagster retries it only when it is transient. Dropped answers are counted in the ledger."""
        pairs: list[tuple[GenerationRequest, T]] = []
        for request in requests:
            try:
                result = self.client.generate(send(request))
            except BudgetExceeded as exc:
                log(f"dollar budget reached after {len(pairs)} items: {exc}")
                return pairs, str(exc)
            except ProviderError as exc:
                raise dg.Failure(description=str(exc), allow_retries=exc.transient) from exc
            if result.ok and isinstance(result.output, output_type):
                pairs.append((request, result.output))
        return pairs, None

    def metadata(self) -> dict[str, Any]:
        """Provider, model, a stated fallback (never a silent switch), and tokens and dollars spent."""
        totals = self.ledger.summary()
        return {
            "llm_provider": self.selection.provider,
            "llm_model": self.model,
            "llm_provider_note": self.selection.reason or f"{self.selection.provider} as requested",
            "llm_requests": totals["requests"],
            "llm_cache_hits": totals["cache_hits"],
            "llm_cost_usd": totals["cost_usd"],
            "llm_dropped": totals["dropped"],
            "llm_ledger": dg.MetadataValue.md(self.ledger.markdown()),
        }


class LLMResource(dg.ConfigurableResource):
    """Which LLM writes generated data. ``provider`` unset means ``$LLM_PROVIDER``, else ``local``
    (the offline generator); a remote provider without its key falls back to ``local`` and says so."""

    provider: str | None = Field(default=None, description="openai | anthropic | local")
    openai_model: str = "gpt-4.1-mini"
    anthropic_model: str = "claude-haiku-4-5"
    openai_api_key: str | None = Field(default=None, description="Set through EnvVar('OPENAI_API_KEY').")
    anthropic_api_key: str | None = Field(
        default=None, description="Set through EnvVar('ANTHROPIC_API_KEY')."
    )
    budget_usd: float = Field(
        default=5.0, gt=0, description="Dollar cap per materialisation, checked before each call."
    )
    max_attempts: int = Field(default=3, ge=1, description="Tries per item before a bad answer is dropped.")
    prices: dict[str, list[float]] = Field(
        default_factory=dict,
        description='Extra or corrected prices, USD per 1M tokens: {"openai/gpt-4.1-mini": [0.40, 1.60]}.',
    )

    def __repr__(self) -> str:
        return f"LLMResource(provider={self.provider!r}, budget_usd={self.budget_usd}, keys=***)"

    __str__ = __repr__

    def _env(self) -> dict[str, str]:
        return {
            "LLM_PROVIDER": os.environ.get("LLM_PROVIDER", ""),
            "OPENAI_API_KEY": self.openai_api_key or "",
            "ANTHROPIC_API_KEY": self.anthropic_api_key or "",
            # Base URLs stay the SDKs' own variables.
            "OPENAI_BASE_URL": os.environ.get("OPENAI_BASE_URL", ""),
            "ANTHROPIC_BASE_URL": os.environ.get("ANTHROPIC_BASE_URL", ""),
        }

    def selection(self, provider: str | None = None) -> ProviderSelection:
        """The provider that will be used (``provider`` overrides the configured one), with the reason
        when it is not the one requested."""
        return select_provider(provider or self.provider, self._env())

    def session(
        self,
        store: ArtifactStore,
        local_generate: Callable[[GenerationRequest], dict[str, Any]] | None = None,
        provider: str | None = None,
        budget: Budget | None = None,
        cache: bool = True,
    ) -> LLMSession:
        """A client with cache, ledger and budget; ``local_generate`` serves the ``local`` provider;
        ``provider`` overrides the configured one (the frontier baselines ask for each in turn);
        ``budget`` is shared by sessions that must stay under one cap together; ``cache=False`` keeps
        requests off disk (real patient text from the command line)."""
        env = self._env()
        selection = select_provider(provider or self.provider, env)
        backend = build_provider(selection, env, local_generate=local_generate)
        model = {"openai": self.openai_model, "anthropic": self.anthropic_model}.get(
            selection.provider, LOCAL_MODEL
        )
        extra = {tuple(name.split("/", 1)): (price[0], price[1]) for name, price in self.prices.items()}
        ledger = Ledger(PriceTable.default().with_prices(extra))  # type: ignore[arg-type]
        client = GenerationClient(
            backend,
            cache=ResponseCache(store) if cache else None,
            ledger=ledger,
            budget=budget or Budget(self.budget_usd),
            max_attempts=self.max_attempts,
        )
        return LLMSession(client=client, selection=selection, model=model, ledger=ledger)


def llm_resource_from_env() -> LLMResource:
    """Keys through EnvVar where set, so the UI shows the variable name, never the key."""
    keys: dict[str, Any] = {}
    if os.environ.get("OPENAI_API_KEY"):
        keys["openai_api_key"] = dg.EnvVar("OPENAI_API_KEY")
    if os.environ.get("ANTHROPIC_API_KEY"):
        keys["anthropic_api_key"] = dg.EnvVar("ANTHROPIC_API_KEY")
    return LLMResource(provider=os.environ.get("LLM_PROVIDER") or None, **keys)
