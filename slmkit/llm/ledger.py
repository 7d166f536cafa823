"""Token and dollar accounting per provider/model, and a per-run dollar budget checked before
each request.

Prices are USD per 1M tokens (input, output). :data:`DEFAULT_PRICES` is a starting point only —
list prices of a few models as published when this was written; they change, so pass your own
table (``PriceTable({("openai", "gpt-4.1-mini"): (0.40, 1.60)})``) or
``PriceTable.default().with_prices(...)``.
The local provider is always free. A model with no price cannot be budgeted: checking it raises
:class:`UnknownPrice` before anything is sent.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from slmkit.llm.types import GenerationRequest, canonical_json

# CONFIGURABLE defaults: USD per 1M (input, output) tokens. Verify against the providers' price pages.
DEFAULT_PRICES: dict[tuple[str, str], tuple[float, float]] = {
    ("openai", "gpt-4o"): (2.50, 10.00),
    ("openai", "gpt-4o-mini"): (0.15, 0.60),
    ("openai", "gpt-4.1"): (2.00, 8.00),
    ("openai", "gpt-4.1-mini"): (0.40, 1.60),
    ("openai", "gpt-4.1-nano"): (0.10, 0.40),
    ("anthropic", "claude-3-5-haiku-latest"): (0.80, 4.00),
    ("anthropic", "claude-haiku-4-5"): (1.00, 5.00),
    ("anthropic", "claude-sonnet-4-5"): (3.00, 15.00),
    ("anthropic", "claude-opus-4-1"): (15.00, 75.00),
}

PER_MESSAGE_OVERHEAD_TOKENS = 16


class UnknownPrice(KeyError):
    """No price for a (provider, model): the budget cannot be enforced for it."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class BudgetExceeded(Exception):
    """The next request could cost more than what is left of the run's dollar cap; nothing was sent."""

    def __init__(self, message: str, *, cap_usd: float, spent_usd: float, estimate_usd: float):
        super().__init__(message)
        self.cap_usd = cap_usd
        self.spent_usd = spent_usd
        self.estimate_usd = estimate_usd


class PriceTable:
    def __init__(self, prices: Mapping[tuple[str, str], tuple[float, float]] | None = None):
        self.prices = dict(prices or {})

    @classmethod
    def default(cls) -> PriceTable:
        return cls(DEFAULT_PRICES)

    def with_prices(self, prices: Mapping[tuple[str, str], tuple[float, float]]) -> PriceTable:
        return PriceTable({**self.prices, **prices})

    def price(self, provider: str, model: str) -> tuple[float, float]:
        """USD per 1M (input, output) tokens."""
        if provider == "local":
            return (0.0, 0.0)
        try:
            return self.prices[(provider, model)]
        except KeyError:
            raise UnknownPrice(
                f"no price for {provider}/{model}: add it to the price table (USD per 1M input/output tokens)"
            ) from None

    def cost(self, provider: str, model: str, input_tokens: int, output_tokens: int) -> float:
        price_in, price_out = self.price(provider, model)
        return (input_tokens * price_in + output_tokens * price_out) / 1_000_000


def estimate_input_tokens(request: GenerationRequest) -> int:
    """An upper bound on the prompt's tokens: one per UTF-8 byte of the messages and the schema
    (a token is never shorter than a byte) plus a per-message overhead. Deliberately pessimistic
    (~4x for English) so a budget check can never be undercut by the real count."""
    size = len(canonical_json([dict(m) for m in request.messages]).encode())
    schema = request.json_schema()
    if schema is not None:
        size += len(canonical_json(schema).encode())
    return size + PER_MESSAGE_OVERHEAD_TOKENS * (len(request.messages) + 1)


@dataclass
class UsageRow:
    requests: int = 0  # attempts sent to the provider
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    ok: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count
    retries: int = 0


class Ledger:
    """What was spent, per (provider, model)."""

    def __init__(self, prices: PriceTable | None = None):
        self.prices = prices or PriceTable.default()
        self.rows: dict[tuple[str, str], UsageRow] = {}
        self._lock = threading.RLock()

    def _row(self, provider: str, model: str) -> UsageRow:
        return self.rows.setdefault((provider, model), UsageRow())

    def record_request(self, provider: str, model: str, input_tokens: int, output_tokens: int) -> float:
        """Count one request sent and its tokens; returns its cost in USD."""
        cost = self.prices.cost(provider, model, input_tokens, output_tokens)
        with self._lock:
            row = self._row(provider, model)
            row.requests += 1
            row.input_tokens += input_tokens
            row.output_tokens += output_tokens
            row.cost_usd += cost
        return cost

    def record_outcome(self, provider: str, model: str, *, reason: str | None, retries: int) -> None:
        with self._lock:
            row = self._row(provider, model)
            row.retries += retries
            if reason is None:
                row.ok += 1
            else:
                row.dropped[reason] = row.dropped.get(reason, 0) + 1

    def record_cache_hit(self, provider: str, model: str) -> None:
        with self._lock:
            self._row(provider, model).cache_hits += 1

    @property
    def total_cost_usd(self) -> float:
        return sum(row.cost_usd for row in self.rows.values())

    @property
    def total_requests(self) -> int:
        return sum(row.requests for row in self.rows.values())

    @property
    def total_dropped(self) -> int:
        return sum(sum(row.dropped.values()) for row in self.rows.values())

    def summary(self) -> dict[str, Any]:
        """JSON-ready: totals and one entry per provider/model."""
        models = [
            {
                "provider": provider,
                "model": model,
                "requests": row.requests,
                "cache_hits": row.cache_hits,
                "input_tokens": row.input_tokens,
                "output_tokens": row.output_tokens,
                "cost_usd": round(row.cost_usd, 6),
                "ok": row.ok,
                "dropped": dict(sorted(row.dropped.items())),
                "retries": row.retries,
            }
            for (provider, model), row in sorted(self.rows.items())
        ]
        return {
            "requests": self.total_requests,
            "cache_hits": sum(row.cache_hits for row in self.rows.values()),
            "input_tokens": sum(row.input_tokens for row in self.rows.values()),
            "output_tokens": sum(row.output_tokens for row in self.rows.values()),
            "cost_usd": round(self.total_cost_usd, 6),
            "dropped": self.total_dropped,
            "models": models,
        }

    def markdown(self) -> str:
        lines = [
            "| provider | model | requests | cache hits | input tokens | output tokens | cost (USD) "
            "| ok | dropped |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for entry in self.summary()["models"]:
            dropped = ", ".join(f"{k}: {v}" for k, v in entry["dropped"].items()) or "0"
            lines.append(
                f"| {entry['provider']} | {entry['model']} | {entry['requests']} | {entry['cache_hits']} "
                f"| {entry['input_tokens']} | {entry['output_tokens']} | {entry['cost_usd']:.4f} "
                f"| {entry['ok']} | {dropped} |"
            )
        return "\n".join(lines)


class Budget:
    """A dollar cap for one run. :meth:`reserve` is called before each request with a conservative
    estimate (an upper bound on the input tokens, ``max_tokens`` for the output) and raises
    :class:`BudgetExceeded` if spent + reserved + estimate would pass the cap; :meth:`settle` then
    swaps the reservation for the billed cost. So the cap is never exceeded, also with requests in
    flight on several threads, as long as the provider bills no more than the estimate."""

    def __init__(self, cap_usd: float):
        if cap_usd < 0:
            raise ValueError("the budget cap must be >= 0")
        self.cap_usd = float(cap_usd)
        self.spent_usd = 0.0
        self.reserved_usd = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Budget(cap_usd={self.cap_usd}, spent_usd={self.spent_usd:.6f})"

    @property
    def remaining_usd(self) -> float:
        return self.cap_usd - self.spent_usd - self.reserved_usd

    def estimate(self, request: GenerationRequest, provider: str, prices: PriceTable) -> float:
        return prices.cost(provider, request.model, estimate_input_tokens(request), request.max_tokens)

    def reserve(self, estimate_usd: float) -> None:
        with self._lock:
            committed = self.spent_usd + self.reserved_usd
            if committed + estimate_usd > self.cap_usd:
                raise BudgetExceeded(
                    f"budget of ${self.cap_usd:.4f} would be exceeded: spent ${self.spent_usd:.4f}"
                    f" (+${self.reserved_usd:.4f} in flight), next request estimated at up to"
                    f" ${estimate_usd:.4f}",
                    cap_usd=self.cap_usd,
                    spent_usd=self.spent_usd,
                    estimate_usd=estimate_usd,
                )
            self.reserved_usd += estimate_usd

    def settle(self, estimate_usd: float, cost_usd: float) -> None:
        """Release a reservation and charge what the request cost (0 when it failed unbilled)."""
        with self._lock:
            self.reserved_usd = max(0.0, self.reserved_usd - estimate_usd)
            self.spent_usd += cost_usd
