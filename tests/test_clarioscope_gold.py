"""Human gold sets: the project's JSONL and Label Studio exports load into one shape; anything wrong stops the
whole load with problems that name the file and line (never the message text); the committed hand-written
set loads and its markup sources convert exactly."""

import json
import re
from pathlib import Path

import pytest

from clarioscope_pipeline.gold import GoldSetError, gold_summary, load_gold

TEXT = "hi its Ana Ruiz, my bcbs member id is XQJ4412290 can i come tues at 3pm"
SECRET = "Ana Ruiz"


def _span(value: str, label: str) -> dict:
    start = TEXT.index(value)
    return {"start": start, "end": start + len(value), "label": label}


def _record(**extra) -> dict:
    return {
        "id": "m1",
        "text": TEXT,
        "intent": "appointment_request",
        "channel": "sms",
        "phi": [_span("Ana Ruiz", "NAME"), _span("XQJ4412290", "HEALTH_PLAN")],
        "insurance": [_span("bcbs", "CARRIER"), _span("XQJ4412290", "MEMBER_ID")],
        **extra,
    }


def _write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _label_studio_task(task_id: int = 7) -> dict:
    def result(value: str, label: str, layer: str | None) -> dict:
        span = _span(value, label)
        out = {"type": "labels", "value": {**span, "text": value, "labels": [label]}}
        out.pop("label", None)
        out["value"].pop("label")
        return out | ({"from_name": layer} if layer else {"from_name": "label"})

    return {
        "id": task_id,
        "data": {"text": TEXT, "channel": "sms"},
        "annotations": [
            {"was_cancelled": True, "result": []},
            {
                "result": [
                    result("Ana Ruiz", "NAME", "phi"),
                    result("XQJ4412290", "HEALTH_PLAN", "phi"),
                    result("XQJ4412290", "MEMBER_ID", "insurance"),
                    result("bcbs", "CARRIER", None),  # no layer named: the label decides
                    {"type": "choices", "from_name": "intent", "value": {"choices": ["appointment_request"]}},
                ]
            },
        ],
    }


def test_jsonl_and_label_studio_give_the_same_record(tmp_path):
    [from_jsonl] = load_gold(_write_jsonl(tmp_path / "g.jsonl", [_record()]))
    export = tmp_path / "ls.json"
    export.write_text(json.dumps([_label_studio_task()]))
    [from_studio] = load_gold(export)
    assert from_studio["id"] == "7"
    assert {k: v for k, v in from_studio.items() if k != "id"} == {
        k: v for k, v in from_jsonl.items() if k != "id"
    }
    assert [TEXT[s["start"] : s["end"]] for s in from_jsonl["insurance"]] == ["bcbs", "XQJ4412290"]


def test_a_folder_reads_every_gold_file_and_ids_must_be_unique(tmp_path):
    _write_jsonl(tmp_path / "a.jsonl", [_record()])
    (tmp_path / "b.json").write_text(json.dumps([_label_studio_task(8)]))
    (tmp_path / "notes.txt").write_text("ignored")
    assert [r["id"] for r in load_gold(tmp_path)] == ["m1", "8"]
    _write_jsonl(tmp_path / "c.jsonl", [_record()])
    with pytest.raises(GoldSetError, match=re.escape("c.jsonl:1: duplicate id 'm1'")):
        load_gold(tmp_path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "g.jsonl:2: not JSON"),
        (json.dumps(_record(id="m2", intent="small_talk")), "g.jsonl:2: unknown intent 'small_talk'"),
        (
            json.dumps(_record(id="m2", phi=[{"start": 5, "end": 500, "label": "NAME"}])),
            "g.jsonl:2: phi span 0",
        ),
        (json.dumps(_record(id="m2", insurance=[_span("bcbs", "CARIER")])), "unknown label 'CARIER'"),
        (json.dumps(_record(id="m2", phi=[_span("Ana Ruiz", "NAME"), _span("Ruiz", "NAME")])), "overlap"),
        (
            json.dumps(_record(id="m2", phi=[{"start": 6, "end": 15, "label": "NAME"}])),
            "whitespace at an edge",
        ),
        (json.dumps({"id": "m2", "intent": "complaint"}), "g.jsonl:2: no text"),
    ],
)
def test_a_bad_line_stops_the_load_names_the_line_and_never_the_text(tmp_path, line, message):
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(_record()) + "\n" + line + "\n")
    with pytest.raises(GoldSetError) as caught:
        load_gold(path)
    assert message in str(caught.value)
    assert SECRET not in str(caught.value) and "XQJ4412290" not in str(caught.value)


def test_bad_paths_and_bad_exports_say_what_is_wrong(tmp_path):
    with pytest.raises(GoldSetError, match="no such file"):
        load_gold(tmp_path / "missing.jsonl")
    (tmp_path / "g.csv").write_text("id,text\n")
    with pytest.raises(GoldSetError, match=r"expected a \.jsonl"):
        load_gold(tmp_path / "g.csv")
    export = tmp_path / "ls.json"
    export.write_text(json.dumps({"tasks": []}))
    with pytest.raises(GoldSetError, match="JSON list of tasks"):
        load_gold(export)
    task = _label_studio_task()
    task["annotations"][1]["result"][0]["value"]["labels"] = ["PATIENT"]
    export.write_text(json.dumps([task]))
    expected = "ls.json task 1: phi span 0 ('PATIENT' 7:15): unknown label 'PATIENT'"
    with pytest.raises(GoldSetError, match=re.escape(expected)):
        load_gold(export)


def test_summary_counts_without_text():
    summary = gold_summary([{"id": "m", "text": TEXT, **{k: v for k, v in _record().items() if k != "id"}}])
    assert summary["phi_spans"] == {"HEALTH_PLAN": 1, "NAME": 1}
    assert SECRET not in json.dumps(summary)


@pytest.mark.parametrize(
    ("name", "least"),
    [
        ("clarioscope_handwritten.jsonl", 200),
        ("clarioscope_heldout.jsonl", 80),
        ("clarioscope_heldout2.jsonl", 80),
        ("clarioscope_heldout3.jsonl", 80),
    ],
)
def test_the_committed_hand_written_sets_load_and_match_their_markup(name: str, least: int) -> None:
    from scripts.build_gold_set import GOLD, SETS, messages

    records = load_gold(GOLD / name)
    assert len(records) >= least
    summary = gold_summary(records)
    assert set(summary["channels"]) == {"sms", "voicemail", "email", "web_form", "portal_chat"}
    assert summary["without_entities"] >= least // 4  # many real messages carry no entity
    rebuilt = [r for source in sorted(GOLD.glob(SETS[name])) for r in messages(source)]
    assert [{k: r[k] for k in ("id", "text", "intent", "phi", "insurance")} for r in records] == [
        {k: r[k] for k in ("id", "text", "intent", "phi", "insurance")} for r in rebuilt
    ]
