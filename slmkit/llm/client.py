"""The generation client: cache, budget, provider call, validation, bounded retries, accounting.

``generate`` never raises for a bad answer: a malformed (not JSON, or rejected by the schema),
refused or truncated answer is retried up to ``max_attempts`` times in all, then dropped, counted in
the ledger and returned with ``ok=False`` and ``reason``. It raises :class:`BudgetExceeded` before
a request that could pass the cap (nothing sent) and :class:`ProviderError` when the API failed
after the SDK's own retries (nothing cached, so a later run tries again).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from slmkit.llm.cache import ResponseCache
from slmkit.llm.ledger import Budget, Ledger
from slmkit.llm.providers import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_S,
    AnthropicProvider,
    LocalProvider,
    OpenAIProvider,
    Provider,
)
from slmkit.llm.types import MALFORMED, GenerationRequest, GenerationResult, ProviderResponse

log = logging.getLogger(__name__)

PROVIDERS = ("local", "openai", "anthropic")
API_KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
DEFAULT_MAX_ATTEMPTS = 3


def _validate(text: str | None, schema: type[BaseModel] | None) -> tuple[BaseModel | None, Any, str | None]:
    """(model, data, error). ``error`` is None when the text is usable."""
    if text is None:
        return None, None, "empty answer"
    if schema is None:
        return None, text, None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, None, f"invalid JSON: {error}"
    try:
        return schema.model_validate(data), data, None
    except ValidationError as error:
        return None, data, f"schema validation failed: {error.error_count()} error(s)"


class GenerationClient:
    def __init__(
        self,
        provider: Provider,
        cache: ResponseCache | None = None,
        ledger: Ledger | None = None,
        budget: Budget | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ):
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        self.provider = provider
        self.cache = cache
        self.ledger = ledger or Ledger()
        self.budget = budget
        self.max_attempts = max_attempts

    def __repr__(self) -> str:
        return (
            f"GenerationClient(provider={self.provider!r}, cache={self.cache!r}, budget={self.budget!r}, "
            f"max_attempts={self.max_attempts})"
        )

    def generate(self, request: GenerationRequest) -> GenerationResult:
        name = self.provider.name
        key = request.cache_key(name)
        if self.cache is not None and (entry := self.cache.get(key)) is not None:
            result = self._from_cache(request, key, entry)
            if result is not None:
                self.ledger.record_cache_hit(name, request.model)
                return result

        attempts: list[dict[str, Any]] = []
        result = GenerationResult(ok=False, provider=name, model=request.model, cache_key=key)
        for attempt in range(1, self.max_attempts + 1):
            estimate = 0.0
            if self.budget is not None:
                estimate = self.budget.estimate(request, name, self.ledger.prices)
                self.budget.reserve(estimate)
            cost = 0.0
            try:
                started = time.monotonic()
                response = self.provider.complete(request)
                latency = time.monotonic() - started
                cost = self.ledger.record_request(
                    name, request.model, response.input_tokens, response.output_tokens
                )
            finally:
                if self.budget is not None:
                    self.budget.settle(estimate, cost)
            reason, detail, output, data = self._judge(request, response)
            attempts.append(
                {
                    "attempt": attempt,
                    "reason": reason,
                    "detail": detail,
                    "response": response.raw,
                    "input_tokens": response.input_tokens,
                    "output_tokens": response.output_tokens,
                    "latency_s": round(latency, 6),
                }
            )
            result.attempts = attempt
            result.input_tokens += response.input_tokens
            result.output_tokens += response.output_tokens
            result.cost_usd += cost
            result.latency_s += latency
            result.reason, result.detail = reason, detail
            if reason is None:
                result.ok, result.output, result.data = True, output, data
                break
            log.info(
                "%s/%s answer %s (attempt %d of %d)", name, request.model, reason, attempt, self.max_attempts
            )

        self.ledger.record_outcome(name, request.model, reason=result.reason, retries=result.attempts - 1)
        if self.cache is not None:
            self.cache.put(key, self._entry(request, result, attempts))
        return result

    @staticmethod
    def _judge(
        request: GenerationRequest, response: ProviderResponse
    ) -> tuple[str | None, str | None, BaseModel | None, Any]:
        if response.problem is not None:
            return response.problem, response.detail, None, None
        output, data, error = _validate(response.text, request.schema)
        if error is not None:
            return MALFORMED, error, None, None
        return None, None, output, data

    def _entry(
        self, request: GenerationRequest, result: GenerationResult, attempts: list[dict[str, Any]]
    ) -> dict[str, Any]:
        return {
            "request": request.key_material(result.provider),
            "ok": result.ok,
            "reason": result.reason,
            "detail": result.detail,
            "output": result.data,
            "response": attempts[-1]["response"] if attempts else None,
            "attempts": attempts,
            "input_tokens": result.input_tokens,
            "output_tokens": result.output_tokens,
            "cost_usd": result.cost_usd,
            "latency_s": round(result.latency_s, 6),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    @staticmethod
    def _from_cache(request: GenerationRequest, key: str, entry: dict[str, Any]) -> GenerationResult | None:
        result = GenerationResult(
            ok=bool(entry.get("ok")),
            provider=entry["request"]["provider"],
            model=request.model,
            cache_key=key,
            reason=entry.get("reason"),
            detail=entry.get("detail"),
            cached=True,
            attempts=len(entry.get("attempts", [])),
            input_tokens=int(entry.get("input_tokens", 0)),
            output_tokens=int(entry.get("output_tokens", 0)),
            latency_s=float(entry.get("latency_s", 0.0)),
        )
        if result.ok:
            result.data = entry.get("output")
            if request.schema is not None:
                try:
                    result.output = request.schema.model_validate(result.data)
                except ValidationError:
                    return None  # the schema changed under the same name: treat as a miss
        return result


# -- provider selection ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderSelection:
    """Which provider to use. ``reason`` is set (a plain sentence for run metadata) when it is not
    the one requested."""

    provider: str
    requested: str
    reason: str | None = None


def select_provider(requested: str | None = None, env: Mapping[str, str] | None = None) -> ProviderSelection:
    """``requested``, else ``$LLM_PROVIDER``, else ``local``. A remote provider whose key is not set
    falls back to ``local`` with a reason saying so. An unknown name raises ValueError."""
    env = os.environ if env is None else env
    wanted = (requested or env.get("LLM_PROVIDER") or "local").strip().lower()
    if wanted not in PROVIDERS:
        raise ValueError(f"unknown LLM provider {wanted!r}; expected one of {', '.join(PROVIDERS)}")
    key_var = API_KEY_ENV.get(wanted)
    if key_var is not None and not env.get(key_var):
        return ProviderSelection(
            provider="local",
            requested=wanted,
            reason=f"{wanted} requested but {key_var} is not set: using local",
        )
    return ProviderSelection(provider=wanted, requested=wanted)


def build_provider(
    selection: ProviderSelection,
    env: Mapping[str, str] | None = None,
    *,
    local_generate: Callable[[GenerationRequest], dict[str, Any]] | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> Provider:
    """The provider a selection names; keys come from ``env``, base URLs from the SDKs' own env
    variables (``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL``)."""
    env = os.environ if env is None else env
    if selection.provider == "local":
        if local_generate is None:
            raise ValueError("the local provider needs a local_generate callable")
        return LocalProvider(local_generate)
    api_key = env[API_KEY_ENV[selection.provider]]
    base_url = env.get(f"{selection.provider.upper()}_BASE_URL") or None
    if selection.provider == "openai":
        return OpenAIProvider(api_key, base_url=base_url, max_retries=max_retries, timeout=timeout)
    return AnthropicProvider(api_key, base_url=base_url, max_retries=max_retries, timeout=timeout)
