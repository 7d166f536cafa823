"""The values the generation layer passes around: a request, one provider answer, a result."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

# Why an answer was not usable. Each is retried up to ``max_attempts`` times, then dropped and counted.
MALFORMED = "malformed"  # not JSON, or JSON that the schema rejects
REFUSED = "refused"  # the model declined (OpenAI ``refusal`` / ``content_filter``, Anthropic ``refusal``)
TRUNCATED = "truncated"  # the answer hit max_tokens (OpenAI ``length``, Anthropic ``max_tokens``)
DROP_REASONS = (MALFORMED, REFUSED, TRUNCATED)


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept: equal values give equal strings (and hashes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class GenerationRequest:
    """One structured-output call. ``schema`` is the pydantic model the answer must validate against
    (None: free text). ``sample_index`` tells apart several samples of the same prompt; it is part
    of the cache key and seeds the local provider. ``parameters`` are extra provider parameters
    (e.g. ``top_p``, ``seed``), sent as they are and part of the cache key."""

    model: str
    messages: Sequence[Mapping[str, str]]  # {"role": "system" | "user" | "assistant", "content": str}
    schema: type[BaseModel] | None = None
    max_tokens: int = 1024
    temperature: float | None = None
    sample_index: int = 0
    parameters: Mapping[str, Any] = field(default_factory=dict)

    @property
    def schema_name(self) -> str | None:
        return self.schema.__name__ if self.schema is not None else None

    def json_schema(self) -> dict[str, Any] | None:
        return self.schema.model_json_schema() if self.schema is not None else None

    def sampling_parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {"max_tokens": self.max_tokens, **dict(self.parameters)}
        if self.temperature is not None:
            params["temperature"] = self.temperature
        return params

    def key_material(self, provider: str) -> dict[str, Any]:
        """Everything that decides the answer (no credentials): hashed into the cache key."""
        return {
            "provider": provider,
            "model": self.model,
            "messages": [dict(m) for m in self.messages],
            "parameters": self.sampling_parameters(),
            "schema_name": self.schema_name,
            "json_schema": self.json_schema(),
            "sample_index": self.sample_index,
        }

    def cache_key(self, provider: str) -> str:
        return hashlib.sha256(canonical_json(self.key_material(provider)).encode()).hexdigest()

    def seed(self, provider: str = "local") -> int:
        """A deterministic 63-bit seed for this request (the local provider's generators use it)."""
        return int(self.cache_key(provider)[:16], 16) >> 1


@dataclass
class ProviderResponse:
    """One answer from a provider. ``problem`` is REFUSED or TRUNCATED when the provider said so;
    whether ``text`` is valid is decided by the client."""

    text: str | None
    raw: dict[str, Any]  # the response as JSON, for the cache (audit)
    input_tokens: int = 0
    output_tokens: int = 0
    problem: str | None = None
    detail: str | None = None


@dataclass
class GenerationResult:
    """The outcome of :meth:`GenerationClient.generate`. ``ok=False`` with ``reason`` in
    :data:`DROP_REASONS` means the answer was dropped after ``attempts`` tries."""

    ok: bool
    provider: str
    model: str
    cache_key: str
    output: BaseModel | None = None
    data: Any = None  # the parsed JSON (or the text when the request has no schema)
    reason: str | None = None
    detail: str | None = None
    cached: bool = False
    attempts: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
