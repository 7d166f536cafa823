import io
from concurrent.futures import ThreadPoolExecutor

import matplotlib.pyplot as plt
import pytest
from PIL import Image  # Pillow is a dependency of matplotlib

from slmkit.metrics import (
    bar_chart_png,
    classification_report,
    confusion_matrix_png,
    cost_per_1000,
    entity_report,
    entity_report_from_spans,
    hallucination_rate,
    latency_summary,
    markdown_table,
    multilabel_report,
    per_class_markdown,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _scores(entry: dict) -> tuple:
    return (
        pytest.approx(entry["precision"]),
        pytest.approx(entry["recall"]),
        pytest.approx(entry["f1"]),
        entry["support"],
    )


# --- classification ---

# a a a b b c  (gold)
# a a b b c c  (pred)
# a: TP 2, predicted 2, gold 3 → P 1,   R 2/3, F1 2·1·(2/3)/(5/3) = 4/5
# b: TP 1, predicted 2, gold 2 → P 1/2, R 1/2, F1 1/2
# c: TP 1, predicted 2, gold 1 → P 1/2, R 1,   F1 2·(1/2)·1/(3/2) = 2/3
# d: never seen                → all zero (zero_division=0), left out of the macro average
# accuracy 4/6 = 60/90; macro (4/5 + 1/2 + 2/3)/3 = 59/90; weighted (3·4/5 + 2·1/2 + 1·2/3)/6 = 61/90
GOLD = ["a", "a", "a", "b", "b", "c"]
PRED = ["a", "a", "b", "b", "c", "c"]


def test_classification_report_hand_computed():
    report = classification_report(GOLD, PRED, ["a", "b", "c", "d"])
    assert report["n"] == 6
    assert report["accuracy"] == pytest.approx(60 / 90)
    assert report["macro_f1"] == pytest.approx(59 / 90)
    assert report["weighted_f1"] == pytest.approx(61 / 90)
    assert list(report["per_class"]) == ["a", "b", "c", "d"]
    pc = report["per_class"]
    assert (pc["a"]["precision"], pc["a"]["recall"], pc["a"]["support"]) == (1.0, pytest.approx(2 / 3), 3)
    assert pc["a"]["f1"] == pytest.approx(4 / 5)
    assert _scores(pc["b"]) == (0.5, 0.5, 0.5, 2)
    assert _scores(pc["c"]) == (0.5, 1.0, pytest.approx(2 / 3), 1)
    assert pc["d"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    # plain Python numbers, ready for JSON metadata
    assert type(report["accuracy"]) is float and type(pc["a"]["support"]) is int


def test_classification_prediction_outside_labels_is_wrong():
    # gold a b; pred a "maybe": a P 1 R 1 F1 1; b P 0 (never predicted) R 0 → macro 1/2, accuracy 1/2
    report = classification_report(["a", "b"], ["a", "maybe"], ["a", "b"])
    assert report["accuracy"] == 0.5
    assert report["macro_f1"] == 0.5
    assert "maybe" not in report["per_class"]


def test_classification_rejects_bad_input():
    with pytest.raises(ValueError, match="gold labels not in labels"):
        classification_report(["a", "x"], ["a", "a"], ["a", "b"])
    with pytest.raises(ValueError, match="2 gold items but 1"):
        classification_report(["a", "a"], ["a"], ["a"])
    with pytest.raises(ValueError, match="duplicate"):
        classification_report(["a"], ["a"], ["a", "a"])


def test_classification_empty():
    report = classification_report([], [], ["a"])
    assert report["n"] == 0 and report["accuracy"] == 0.0 and report["per_class"]["a"]["support"] == 0


# --- multi-label ---


# record  gold     pred     exact?
# 0       {x, y}   {x}      no
# 1       {}       {}       yes  (empty is a valid answer)
# 2       {z}      {y, z}   no
# 3       {x}      {x}      yes  → samples_accuracy 2/4
# x: TP 2, pred 2, gold 2 → 1 1 1;  y: TP 0, pred 1, gold 1 → 0 0 0;  z: TP 1, pred 1, gold 1 → 1 1 1
# micro: TP 3 of 4 predicted, 4 gold → P = R = F1 = 3/4; macro over x, y, z (w unseen) = 2/3
def test_multilabel_report_hand_computed():
    gold = [["x", "y"], [], ["z"], ["x"]]
    pred = [["x"], [], ["y", "z"], ["x"]]
    report = multilabel_report(gold, pred, ["w", "x", "y", "z"])
    assert report["n"] == 4
    assert report["samples_accuracy"] == 0.5
    assert report["micro_f1"] == pytest.approx(0.75)
    assert report["macro_f1"] == pytest.approx(2 / 3)
    pc = report["per_class"]
    assert list(pc) == ["w", "x", "y", "z"]
    assert _scores(pc["x"]) == (1.0, 1.0, 1.0, 2)
    assert _scores(pc["y"]) == (0.0, 0.0, 0.0, 1)
    assert _scores(pc["z"]) == (1.0, 1.0, 1.0, 1)
    assert pc["w"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_multilabel_unknown_prediction_and_all_empty():
    # "q" is not a label: it is no false positive for any class, but the set no longer matches exactly
    report = multilabel_report([["x"], []], [["x", "q"], []], ["x"])
    assert report["micro_f1"] == 1.0
    assert report["samples_accuracy"] == 0.5
    # nothing applies anywhere and nothing predicted: exact matches, F1 undefined → 0 (zero_division=0)
    report = multilabel_report([[], []], [[], []], ["x"])
    assert report["samples_accuracy"] == 1.0
    assert report["micro_f1"] == 0.0 and report["macro_f1"] == 0.0
    with pytest.raises(ValueError, match="gold labels not in labels"):
        multilabel_report([["nope"]], [[]], ["x"])


def test_multilabel_single_label():
    # scikit-learn would read a one-column matrix as a binary target (scores for "absent" and "present")
    # x: gold in record 0 only, predicted in both → P 1/2, R 1, F1 2/3 — the same as next to another label
    only_x = multilabel_report([["x"], []], [["x"], ["x"]], ["x"])
    assert _scores(only_x["per_class"]["x"]) == (0.5, 1.0, pytest.approx(2 / 3), 1)
    assert only_x["micro_f1"] == pytest.approx(2 / 3)
    with_y = multilabel_report([["x"], []], [["x"], ["x"]], ["x", "y"])
    assert with_y["per_class"]["x"] == only_x["per_class"]["x"]


def test_multilabel_empty_and_bad_labels():
    report = multilabel_report([], [], ["x"])
    assert report["n"] == 0 and report["samples_accuracy"] == 0.0 and report["per_class"]["x"]["support"] == 0
    with pytest.raises(ValueError, match="labels must not be empty"):
        multilabel_report([[]], [[]], [])


# --- entities (seqeval, strict IOB2) ---


def test_entity_report_strict_hand_computed():
    gold = [
        ["B-PER", "I-PER", "O", "B-LOC"],  # both predicted exactly: PER TP, LOC TP
        ["B-PER", "I-PER", "O", "O"],  # predicted one token short: PER FP and PER FN
        ["O", "B-LOC", "O"],  # predicted as a stray I-LOC: no entity under strict → LOC FN
        ["B-ORG", "O"],  # predicted with the wrong type: ORG FN and LOC FP
    ]
    pred = [
        ["B-PER", "I-PER", "O", "B-LOC"],
        ["B-PER", "O", "O", "O"],
        ["O", "I-LOC", "O"],
        ["B-LOC", "O"],
    ]
    # PER: TP 1, pred 2, gold 2 → 1/2 1/2 1/2;  LOC: TP 1, pred 2, gold 2 → 1/2 1/2 1/2;  ORG: 0 0 0 (gold 1)
    # micro: TP 2, predicted 4, gold 5 → P 1/2, R 2/5, F1 2·(1/2)(2/5)/(9/10) = 4/9
    # macro: (1/2 + 1/2 + 0)/3 = 1/3
    report = entity_report(gold, pred)
    assert report["n"] == 4
    assert report["precision"] == pytest.approx(0.5)
    assert report["recall"] == pytest.approx(0.4)
    assert report["f1"] == pytest.approx(4 / 9)
    assert report["macro_f1"] == pytest.approx(1 / 3)
    assert list(report["per_entity"]) == ["LOC", "ORG", "PER"]
    assert _scores(report["per_entity"]["PER"]) == (0.5, 0.5, 0.5, 2)
    assert _scores(report["per_entity"]["LOC"]) == (0.5, 0.5, 0.5, 2)
    assert _scores(report["per_entity"]["ORG"]) == (0.0, 0.0, 0.0, 1)


def test_entity_boundary_error_is_false_positive_and_false_negative():
    # one gold entity, one predicted entity, zero overlap credit: P 0/1, R 0/1
    report = entity_report([["B-PER", "I-PER"]], [["B-PER", "O"]])
    assert (report["precision"], report["recall"], report["f1"]) == (0.0, 0.0, 0.0)
    assert report["per_entity"]["PER"]["support"] == 1


def test_entity_stray_inside_tag_is_no_entity_in_strict_mode():
    # the default (conlleval) mode would read I-LOC as a LOC entity and score F1 1.0
    report = entity_report([["O", "B-LOC"]], [["O", "I-LOC"]])
    assert report["f1"] == 0.0 and report["precision"] == 0.0
    # ... and I-LOC with nothing to continue also starts nothing when it is the gold side
    report = entity_report([["O", "I-LOC"]], [["O", "O"]])
    assert report["per_entity"] == {} and report["recall"] == 0.0


def test_entity_predicted_only_type_and_no_entities():
    report = entity_report([["O", "O"]], [("B-MISC", "O")])  # tuples work too
    assert report["per_entity"] == {"MISC": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}}
    report = entity_report([["O"], []], [["O"], []])
    assert report == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "macro_f1": 0.0, "n": 2, "per_entity": {}}


@pytest.mark.parametrize("bad", ["B", "b-PER", "E-PER", "B-", ""])
def test_entity_rejects_malformed_tags(bad):
    with pytest.raises(ValueError, match="not an IOB2 tag"):
        entity_report([["O"]], [[bad]])


def test_entity_rejects_length_mismatch():
    with pytest.raises(ValueError, match="sequence 1: 2 gold tags but 1 predicted"):
        entity_report([["O"], ["O", "O"]], [["O"], ["O"]])


TEXT = "Patient Jane Smith called from Boston."
NAME = {"start": TEXT.index("Jane"), "end": TEXT.index(" called"), "label": "NAME"}  # two tokens
CITY = {"start": TEXT.index("Boston"), "end": TEXT.index("."), "label": "CITY"}


def test_entity_report_from_spans_round_trip():
    texts = [TEXT, "No entities here."]
    report = entity_report_from_spans(texts, [[NAME, CITY], []], [[CITY, NAME], []])
    assert (report["precision"], report["recall"], report["f1"], report["n"]) == (1.0, 1.0, 1.0, 2)
    assert report["per_entity"]["NAME"]["support"] == 1
    assert report["per_entity"]["CITY"]["support"] == 1


def test_entity_report_from_spans_partial_and_misaligned():
    jane = {"start": NAME["start"], "end": NAME["start"] + 4, "label": "NAME"}  # first token only
    report = entity_report_from_spans([TEXT], [[NAME]], [[jane]])
    assert report["per_entity"]["NAME"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    # "Jane Smi" ends inside "Smith": expand grows it to the gold span; drop loses it (a miss, no FP)
    jane_smi = {"start": NAME["start"], "end": NAME["end"] - 2, "label": "NAME"}
    assert entity_report_from_spans([TEXT], [[NAME]], [[jane_smi]])["f1"] == 1.0
    dropped = entity_report_from_spans([TEXT], [[NAME]], [[jane_smi]], misaligned="drop")
    assert (dropped["precision"], dropped["recall"]) == (0.0, 0.0)
    with pytest.raises(ValueError, match="1 texts, 1 gold and 0 predicted"):
        entity_report_from_spans([TEXT], [[NAME]], [])


# --- operational numbers ---


def test_hallucination_rate():
    registry = ["A1", "B2", "C3"]
    # A1 known, B2 known, A1 known again, ZZ unknown → 1 of 4
    assert hallucination_rate(["A1", "B2", "A1", "ZZ"], registry) == {
        "predicted": 4,
        "not_in_registry": 1,
        "rate": 0.25,
    }
    assert hallucination_rate(["ZZ", "ZZ", "a1"], set(registry))["rate"] == 1.0  # repeats count; exact match
    assert hallucination_rate([], registry) == {"predicted": 0, "not_in_registry": 0, "rate": 0.0}


def test_latency_summary():
    # ms 100 200 300 400 1000: p50 = 300; p95 at rank 0.95·4 = 3.8 → 400 + 0.8·600 = 880; mean 2000/5 = 400
    summary = latency_summary([0.1, 0.2, 0.3, 0.4, 1.0])
    assert summary["n"] == 5
    assert summary["p50_ms"] == pytest.approx(300)
    assert summary["p95_ms"] == pytest.approx(880)
    assert summary["mean_ms"] == pytest.approx(400)
    assert latency_summary([0.25]) == {"n": 1, "p50_ms": 250.0, "p95_ms": 250.0, "mean_ms": 250.0}
    assert latency_summary([]) == {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None}


def test_cost_per_1000():
    assert cost_per_1000(2.5, 500) == pytest.approx(5.0)
    assert cost_per_1000(0.0, 0) is None
    with pytest.raises(ValueError):
        cost_per_1000(1.0, -1)


# --- markdown ---


def test_markdown_table():
    rows = [
        {"model": "small|v2", "f1": 0.81234, "calls": 120, "cost": None},
        {"model": "large", "f1": 0.9, "calls": 80},  # no "cost" key: shown like None
    ]
    assert markdown_table(rows) == (
        "| model | f1 | calls | cost |\n"
        "| --- | ---: | ---: | --- |\n"
        "| small\\|v2 | 0.812 | 120 | – |\n"
        "| large | 0.900 | 80 | – |"
    )
    assert markdown_table(rows, columns=["f1", "model"], floatfmt=".1f") == (
        "| f1 | model |\n| ---: | --- |\n| 0.8 | small\\|v2 |\n| 0.9 | large |"
    )
    assert markdown_table([], columns=["a"]) == "| a |\n| --- |"
    assert markdown_table([]) == ""


def test_per_class_markdown():
    per_class = classification_report(["a", "b"], ["a", "a"], ["a", "b"])["per_class"]
    # a: TP 1 of 2 predicted, gold 1 → P 0.5 R 1 F1 2/3;  b: never predicted → 0 0 0
    assert per_class_markdown(per_class) == (
        "| label | precision | recall | f1 | support |\n"
        "| --- | ---: | ---: | ---: | ---: |\n"
        "| a | 0.500 | 1.000 | 0.667 | 1 |\n"
        "| b | 0.000 | 0.000 | 0.000 | 1 |"
    )


# --- plots ---


def _image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_confusion_matrix_png_grows_with_classes():
    small = _image(confusion_matrix_png(GOLD, PRED, ["a", "b", "c"], "3 classes"))
    labels = [f"category_{i:02d}" for i in range(20)]
    gold = [labels[i % 20] for i in range(100)]
    pred = [labels[(i * 7) % 20] for i in range(100)]
    big = _image(confusion_matrix_png(gold, pred, labels, "20 classes"))
    assert big.width > small.width and big.height > small.height
    assert big.width >= 1000  # about half an inch per class
    assert len(small.getcolors(maxcolors=100_000) or []) > 10  # something was drawn


def test_plots_leave_pyplot_alone_and_are_thread_safe():
    labels = [f"c{i}" for i in range(6)]
    gold = [labels[i % 6] for i in range(60)]
    pred = [labels[(i * 5) % 6] for i in range(60)]
    open_figures = plt.get_fignums()
    expected = confusion_matrix_png(gold, pred, labels, "t")
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: confusion_matrix_png(gold, pred, labels, "t"), range(12)))
    assert all(r == expected for r in results)
    assert plt.get_fignums() == open_figures  # no figure was opened through pyplot's global registry


def test_bar_chart_png_grows_with_entries():
    three = _image(bar_chart_png({"m1": 0.8, "m2": 0.75, "m3": 0.5}, "Leaderboard", "macro F1"))
    twenty = _image(bar_chart_png({f"model-{i}": i / 20 for i in range(20)}, "Leaderboard", "macro F1"))
    assert twenty.height > three.height
    assert twenty.width == three.width
