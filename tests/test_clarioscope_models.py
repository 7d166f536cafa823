"""ClarioScope models through Dagster with a tiny random-init BERT: every model trains for a few steps,
lands as a folder ``transformers.pipeline`` loads, the leaderboard is written, and the commands run on
the artifacts."""

import json

import dagster as dg
import pytest
import transformers

from clarioscope_pipeline import cli
from clarioscope_pipeline.assets import CLARIOSCOPE_ASSETS, ClarioscopeData
from clarioscope_pipeline.models.assets import CLARIOSCOPE_MODEL_ASSETS
from pipeline_runtime.llm import LLMResource
from pipeline_runtime.resources import ArtifactStoreResource
from pipeline_runtime.training import TrainingConfig
from tests.conftest import latest_materialization

TASKS = ("intent", "phi", "insurance")
SECRET = "Okafor"
_TEXTS = (
    (
        "Dr. Okafor told me to call, my SSN is 536-22-8041 and my cell is 617-394-2218",
        "existing_patient_question",
    ),
    ("how much is a cleaning without insurance? the place on main quoted me $120", "price_shopper"),
    ("billed $240.00 for the visit, claim CLM-2024-55123, member id XQJ-441-2290", "billing_inquiry"),
)


def _gold(i: int, text: str, intent: str) -> dict:
    def span(value: str, label: str) -> dict:
        return {"start": text.index(value), "end": text.index(value) + len(value), "label": label}

    phi: list[dict] = []
    insurance: list[dict] = []
    if i == 0:
        phi = [span("Dr. Okafor", "NAME"), span("536-22-8041", "SSN"), span("617-394-2218", "PHONE")]
    if i == 2:
        phi = [span("XQJ-441-2290", "HEALTH_PLAN")]
        insurance = [span("$240.00", "BILLED_AMOUNT"), span("CLM-2024-55123", "CLAIM_ID")]
        insurance.append(span("XQJ-441-2290", "MEMBER_ID"))
    return {
        "id": f"g{i}",
        "text": text,
        "intent": intent,
        "channel": "sms",
        "phi": phi,
        "insurance": insurance,
    }


GOLD = [_gold(i, text, intent) for i, (text, intent) in enumerate(_TEXTS)]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_base_model):
    """The whole ClarioScope location materialised once; the instance and artifacts are shared."""
    root = tmp_path_factory.mktemp("clarioscope-models")
    store = ArtifactStoreResource(root=str(root / "artifacts"))
    gold = root / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in GOLD), encoding="utf-8")
    resources = {
        "store": store,
        "clarioscope_data": ClarioscopeData(gold_path=str(gold)),
        "llm": LLMResource(provider="local"),
        "training": TrainingConfig(base_model=tiny_base_model, epochs=1, max_steps=3),
    }
    (root / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(root / "home")) as instance:
        result = dg.materialize(
            [*CLARIOSCOPE_ASSETS, *CLARIOSCOPE_MODEL_ASSETS], resources=resources, instance=instance
        )
        assert result.success
        yield instance, store.store()


def test_every_model_is_a_standard_hugging_face_folder_with_a_card(trained):
    _, artifacts = trained
    for task in TASKS:
        folder = artifacts.path(f"models/clarioscope-{task}")
        names = {p.name for p in folder.iterdir()}
        assert {"config.json", "model.safetensors", "tokenizer.json", "README.md"} <= names
        assert not any(name.endswith(".bin") or name.endswith(".pkl") for name in names)
        card = (folder / "README.md").read_text()
        assert "## Metrics (test split)" in card and "## Limitations" in card and "base_model" in card
    classify = transformers.pipeline(
        "text-classification", model=str(artifacts.path("models/clarioscope-intent"))
    )
    assert (
        classify("I want to book an appointment")[0]["label"]
        in json.loads(artifacts.path("models/clarioscope-intent/config.json").read_text())["label2id"]
    )
    folder = artifacts.path("models/clarioscope-phi")
    config = json.loads((folder / "config.json").read_text())
    assert json.loads((folder / "tokenizer_config.json").read_text())["model_max_length"] == 128
    tagger = transformers.pipeline(
        "token-classification",
        model=str(folder),
        aggregation_strategy="first",
        stride=config["windows"]["stride"],
    )
    entities = tagger("Call me at 617-555-0142. " * 80)  # ~2,000 characters: read in windows, no error
    assert all(e["entity_group"] in {t[2:] for t in config["label2id"] if t != "O"} for e in entities)


def test_model_metadata_records_provenance_scores_and_the_hybrid(trained):
    instance, artifacts = trained
    for task in TASKS:
        meta = latest_materialization(instance, f"{task}_model").metadata
        assert meta["upstream_versions"].value[f"{task}_dataset"] != "never materialized"
        assert meta["device"].value == "cpu" and meta["path"].value == f"models/clarioscope-{task}"
        report = artifacts.read_json(f"reports/clarioscope/{task}.json")
        models = [row["model"] for row in report["rows"]]
        expected = [f"clarioscope-{task}"] + (
            [] if task == "intent" else [f"clarioscope-{task} + recognizers"]
        )
        assert models == expected
        for row in report["rows"]:
            assert row["p50_ms_batch1"] > 0 and row["p50_ms_batched"] > 0
    phi = artifacts.read_json("reports/clarioscope/phi.json")["rows"]
    # The recognizers find the structured IDs a 3-step tiny model cannot: the hybrid must score higher.
    assert phi[1]["f1"] > phi[0]["f1"]


def test_leaderboard_has_every_task_and_skips_frontier_rows_without_keys(trained):
    instance, artifacts = trained
    text = artifacts.read_bytes("reports/clarioscope_leaderboard.md").decode()
    for task in TASKS:
        assert f"## {task}" in text
    assert text.count("skipped: no API key") == 6  # two providers × three tasks
    assert artifacts.read_bytes("reports/clarioscope_leaderboard-scores.png")[:8] == b"\x89PNG\r\n\x1a\n"
    meta = latest_materialization(instance, "clarioscope_leaderboard").metadata
    assert "data:image/png;base64," in meta["plot"].value


def test_the_leaderboard_scores_every_model_on_the_human_gold_set_without_showing_its_text(trained):
    instance, artifacts = trained
    gold_meta = latest_materialization(instance, "clarioscope_gold_set").metadata
    assert gold_meta["records"].value == 3 and gold_meta["source"].value == "human"
    board = artifacts.read_json("reports/clarioscope_leaderboard.json")
    for task in TASKS:
        rows = [r for r in board[task] if r["set"] == "human gold"]
        expected = [f"clarioscope-{task}"] + (
            [] if task == "intent" else [f"clarioscope-{task} + recognizers"]
        )
        assert [r["model"] for r in rows] == expected and all(r["n"] == 3 for r in rows)
    report = artifacts.read_json("reports/clarioscope/gold.json")["reports"]
    hybrid = report["phi"]["clarioscope-phi + recognizers"]
    # the recognizers find the SSN and the phone number of the gold message exactly
    assert hybrid["per_entity"]["SSN"]["recall"] == 1.0 and hybrid["per_entity"]["PHONE"]["recall"] == 1.0
    assert hybrid["messages_without_entities"] == 1
    assert set(hybrid["per_channel"]) == {"sms"}
    assert report["intent"]["clarioscope-intent"]["per_channel"]["sms"]["n"] == 3
    text = artifacts.read_bytes("reports/clarioscope_leaderboard.md").decode()
    assert "### phi per entity type (human gold)" in text and "### intent per channel (human gold)" in text
    shown = json.dumps(
        [
            str(m.value)
            for e in (gold_meta, latest_materialization(instance, "clarioscope_leaderboard").metadata)
            for m in e.values()
        ]
    )
    assert SECRET not in shown and SECRET not in text  # the text stays in the report file, not in metadata


def test_model_reports_list_false_positive_strings_per_label(trained):
    _, artifacts = trained
    for task in ("phi", "insurance"):
        report = artifacts.read_json(f"reports/clarioscope/{task}.json")["reports"][f"clarioscope-{task}"]
        assert {"per_entity", "per_channel", "false_positives", "top_false_positive_strings"} <= set(report)
        for label, pairs in report["top_false_positive_strings"].items():
            assert len(pairs) <= 10 and all(n >= 1 for _, n in pairs)
            assert sum(n for _, n in pairs) <= report["false_positives"][label]


def _write_lines(path, lines):
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_predict_and_redact_commands_skip_bad_lines_and_keep_the_rest(trained, tmp_path, capsys):
    _, artifacts = trained
    source = tmp_path / "in.jsonl"
    _write_lines(
        source,
        [
            json.dumps(
                {"id": "a", "text": "My SSN is 219-09-9999, call 617-555-0142 about my bill."}
            ).encode(),
            b"{not json",
            json.dumps({"id": "c"}).encode(),
            b"\xff\xfe binary \x00",
            json.dumps({"id": "e", "text": "Member ID: XJH448812901, group 88213"}).encode(),
        ],
    )
    models = str(artifacts.path("models"))
    out = tmp_path / "out.jsonl"
    status = cli.main(["predict", "--input", str(source), "--output", str(out), "--models", models])
    err = capsys.readouterr().err
    assert status == 1  # some lines were skipped
    for line in (2, 3, 4):
        assert f"line {line}:" in err
    assert "219-09-9999" not in err  # input text never reaches the report
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "e"]
    first = rows[0]
    assert set(first) == {
        "id", "intent", "intent_confidence", "needs_review", "phi", "insurance", "insurance_fields"
    }  # fmt: skip
    # The 3-step tiny model tags words at random; the validated SSN comes from the recognizer.
    ssn = [s for s in first["phi"] if s["text"] == "219-09-9999"]
    assert [(s["label"], s["source"]) for s in ssn] == [("SSN", "recognizer")]
    assert all(set(s) == {"start", "end", "label", "text", "score", "source"} for s in first["phi"])
    redacted = tmp_path / "redacted.jsonl"
    cli.main(["redact", "--input", str(source), "--output", str(redacted), "--models", models])
    texts = [json.loads(line)["text"] for line in redacted.read_text().splitlines()]
    assert "219-09-9999" not in texts[0] and "[SSN]" in texts[0]


def test_predict_without_models_says_what_to_do(tmp_path):
    source = tmp_path / "in.jsonl"
    _write_lines(source, [b'{"text": "hello"}'])
    with pytest.raises(FileNotFoundError, match="clarioscope demo"):
        cli.main(
            ["predict", "--input", str(source), "--output", str(tmp_path / "o"), "--models", str(tmp_path)]
        )


def test_automation_requests_exactly_the_stale_downstream_assets(trained):
    """A new ``phi_raw`` (another seed) makes the PHI chain and the leaderboard stale, nothing else; the LLM
    baselines and the other tasks are not requested."""
    from clarioscope_pipeline.assets import phi_raw
    from clarioscope_pipeline.definitions import defs

    instance, artifacts = trained
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert first.total_requested == 0  # everything is up to date
    store = ArtifactStoreResource(root=str(artifacts.root))
    resources = {
        "store": store,
        "clarioscope_data": ClarioscopeData(seed=1),
        "llm": LLMResource(provider="local"),
    }
    assert dg.materialize([phi_raw], resources=resources, instance=instance).success
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    requested = {r.key.to_user_string() for r in result.results if r.true_subset.size}
    assert requested == {"phi_cleaned", "phi_dataset", "phi_model", "clarioscope_leaderboard"}
