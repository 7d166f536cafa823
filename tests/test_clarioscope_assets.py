"""The ClarioScope location through Dagster: the demo profile materialises every asset and passes every
blocking check, and each check fails on a deliberately corrupted dataset."""

import dagster as dg
import pyarrow as pa
import pytest

from clarioscope_pipeline import datasets
from clarioscope_pipeline.assets import (
    CLARIOSCOPE_ASSETS,
    ClarioscopeData,
    clarioscope_data_from_env,
    dataset_path,
    table_schema,
)
from clarioscope_pipeline.checks import DATASET_CHECKS, RULES, evaluate
from clarioscope_pipeline.definitions import defs
from clarioscope_pipeline.generation import CUE_WORDS
from pipeline_runtime.llm import LLMResource
from tests.conftest import latest_materialization

DATASETS = ("intent_dataset", "phi_dataset", "insurance_dataset")
CHECKS = [c for checks in DATASET_CHECKS.values() for c in checks]


def _pure_dataset(task):
    """What ``{task}_dataset`` writes, built with the Dagster-free helpers (demo profile, seed 0)."""
    cleaned, _ = datasets.clean_records(datasets.raw_records(task, "demo", 0))
    return datasets.drop_cross_split_duplicates(datasets.assign_splits(cleaned, 0))[0]


def _meta(materialization, name):
    return materialization.metadata[name].value


def test_the_location_registers_every_asset_and_check():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.materializable_asset_keys}
    tasks = ("intent", "phi", "insurance")
    data = {f"{t}_{s}" for t in tasks for s in ("raw", "cleaned", "dataset")} | {"clarioscope_gold_set"}
    models = {f"{t}_model" for t in tasks} | {"clarioscope_frontier_baselines", "clarioscope_leaderboard"}
    assert keys == {"clarioscope_label_schema"} | data | models
    for key in graph.materializable_asset_keys:
        node = graph.get(key)
        assert node.code_version and node.kinds
        name = key.to_user_string()
        if name != "clarioscope_label_schema":
            assert node.group_name == ("clarioscope_data" if name in data else "clarioscope_models")
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert checks == {(d, name) for d in DATASETS for name in RULES}
    assert clarioscope_data_from_env().profile == "demo"


def test_demo_profile_materialises_everything_and_passes_every_check(instance, store):
    result = dg.materialize(
        [*CLARIOSCOPE_ASSETS, *CHECKS],
        resources={
            "store": store,
            "clarioscope_data": ClarioscopeData(profile="demo"),
            "llm": LLMResource(provider="local"),
        },
        instance=instance,
    )
    assert result.success
    gold = latest_materialization(instance, "clarioscope_gold_set")
    assert _meta(gold, "records") == 0 and _meta(gold, "source").startswith("not configured")
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 18 and all(e.passed for e in evaluations)
    for task in datasets.TASKS:
        table = store.store().read_parquet(dataset_path(task))
        label = "intent" if task == "intent" else "spans"
        assert table.schema.names == [
            "id",
            "text",
            "channel",
            "style",
            "split",
            "generator",
            "source",
            "label_origin",
            label,
        ]
        demo = datasets.PROFILES["demo"]
        assert 0.97 * (demo.train_val + demo.test) <= table.num_rows <= demo.train_val + demo.test
        rows = table.to_pylist()
        by_id = {r["id"]: r for r in _pure_dataset(task)}
        assert rows == [{k: by_id[r["id"]][k] for k in table.schema.names} for r in rows]
        assert {r["split"] for r in rows} == {"train", "val", "test"}
        assert {r["generator"] for r in rows if r["split"] == "test"} == {"local-B"}
        final = latest_materialization(instance, f"{task}_dataset")
        assert final.tags["dagster/data_version"] == _meta(final, "content_hash")
        cleaned = latest_materialization(instance, f"{task}_cleaned")
        assert _meta(final, "upstream_versions") == {f"{task}_cleaned": cleaned.tags["dagster/data_version"]}
        assert sum(_meta(final, "split_counts").values()) == table.num_rows
        assert set(_meta(final, "label_counts")["test"]) == set(datasets.LABELS[task])
        assert _meta(final, "realism")["all"]["n"] == table.num_rows
        raw = latest_materialization(instance, f"{task}_raw")
        assert _meta(raw, "profile") == "demo" and _meta(raw, "records") == demo.train_val + demo.test
        if task != "intent":
            assert _meta(cleaned, "spans_changed") > 0
            assert "| label | changed | dropped |" in _meta(cleaned, "spans_by_label")


def _contaminate(rows):
    out = []
    for r in rows:
        if not r["spans"]:
            out.append(r)
            continue
        first = r["spans"][0]
        cue = CUE_WORDS[first["label"]][0] + " "
        text = r["text"][: first["start"]] + cue + r["text"][first["start"] :]
        spans = [{**first, "end": first["end"] + len(cue)}] + [
            {**s, "start": s["start"] + len(cue), "end": s["end"] + len(cue)} for s in r["spans"][1:]
        ]
        out.append({**r, "text": text, "spans": spans})
    return out


def _duplicate(rows):
    train = next(r for r in rows if r["split"] == "train")
    test = next(i for i, r in enumerate(rows) if r["split"] == "test")
    return [*rows[:test], {**rows[test], "text": train["text"] + "!"}, *rows[test + 1 :]]


def _drop_from_test(task, rows):
    if task == "intent":
        return [r for r in rows if not (r["split"] == "test" and r["intent"] == "complaint")]
    return [
        {**r, "spans": [s for s in r["spans"] if s["label"] != datasets.LABELS[task][0]]}
        if r["split"] == "test"
        else r
        for r in rows
    ]


def _bad_labels(task, rows):
    first = rows[0]
    if task == "intent":
        return [{**first, "intent": "chitchat"}, *rows[1:]]
    i = next(i for i, r in enumerate(rows) if r["spans"])
    spans = [{**s, "end": len(rows[i]["text"]) + 5} for s in rows[i]["spans"][:1]] + [
        {**s, "label": "TELEPHONE"} for s in rows[i]["spans"][1:]
    ]
    return [*rows[:i], {**rows[i], "spans": spans}, *rows[i + 1 :]]


CORRUPTIONS = {
    "spans_exact_and_known": _bad_labels,
    "cue_word_contamination": lambda task, rows: _contaminate(rows),
    "no_cross_split_duplicates": lambda task, rows: _duplicate(rows),
    "train_test_generators_differ": lambda task, rows: [
        {**r, "generator": "local-A"} if r["split"] == "test" else r for r in rows
    ],
    "test_covers_every_label": _drop_from_test,
    "realism_within_tolerance": lambda task, rows: [{**r, "style": "polished"} for r in rows],
}


@pytest.mark.parametrize("task", datasets.TASKS)
def test_every_check_fails_on_a_corrupted_dataset(store, task):
    rows = _pure_dataset(task)
    checks = {
        c.check_specs_by_output_name[next(iter(c.check_specs_by_output_name))].name: c
        for c in DATASET_CHECKS[task]
    }
    for name, corrupt in CORRUPTIONS.items():
        if name == "cue_word_contamination" and task == "intent":
            continue  # no spans to contaminate
        assert evaluate(name, task, rows).passed, name
        bad = corrupt(task, rows)
        # The pure rule and the asset check itself (reading the corrupted parquet) both fail.
        assert not evaluate(name, task, bad).passed, name
        schema = table_schema(task, with_split=True)
        store.store().write_parquet(
            dataset_path(task),
            pa.Table.from_pylist([{k: r[k] for k in schema.names} for r in bad], schema=schema),
        )
        result = checks[name](store=store)
        assert isinstance(result, dg.AssetCheckResult)
        assert not result.passed, name
        assert result.metadata["offenders"].value != 0, name
