"""The Dagster-free generation layer: providers (OpenAI, Anthropic, local), a content-addressed
response cache, token/dollar accounting with a per-run budget, and the client that ties them."""

from slmkit.llm.cache import ResponseCache
from slmkit.llm.client import (
    GenerationClient,
    ProviderSelection,
    build_provider,
    select_provider,
)
from slmkit.llm.ledger import DEFAULT_PRICES, Budget, BudgetExceeded, Ledger, PriceTable, UnknownPrice
from slmkit.llm.providers import AnthropicProvider, LocalProvider, OpenAIProvider, Provider, ProviderError
from slmkit.llm.types import (
    DROP_REASONS,
    MALFORMED,
    REFUSED,
    TRUNCATED,
    GenerationRequest,
    GenerationResult,
    ProviderResponse,
)

__all__ = [
    "DEFAULT_PRICES",
    "DROP_REASONS",
    "MALFORMED",
    "REFUSED",
    "TRUNCATED",
    "AnthropicProvider",
    "Budget",
    "BudgetExceeded",
    "GenerationClient",
    "GenerationRequest",
    "GenerationResult",
    "Ledger",
    "LocalProvider",
    "OpenAIProvider",
    "PriceTable",
    "Provider",
    "ProviderError",
    "ProviderResponse",
    "ProviderSelection",
    "ResponseCache",
    "UnknownPrice",
    "build_provider",
    "select_provider",
]
