"""JSON-lines input and output of the predict / redact commands, and the registry check of clause spans."""

import json

import pytest

from fedproc_pipeline.models.extraction import reported, validate_clauses
from pipeline_runtime.batch_io import InputLine, read_inputs, run_batch, write_outputs


def test_bad_lines_are_named_by_number_and_skipped(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "fine"}\n'
        b"\n"  # blank lines are not input
        b'{"id": "b", "text": "caf\xe9"}\n'  # Latin-1, not UTF-8
        b'["a list"]\n'
        b'{"id": "d", "text": "  "}\n'
        b'{"id": "e", "text": 42}\n'
        b'{"text": "no id"}\n'
        b"\x00\x01\x02\n"
        b'{"id": "h", "text": "last'
    )
    items, problems = read_inputs(path)
    assert items == [InputLine(1, "a", "fine"), InputLine(7, "7", "no id")]
    assert problems == [
        "line 3: not UTF-8 text",
        "line 4: not a JSON object",
        'line 5: no "text" string',
        'line 6: no "text" string',
        "line 8: binary data, not text",
        "line 9: not valid JSON",
    ]


def test_output_appears_whole_or_not_at_all(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n")

    def rows():
        yield {"id": "1"}
        raise RuntimeError("model crashed")

    with pytest.raises(RuntimeError):
        write_outputs(target, rows())
    assert target.read_text() == "previous\n" and len(list(tmp_path.iterdir())) == 1
    assert write_outputs(target, [{"id": "1", "text": "é"}]) == 1
    assert json.loads(target.read_text()) == {"id": "1", "text": "é"}


def test_run_batch_predicts_in_batches_and_reports_counts(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"id": str(i), "text": f"t{i}"}) for i in range(5)) + "\n")
    seen = []

    def predict(batch):
        seen.append(len(batch))
        return [{"id": item.id, "n": len(item.text)} for item in batch]

    assert run_batch(str(source), str(tmp_path / "out.jsonl"), predict, batch_size=2, label="predict") == 0
    assert seen == [2, 2, 1]
    assert "5 written" in capsys.readouterr().err


def test_clause_numbers_not_in_the_registry_are_flagged_and_not_reported():
    text = "Per FAR 52.219-9 and 52.299-77, DFARS 252.204\u20137012 applies."
    spans = [
        {"start": 8, "end": 16, "label": "CLAUSE"},
        {"start": 21, "end": 30, "label": "CLAUSE"},
        {"start": 38, "end": 50, "label": "CLAUSE"},
    ]
    clauses = validate_clauses(text, spans, {"52.219-9", "252.204-7012"})
    assert [(c["text"], c["number"], c["valid"]) for c in clauses] == [
        ("52.219-9", "52.219-9", True),
        ("52.299-77", "52.299-77", False),
        ("252.204\u20137012", "252.204-7012", True),
    ]
    assert [c["number"] for c in reported(clauses)] == ["52.219-9", "252.204-7012"]
    # The registry numbers are stated in the text; the invented one is only the model's.
    assert [c["source"] for c in clauses] == ["stated", "model", "stated"]


def test_stated_clauses_are_reported_where_the_model_found_nothing():
    text = "Clauses 52.222-35, -36 and -37 and 52.2\n12-4 apply."
    registry = {"52.222-35", "52.222-36", "52.222-37", "52.212-4"}
    clauses = validate_clauses(text, [], registry)
    assert [(c["text"], c["number"], c["source"]) for c in reported(clauses)] == [
        ("52.222-35", "52.222-35", "stated"),
        ("-36", "52.222-36", "stated"),
        ("-37", "52.222-37", "stated"),
        ("52.2\n12-4", "52.212-4", "stated"),
    ]
