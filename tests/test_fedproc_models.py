"""The FedProc multi-task model through Dagster with a tiny random-init BERT, its frontier baselines
against the fake OpenAI server, the leaderboard, and `fedproc predict` on the saved model."""

import json

import dagster as dg
import pytest

from fedproc_pipeline import cli
from fedproc_pipeline.dataset.assets import fedproc_dataset, fedproc_synthetic_excerpts
from fedproc_pipeline.models.assets import BASELINES_PATH, FEDPROC_MODEL_ASSETS, REPORT_PATH
from fedproc_pipeline.regulations.assets import ecfr_title48_xml, far_clause_registry
from fedproc_pipeline.regulations.resources import EcfrClient
from fedproc_pipeline.sam.assets import sam_notice_descriptions, sam_opportunities
from fedproc_pipeline.sam.resources import SamGovClient
from pipeline_runtime.llm import LLMResource
from pipeline_runtime.resources import ArtifactStoreResource
from pipeline_runtime.training import TrainingConfig
from slmkit.modeling import multitask
from tests.conftest import latest_materialization
from tests.fakes.llm_servers import FakeOpenAIServer

DAYS = ("2026-11-12", "2026-11-13")


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_base_model):
    root = tmp_path_factory.mktemp("fedproc-models")
    (root / "home").mkdir()
    store = ArtifactStoreResource(root=str(root / "artifacts"))
    resources = {
        "ecfr": EcfrClient(),
        "sam": SamGovClient(),
        "store": store,
        "llm": LLMResource(provider="local"),
        "training": TrainingConfig(base_model=tiny_base_model, epochs=1, max_steps=3),
    }
    with dg.instance_for_test(temp_dir=str(root / "home")) as instance:
        upstream = [ecfr_title48_xml, far_clause_registry, fedproc_synthetic_excerpts]
        assert dg.materialize(upstream, resources=resources, instance=instance).success
        for day in DAYS:
            sam = [sam_opportunities, sam_notice_descriptions]
            assert dg.materialize(sam, resources=resources, instance=instance, partition_key=day).success
        assets = [fedproc_dataset, *FEDPROC_MODEL_ASSETS]
        assert dg.materialize(assets, resources=resources, instance=instance).success
        yield instance, store.store(), resources


def test_model_folder_holds_safetensors_heads_tokenizer_and_card_and_loads_back(trained):
    _, artifacts, _ = trained
    folder = artifacts.path("models/fedproc")
    names = {p.name for p in folder.iterdir()}
    assert {"config.json", "heads.json", "model.safetensors", "tokenizer.json", "README.md"} <= names
    model, _ = multitask.load(folder)
    heads = {h.name: h for h in model.heads}
    assert list(heads) == ["notice_type", "naics_sector", "set_asides", "clause_spans"]
    assert len(heads["notice_type"].labels) == 8 and len(heads["naics_sector"].labels) == 20
    assert set(heads["set_asides"].thresholds) == {"SBA", "SDVOSB", "WOSB", "EDWOSB", "8A", "HUBZONE", "SDB"}


def test_report_has_every_task_each_source_and_both_hallucination_rates(trained):
    instance, artifacts, _ = trained
    report = artifacts.read_json(REPORT_PATH)
    assert set(report["report"]["per_source"]) == {"sam_metadata", "ecfr", "synthetic"}
    for task in ("notice_type", "naics_sector", "set_asides", "clause_spans"):
        assert report["report"][task] is not None
    assert report["report"]["hallucination_shipped"]["rate"] == 0.0  # by construction
    shipped, raw = report["rows"]
    assert shipped["hallucination_rate"] == 0.0 and raw["model"] == "fedproc (raw clause spans)"
    meta = latest_materialization(instance, "fedproc_model").metadata
    assert set(meta["upstream_versions"].value) == {"fedproc_dataset", "far_clause_registry"}
    board = artifacts.read_bytes("reports/fedproc_leaderboard.md").decode()
    assert board.count("skipped: no API key") == 2 and "## Small model per source" in board


def test_frontier_baseline_through_the_fake_openai_server(trained, monkeypatch):
    instance, artifacts, resources = trained
    with FakeOpenAIServer(api_key="sk-test-fedproc") as server:
        server.content = {"notice_type": "solicitation"}  # every answer the same; other tasks' are dropped
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
        llm = LLMResource(provider="local", openai_api_key="sk-test-fedproc")
        result = dg.materialize(
            [FEDPROC_MODEL_ASSETS[1]],
            resources=dict(resources, llm=llm),
            instance=instance,
            run_config={"ops": {"fedproc_frontier_baselines": {"config": {"max_examples": 5}}}},
        )
        assert result.success
        sent = server.count()
    rows = {row["model"].split("/")[0]: row for row in artifacts.read_json(BASELINES_PATH)["rows"]}
    assert rows["anthropic"]["status"] == "skipped: no API key"
    openai = rows["openai"]
    assert openai["status"] == "ok" and sent >= 5
    assert openai["notice_type_macro_f1"] is not None and openai["cost_per_1000_usd"] > 0
    assert "sk-test-fedproc" not in json.dumps(artifacts.read_json(BASELINES_PATH))


def test_predict_command_reports_clauses_with_validity(trained, tmp_path, capsys):
    _, artifacts, _ = trained
    source = tmp_path / "in.jsonl"
    texts = [
        "Offerors must comply with FAR 52.219-9 and DFARS 252.225-7042.",
        "Sources sought notice. The NAICS code for this requirement is 236220, size standard $45M.",
    ]
    source.write_text(
        "\n".join(json.dumps({"id": str(i), "text": t}) for i, t in enumerate(texts)) + "\n[]\n"
    )
    out = tmp_path / "out.jsonl"
    status = cli.main(
        ["predict", "--input", str(source), "--output", str(out), "--models", str(artifacts.path("models"))]
    )
    assert status == 1 and "line 3: not a JSON object" in capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["0", "1"]
    assert set(rows[0]) == {"id", "notice_type", "naics_sector", "set_asides", "clauses"}
    for clause in rows[0]["clauses"]:
        assert set(clause) == {"start", "end", "text", "number", "valid", "source"}
        assert texts[0][clause["start"] : clause["end"]] == clause["text"]
    # The numbers the text states are reported whatever the (tiny, random) model tags.
    stated = [c["number"] for c in rows[0]["clauses"] if c["source"] == "stated"]
    assert stated == ["52.219-9", "252.225-7042"]
    # A NAICS code written in the text decides the sector; otherwise the model's label, marked as such.
    assert rows[1]["naics_sector"] == {"label": "23", "source": "stated", "naics_code": "236220"}
    assert rows[0]["naics_sector"]["source"] == "model" and rows[0]["notice_type"]["source"] == "model"


def test_a_new_sam_day_makes_exactly_the_dataset_model_and_leaderboard_stale(trained):
    from fedproc_pipeline.definitions import defs

    instance, _, resources = trained
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert first.total_requested == 0
    sam = [sam_opportunities, sam_notice_descriptions]
    assert dg.materialize(sam, resources=resources, instance=instance, partition_key="2026-11-14").success
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    requested = {r.key.to_user_string() for r in result.results if r.true_subset.size}
    assert requested == {"fedproc_dataset", "fedproc_model", "fedproc_leaderboard"}


def test_automation_waits_for_inputs_on_a_fresh_instance(tmp_path):
    from fedproc_pipeline.definitions import defs

    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        assert dg.evaluate_automation_conditions(defs=defs, instance=instance).total_requested == 0
