"""Evaluation reports: rows of a leaderboard, frontier baselines skipped without keys, plots in Dagster
metadata, and report files under ``artifacts/reports/``."""

import base64
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg

from pipeline_runtime.llm import LLMResource, LLMSession
from slmkit.llm import Budget
from slmkit.metrics import markdown_table
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


def latency_columns(batch1: Mapping[str, Any], batched: Mapping[str, Any]) -> dict[str, Any]:
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
