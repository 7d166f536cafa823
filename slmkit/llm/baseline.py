"""Frontier LLMs run as baselines over a test set: one answer per request, with the latency of the
original call and the dollar cost of each call (both also for answers served from the cache, which
keeps tokens and latency of the call that filled it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slmkit.llm.client import GenerationClient
from slmkit.llm.ledger import BudgetExceeded
from slmkit.llm.types import GenerationRequest


@dataclass
class BaselineRun:
    outputs: list[Any] = field(default_factory=list)
    """The parsed answer per request, None where it was dropped or the budget stopped the run."""
    latencies_s: list[float] = field(default_factory=list)
    costs_usd: list[float] = field(default_factory=list)
    dropped: int = 0
    budget_stop: str | None = None


def run_baseline(client: GenerationClient, requests: Sequence[GenerationRequest]) -> BaselineRun:
    run = BaselineRun()
    for request in requests:
        if run.budget_stop:
            run.outputs.append(None)
            continue
        try:
            result = client.generate(request)
        except BudgetExceeded as exc:
            run.budget_stop = str(exc)
            run.outputs.append(None)
            continue
        run.latencies_s.append(result.latency_s)
        run.costs_usd.append(
            client.ledger.prices.cost(
                result.provider, result.model, result.input_tokens, result.output_tokens
            )
        )
        run.dropped += not result.ok
        run.outputs.append(result.output if result.ok else None)
    return run
