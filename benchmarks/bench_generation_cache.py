"""Benchmark: cold vs warm (cached) materialisation of `fedproc_synthetic_excerpts`.

    python benchmarks/bench_generation_cache.py

Materialises the asset twice into a fresh store for each provider path: `local` (the offline generator)
and `openai` through the real SDK against the fake OpenAI-compatible server on 127.0.0.1. Cold = empty
response cache; warm = the same inputs again. Prints wall time and requests sent.
"""

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a plain script from a checkout

import dagster as dg

from fedproc_pipeline.dataset.assets import fedproc_synthetic_excerpts
from fedproc_pipeline.regulations.assets import ecfr_title48_xml, far_clause_registry
from fedproc_pipeline.regulations.resources import EcfrClient
from pipeline_runtime.llm import LLMResource
from pipeline_runtime.resources import ArtifactStoreResource
from tests.fakes.llm_servers import CHAT_PATH, FakeOpenAIServer

PER_SET_ASIDE = 40  # 200 excerpts


def run(store: ArtifactStoreResource, llm: LLMResource, instance: dg.DagsterInstance) -> tuple[float, dict]:
    config = dg.RunConfig({"fedproc_synthetic_excerpts": {"config": {"per_set_aside": PER_SET_ASIDE}}})
    started = time.perf_counter()
    dg.materialize(
        [fedproc_synthetic_excerpts, far_clause_registry.to_source_asset()],
        resources={"store": store, "llm": llm},
        instance=instance,
        run_config=config,
        selection=[fedproc_synthetic_excerpts],
    )
    seconds = time.perf_counter() - started
    records = instance.fetch_materializations(fedproc_synthetic_excerpts.key, limit=1).records
    meta = records[0].asset_materialization.metadata  # type: ignore[union-attr]
    return seconds, {name: meta[name].value for name in ("llm_requests", "llm_cache_hits", "records")}


def bench(label: str, llm: LLMResource, requests_seen=lambda: None) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp, dg.instance_for_test(temp_dir=tmp) as instance:
        store = ArtifactStoreResource(root=f"{tmp}/artifacts")
        dg.materialize(
            [ecfr_title48_xml, far_clause_registry],
            resources={"ecfr": EcfrClient(), "store": store},
            instance=instance,
        )
        for phase in ("cold", "warm"):
            seconds, meta = run(store, llm, instance)
            server = requests_seen()
            sent = meta["llm_requests"] if server is None else server
            hits = meta["llm_cache_hits"]
            rows.append(f"| {label} | {phase} | {meta['records']} | {sent} | {hits} | {seconds:.2f} |")
    return rows


def main() -> None:
    rows = bench("local", LLMResource(provider="local"))
    with FakeOpenAIServer(api_key="sk-bench") as server:
        server.content = {
            "text": "Set aside for HUBZone small business concerns. FAR 52.219-3 and 52.212-4 apply.",
            "notice_type": "solicitation",
            "naics_code": "541330",
            "clause_numbers": ["52.219-3", "52.212-4"],
        }
        os.environ["OPENAI_BASE_URL"] = server.base_url + "/v1"
        llm = LLMResource(provider="openai", openai_api_key="sk-bench")
        rows += bench("openai (fake server)", llm, lambda: server.count(CHAT_PATH))
    print(
        f"Cold vs warm materialisation — {platform.machine()}, Python {platform.python_version()}, "
        f"{5 * PER_SET_ASIDE} excerpts\n"
    )
    print(
        "| provider | run | records kept | requests sent (cumulative for the server) | cache hits | seconds |"
    )
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
