"""Evaluation reports: rows of a leaderboard, frontier baselines skipped without keys, plots in Dagster
metadata, and report files under ``artifacts/reports/``."""

import base64
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import dagster as dg

from pipeline_runtime.llm import LLMResource, LLMSession
from pipeline_runtime.provenance import provenance_metadata, upstream_versions
from slmkit.llm import Budget
from slmkit.metrics import bar_chart_png, cost_per_1000, latency_summary, markdown_table, measure_latency
from slmkit.provenance import records_hash
from slmkit.storage import ArtifactStore

FRONTIER_PROVIDERS = ("openai", "anthropic")
LATENCY_COLUMNS = ("p50_ms_batch1", "p95_ms_batch1", "p50_ms_batched", "p95_ms_batched")


def frontier_sessions(llm: LLMResource, store: ArtifactStore) -> list[tuple[str, LLMSession | None, str]]:
    """``(provider, session, note)`` for OpenAI and Anthropic; no session (and the note says why) where
    the provider's key is not set: the baseline row then reads "skipped: no API key". The sessions share
    one dollar budget: ``budget_usd`` caps the materialisation, not each provider."""
    out: list[tuple[str, LLMSession | None, str]] = []
    budget = Budget(llm.budget_usd)
    for provider in FRONTIER_PROVIDERS:
        if llm.selection(provider).provider != provider:
            out.append((provider, None, "skipped: no API key"))
        else:
            out.append((provider, llm.session(store, provider=provider, budget=budget), "ok"))
    return out


LATENCY_EXAMPLES = 64
LATENCY_BATCH = 32


def latency_columns(predict: Callable[[list[str]], Any], texts: Sequence[str]) -> dict[str, Any]:
    """p50 / p95 per-example latency of ``predict`` on the first ``LATENCY_EXAMPLES`` texts, one per call
    and ``LATENCY_BATCH`` per call."""
    sample = list(texts[:LATENCY_EXAMPLES])
    batch1, batched = measure_latency(predict, sample, 1), measure_latency(predict, sample, LATENCY_BATCH)
    return {
        "p50_ms_batch1": batch1.get("p50_ms"),
        "p95_ms_batch1": batch1.get("p95_ms"),
        "p50_ms_batched": batched.get("p50_ms"),
        "p95_ms_batched": batched.get("p95_ms"),
    }


def png_markdown(png: bytes, alt: str) -> str:
    """A PNG inlined in markdown: the Dagster UI shows it in the materialisation's metadata."""
    return f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})"


def write_report(
    store: ArtifactStore, name: str, markdown: str, pngs: Mapping[str, bytes], data: Any
) -> list[str]:
    """``reports/<name>.md``, ``reports/<name>.json`` and ``reports/<name>-<plot>.png``; the paths written."""
    paths = [f"reports/{name}.md", f"reports/{name}.json"]
    store.write_bytes(paths[0], markdown.encode())
    store.write_json(paths[1], data)
    for plot, png in pngs.items():
        paths.append(f"reports/{name}-{plot}.png")
        store.write_bytes(paths[-1], png)
    return paths


def metadata_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_table(rows, columns))


def frontier_columns(
    latencies_s: Sequence[float], costs_usd: Sequence[float], budget_stop: str | None
) -> dict:
    """Status, call latency (the original call's, also for cached answers) and cost per 1,000 calls of a
    frontier baseline row."""
    call = latency_summary(latencies_s)
    return {
        "status": f"partial: {budget_stop}" if budget_stop else "ok",
        "p50_ms_batch1": call["p50_ms"],
        "p95_ms_batch1": call["p95_ms"],
        "cost_per_1000_usd": cost_per_1000(sum(costs_usd), len(costs_usd)),
    }


def baselines_result(
    store: ArtifactStore,
    path: str,
    rows: list[dict[str, Any]],
    ledgers: dict[str, Any],
    columns: Sequence[str],
) -> dg.MaterializeResult:
    """Write the frontier rows and the providers' ledgers to ``path``; the materialisation they make."""
    store.write_json(path, {"rows": rows, "ledgers": ledgers})
    digest = records_hash(rows)
    return dg.MaterializeResult(
        data_version=dg.DataVersion(digest),
        metadata=provenance_metadata(
            source="openai + anthropic",
            content_hash=digest,
            path=path,
            baselines=metadata_table(rows, columns),
            llm_spend=dg.MetadataValue.json(ledgers),
        ),
    )


def leaderboard_result(
    context: dg.AssetExecutionContext,
    store: ArtifactStore,
    name: str,
    markdown: str,
    scores: Mapping[str, float],
    data: Any,
    upstream: Sequence[dg.AssetKey],
) -> dg.MaterializeResult:
    """Write ``reports/<name>.md`` / ``.json`` / ``-scores.png`` (a bar chart of ``scores``); the
    materialisation shows the tables and the plot."""
    png = bar_chart_png(scores, name.replace("_", " "), "score")
    paths = write_report(store, name, markdown, {"scores": png}, data)
    digest = records_hash([dict(scores)])
    return dg.MaterializeResult(
        data_version=dg.DataVersion(digest),
        metadata=provenance_metadata(
            source="model reports + frontier baselines",
            content_hash=digest,
            upstream=upstream_versions(context, upstream),
            leaderboard=dg.MetadataValue.md(markdown),
            plot=dg.MetadataValue.md(png_markdown(png, "scores")),
            paths=dg.MetadataValue.json(paths),
        ),
    )
