"""`fedproc_dataset` through Dagster on the offline sources, and its checks failing on bad data."""

import dagster as dg
import pyarrow as pa

from fedproc_pipeline.dataset.assets import (
    DATASET_PATH,
    DATASET_SCHEMA,
    SYNTHETIC_PATH,
    fedproc_dataset,
    fedproc_synthetic_excerpts,
)
from fedproc_pipeline.dataset.checks import DATASET_CHECKS
from fedproc_pipeline.regulations.assets import ecfr_title48_xml, far_clause_registry
from fedproc_pipeline.regulations.resources import EcfrClient
from fedproc_pipeline.sam.assets import sam_notice_descriptions, sam_opportunities
from fedproc_pipeline.sam.resources import SamGovClient
from pipeline_runtime.llm import LLMResource
from tests.conftest import latest_materialization
from tests.fakes.llm_servers import CHAT_PATH, FakeOpenAIServer

DAYS = ("2026-11-12", "2026-11-13")


def _build(instance, store):
    resources = {
        "ecfr": EcfrClient(),
        "sam": SamGovClient(),
        "store": store,
        "llm": LLMResource(provider="local"),
    }
    upstream = [ecfr_title48_xml, far_clause_registry, fedproc_synthetic_excerpts]
    assert dg.materialize(upstream, resources=resources, instance=instance).success
    for day in DAYS:
        sam = [sam_opportunities, sam_notice_descriptions]
        assert dg.materialize(sam, resources=resources, instance=instance, partition_key=day).success
    return dg.materialize([fedproc_dataset, *DATASET_CHECKS], resources=resources, instance=instance)


def test_dataset_from_the_sample_days_and_the_registry_passes_every_check(instance, store):
    result = _build(instance, store)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 4 and all(e.passed for e in evaluations)
    rows = store.store().read_parquet(DATASET_PATH).to_pylist()
    sources = {r["source"] for r in rows}
    assert sources == {"sam_metadata", "ecfr", "synthetic"}
    assert sum(r["source"] == "sam_metadata" for r in rows) == 38 + 43  # the two sample days' notices
    for source in sources:  # every source reaches test
        assert any(r["source"] == source and r["split"] == "test" for r in rows)
    ecfr = [r for r in rows if r["source"] == "ecfr"]
    assert all(r["task_mask"] == [False, False, False, True] for r in ecfr)
    meta = latest_materialization(instance, "fedproc_dataset").metadata
    assert meta["sam_days"].value == 2
    assert set(meta["upstream_versions"].value) == {
        "far_clause_registry",
        "fedproc_synthetic_excerpts",
        "sam_notice_descriptions[2026-11-12]",
        "sam_notice_descriptions[2026-11-13]",
    }


def test_checks_fail_on_corrupted_records(instance, store):
    assert _build(instance, store).success
    artifacts = store.store()
    rows = artifacts.read_parquet(DATASET_PATH).to_pylist()
    spanned = next(r for r in rows if r["clause_spans"])
    spanned["clause_spans"][0]["start"] += 1  # misaligned
    spanned["clause_spans"][0]["number"] = "52.299-99999"  # not in the registry
    sam = next(r for r in rows if r["source"] == "sam_metadata" and r["id"] != spanned["id"])
    sam["notice_type"] = None  # masked on but unlabelled
    # The same document again, in another split:
    twin = dict(next(r for r in rows if r["split"] == "train"), id="leak", split="test")
    artifacts.write_parquet(DATASET_PATH, pa.Table.from_pylist([*rows, twin], schema=DATASET_SCHEMA))
    result = dg.materialize(
        [fedproc_dataset.to_source_asset(), *DATASET_CHECKS],
        resources={"store": store},
        instance=instance,
        selection=dg.AssetSelection.checks(*DATASET_CHECKS),
        raise_on_error=False,
    )
    outcome = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert outcome == {
        "task_mask_agrees_with_labels": False,
        "clause_spans_align": False,
        "gold_clause_numbers_exist": False,
        "no_document_leakage": False,
    }


def _registry(instance, store):
    resources = {"ecfr": EcfrClient(), "store": store}
    assert dg.materialize(
        [ecfr_title48_xml, far_clause_registry], resources=resources, instance=instance
    ).success


def _synthetic_run(instance, store, llm):
    config = dg.RunConfig({"fedproc_synthetic_excerpts": {"config": {"per_set_aside": 2}}})
    result = dg.materialize(
        [fedproc_synthetic_excerpts, far_clause_registry.to_source_asset()],
        resources={"store": store, "llm": llm},
        instance=instance,
        run_config=config,
        selection=[fedproc_synthetic_excerpts],
    )
    assert result.success
    return latest_materialization(instance, "fedproc_synthetic_excerpts").metadata


def test_local_synthetic_excerpts_cover_the_rare_set_asides_and_rerun_from_cache(instance, store):
    _registry(instance, store)
    first = _synthetic_run(instance, store, LLMResource(provider="local"))
    rows = store.store().read_parquet(SYNTHETIC_PATH).to_pylist()
    assert first["records"].value == len(rows) == 10
    assert {label for r in rows for label in r["set_asides"]} == {"HUBZONE", "EDWOSB", "8A", "SDB", "WOSB"}
    assert first["llm_provider"].value == "local" and first["llm_requests"].value == 10
    second = _synthetic_run(instance, store, LLMResource(provider="local"))
    assert second["llm_requests"].value == 0 and second["llm_cache_hits"].value == 10
    assert second["content_hash"].value == first["content_hash"].value


def test_openai_path_rejects_unknown_clause_numbers_and_never_pays_twice(instance, store, monkeypatch):
    _registry(instance, store)
    with FakeOpenAIServer(api_key="sk-test-secret") as server:
        server.content = {
            "text": "Set aside for HUBZone small business concerns. FAR 52.299-99999 applies.",
            "notice_type": "solicitation",
            "naics_code": "541330",
            "clause_numbers": ["52.299-99999"],
        }
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
        llm = LLMResource(provider="openai", openai_api_key="sk-test-secret", openai_model="gpt-4.1-mini")
        first = _synthetic_run(instance, store, llm)
        assert server.count(CHAT_PATH) == 10
        assert first["records"].value == 0
        assert sum(first["rejected"].value.values()) == 10
        assert first["llm_provider"].value == "openai"
        second = _synthetic_run(instance, store, llm)
        assert server.count(CHAT_PATH) == 10  # every answer came from the cache
        assert second["llm_cache_hits"].value == 10
    recorded = "\n".join(repr(e) for run in instance.get_runs() for e in instance.all_logs(run.run_id))
    assert "sk-test-secret" not in recorded


def test_a_missing_key_falls_back_to_local_and_says_so(instance, store):
    _registry(instance, store)
    meta = _synthetic_run(instance, store, LLMResource(provider="anthropic"))
    assert meta["llm_provider"].value == "local"
    assert "ANTHROPIC_API_KEY is not set" in meta["llm_provider_note"].value
