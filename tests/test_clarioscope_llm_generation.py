"""ClarioScope raw generation through a remote provider: the real OpenAI SDK against the fake
OpenAI-compatible server on 127.0.0.1; spans located exactly; an unchanged re-run sends nothing."""

import dagster as dg

from clarioscope_pipeline import datasets
from clarioscope_pipeline.assets import (
    CLARIOSCOPE_ASSETS,
    ClarioscopeData,
    clarioscope_label_schema,
    raw_path,
)
from clarioscope_pipeline.generation.llm import Entity, locate_spans, plan_message_requests, request_plan
from clarioscope_pipeline.labels import INTENTS
from pipeline_runtime.llm import LLMResource
from tests.conftest import latest_materialization
from tests.fakes.llm_servers import CHAT_PATH, FakeOpenAIServer

TEXT = "Hi, this is Maria Lopez, MRN OMK-44291. Pls call (617) 555-0142 about my appt on 03/14/2024."


def test_plans_cover_every_intent_and_carry_their_plan():
    requests = plan_message_requests("phi", "A", 14, seed=3, model="m")
    plans = [request_plan(r) for r in requests]
    assert {p["intent"] for p in plans} == set(INTENTS)
    assert all(2 <= len(p["labels"]) <= 4 and p["family"] == "A" for p in plans)
    assert plan_message_requests("phi", "A", 14, seed=3, model="m") == requests  # deterministic


def test_spans_are_located_exactly_and_problems_counted():
    entities = [
        Entity(label="NAME", value="Maria Lopez"),
        Entity(label="MRN", value="OMK-44291"),
        Entity(label="PHONE", value="(617) 555-0142"),
        Entity(label="DATE", value="03/15/2024"),  # not in the text
        Entity(label="SHOE_SIZE", value="9"),  # not a PHI type
    ]
    spans, problems = locate_spans(TEXT, entities, ["NAME", "MRN", "PHONE", "DATE"])
    assert [TEXT[s["start"] : s["end"]] for s in spans] == ["Maria Lopez", "OMK-44291", "(617) 555-0142"]
    assert problems == {"not_in_text": 1, "unknown_label": 1}


def test_openai_written_messages_become_raw_records_and_rerun_from_cache(instance, store, monkeypatch):
    # A small demo profile keeps the request count readable; the asset reads sizes from the profile.
    monkeypatch.setitem(datasets.PROFILES, "demo", datasets.Profile("demo", train_val=40, test=12))
    with FakeOpenAIServer(api_key="sk-test-secret") as server:
        server.content = {
            "text": TEXT,
            "entities": [{"label": "NAME", "value": "Maria Lopez"}, {"label": "MRN", "value": "OMK-44291"}],
        }
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
        llm = LLMResource(provider="openai", openai_api_key="sk-test-secret")
        resources = {"store": store, "clarioscope_data": ClarioscopeData(profile="demo"), "llm": llm}
        phi_raw = next(a for a in CLARIOSCOPE_ASSETS if a.key.to_user_string() == "phi_raw")
        for _ in range(2):
            result = dg.materialize(
                [phi_raw, clarioscope_label_schema.to_source_asset()],
                resources=resources,
                instance=instance,
                selection=[phi_raw],
            )
            assert result.success
        assert server.count(CHAT_PATH) == 52  # 40 + 12, once; the second run was cached
    rows = store.store().read_parquet(raw_path("phi")).to_pylist()
    assert len(rows) == 52
    assert {r["generator"] for r in rows} == {"openai:gpt-4.1-mini-A", "openai:gpt-4.1-mini-B"}
    for row in rows:
        assert [(s["label"], row["text"][s["start"] : s["end"]]) for s in row["spans"]] == [
            ("NAME", "Maria Lopez"),
            ("MRN", "OMK-44291"),
        ]
    meta = latest_materialization(instance, "phi_raw").metadata
    assert meta["llm_provider"].value == "openai"
    assert meta["llm_cache_hits"].value == 52 and meta["llm_requests"].value == 0


def test_cleaned_asset_names_the_writer_recorded_by_raw(instance, store, monkeypatch):
    with FakeOpenAIServer(api_key="sk-test-secret") as server:
        server.content = {"text": TEXT, "entities": [{"label": "MRN", "value": "OMK-44291"}]}
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
        llm = LLMResource(provider="openai", openai_api_key="sk-test-secret")
        resources = {"store": store, "clarioscope_data": ClarioscopeData(profile="demo"), "llm": llm}
        phi = [a for a in CLARIOSCOPE_ASSETS if a.key.to_user_string() in ("phi_raw", "phi_cleaned")]
        result = dg.materialize(
            [*phi, clarioscope_label_schema.to_source_asset()],
            resources=resources,
            instance=instance,
            selection=phi,
        )
        assert result.success
    assert latest_materialization(instance, "phi_cleaned").metadata["source"].value == "openai"
