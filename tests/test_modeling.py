"""The Dagster-free model core: windows and word alignment, decoding, the multi-task model (loss masking,
safetensors round trip, thresholds), the training loop's best-epoch rule, and a long message whose entity
sits past the first window."""

import random
from contextlib import nullcontext

import numpy as np
import pytest
import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer

from slmkit.modeling import device, multitask
from slmkit.modeling.encoding import (
    IGNORE,
    WindowSettings,
    decode_spans,
    encode,
    pool_windows,
    repair_iob2,
    token_labels,
    word_probabilities,
    word_tags,
)
from slmkit.modeling.predict import MultiTaskPredictor, TokenTagger, save_window_settings
from slmkit.modeling.train import TrainSettings, pad_collate, train

TAGS = ["O", "B-NAME", "I-NAME"]


@pytest.fixture(scope="module")
def tokenizer(tiny_base_model):
    return AutoTokenizer.from_pretrained(tiny_base_model)


def test_long_text_is_cut_into_overlapping_windows_and_every_word_is_kept(tokenizer):
    text = " ".join(f"word{i}" for i in range(400)) + " Jane Kowalczyk"
    encoded = encode(tokenizer, [text, "short"], WindowSettings(max_length=32, stride=8))
    windows_of_first = [w for w, s in enumerate(encoded.sample_of_window) if s == 0]
    assert len(windows_of_first) > 10 and encoded.sample_of_window[-1] == 1
    assert all(len(w["input_ids"]) <= 32 for w in encoded.windows)
    # Every word of the text is present, with exact character offsets.
    words = [text[s:e] for s, e in encoded.word_offsets[0]]
    assert words[-2:] == ["Jane", "Kowalczyk"] and len(words) == 402
    # Each word's first sub-token appears in some window.
    seen = {word for w in windows_of_first for word in encoded.word_at_token[w] if word is not None}
    assert seen == set(range(402))


def test_labels_sit_on_the_first_sub_token_of_each_word_only(tokenizer):
    text = "Patient Kowalczyk called"
    start = text.index("Kowalczyk")
    encoded = encode(tokenizer, [text], WindowSettings())
    tags = word_tags(encoded, [text], [[{"start": start, "end": start + 9, "label": "NAME"}]])
    assert tags == [["O", "B-NAME", "O"]]
    labels = token_labels(encoded, tags, {t: i for i, t in enumerate(TAGS)})[0]
    pieces = tokenizer.convert_ids_to_tokens(encoded.windows[0]["input_ids"])
    offsets = tokenizer(text, return_offsets_mapping=True)["offset_mapping"]
    name_pieces = [i for i, (s, e) in enumerate(offsets) if start <= s and e <= start + 9 and e > s]
    assert len(name_pieces) >= 2  # the name is split into sub-tokens
    assert [i for i, label in enumerate(labels) if label == 1] == [name_pieces[0]]
    assert all(labels[i] == IGNORE for i in name_pieces[1:])
    assert labels[0] == IGNORE and labels[-1] == IGNORE  # [CLS], [SEP]
    assert [labels[i] for i, p in enumerate(pieces) if p in ("patient", "called")] == [0, 0]


def test_window_outputs_are_averaged_per_text_and_per_word():
    from slmkit.modeling.encoding import EncodedTexts

    encoded = EncodedTexts(
        windows=[{"input_ids": [1, 2, 3]}, {"input_ids": [1, 2, 3]}, {"input_ids": [1, 2]}],
        sample_of_window=[0, 0, 1],
        word_at_token=[[None, 0, 1], [None, 1, None], [None, 0]],
        word_offsets=[[(0, 1), (2, 3)], [(0, 4)]],
    )
    pooled = pool_windows(encoded, np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.8]]))
    assert pooled.tolist() == [[0.5, 0.5], [0.2, 0.8]]
    probs = [
        np.array([[1, 0], [0.9, 0.1], [0.2, 0.8]]),
        np.array([[1, 0], [0.5, 0.5], [1, 0]]),
        np.array([[1, 0], [0.3, 0.7]]),
    ]
    words = word_probabilities(encoded, probs)
    assert words[0].tolist() == [[0.9, 0.1], [0.35, 0.65]]  # word 1: mean of its two windows
    assert words[1].tolist() == [[0.3, 0.7]]


def test_stray_inside_tags_start_an_entity_and_spans_carry_a_score():
    assert repair_iob2(["O", "I-NAME", "I-NAME", "B-LOC", "I-NAME"]) == [
        "O",
        "B-NAME",
        "I-NAME",
        "B-LOC",
        "B-NAME",
    ]
    text = "Call Ann Lee now"
    offsets = [(0, 4), (5, 8), (9, 12), (13, 16)]
    probs = np.array([[0.9, 0.05, 0.05], [0.2, 0.2, 0.6], [0.1, 0.1, 0.8], [0.7, 0.2, 0.1]])
    spans = decode_spans(text, offsets, probs, TAGS)
    assert spans == [{"start": 5, "end": 12, "label": "NAME", "text": "Ann Lee", "score": 0.7}]


def _tiny_tagger(base: str) -> TokenTagger:
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=3, id2label=dict(enumerate(TAGS)), label2id={t: i for i, t in enumerate(TAGS)}
    )
    windows = WindowSettings(max_length=64, stride=16)
    save_window_settings(model.config, windows, tokenizer)
    return TokenTagger(model, tokenizer, windows)


def test_an_entity_near_the_end_of_a_5000_character_message_is_found(tiny_base_model):
    """A tiny tagger learns to tag the word "zebra" as a NAME; in a 5,000-character message the word sits
    past the first window (the original models truncated there) and must still come back."""
    rng = random.Random(0)
    filler = ["the", "clinic", "called", "about", "my", "visit", "and", "bill", "today", "please"]
    texts, spans = [], []
    for _ in range(48):
        words = [rng.choice(filler) for _ in range(12)]
        words.insert(rng.randrange(12), "zebra")
        text = " ".join(words)
        start = text.index("zebra")
        texts.append(text)
        spans.append([{"start": start, "end": start + 5, "label": "NAME"}])
    tagger = _tiny_tagger(tiny_base_model)
    encoded = encode(tagger.tokenizer, texts, tagger.settings)
    labels = token_labels(encoded, word_tags(encoded, texts, spans), {t: i for i, t in enumerate(TAGS)})
    features = [dict(w, labels=label) for w, label in zip(encoded.windows, labels, strict=True)]
    train(
        tagger.model,
        features,
        collate=pad_collate(tagger.tokenizer.pad_token_id, token_keys=("labels",)),
        compute_loss=lambda m, b: m(**b).loss,
        evaluate=lambda _: 0.0,
        settings=TrainSettings(epochs=25, batch_size=16, learning_rate=3e-3, warmup_ratio=0.0),
        log=lambda _: None,
    )
    # only words the tagger has seen as O around "zebra": an unseen tail makes a tiny model's edges arbitrary
    long = " ".join(rng.choice(filler) for _ in range(1200))[:4950] + " about zebra and the bill today"
    assert len(long) >= 4960
    start = long.index("zebra")
    first_window_end = max(
        e for _, e in encode(tagger.tokenizer, [long], tagger.settings).word_offsets[0][:40]
    )
    assert start > first_window_end  # well past what one window (truncation) would read
    found = tagger.predict([long])[0]
    assert {"start": start, "end": start + 5, "label": "NAME"} in [
        {k: s[k] for k in ("start", "end", "label")} for s in found
    ]


def _multitask(base: str) -> tuple[multitask.MultiTaskModel, object]:
    heads = [
        multitask.Head("kind", "softmax", ["a", "b"]),
        multitask.Head("flags", "sigmoid", ["x", "y"], {"x": 0.5, "y": 0.99}),
        multitask.Head("spans", "tokens", TAGS),
    ]
    return multitask.new_model(base, heads)


def test_masked_off_heads_get_no_gradient(tiny_base_model):
    model, tokenizer = _multitask(tiny_base_model)
    batch = tokenizer(["hello there", "general notice"], return_tensors="pt", padding=True)
    logits = model(**batch)
    targets = {
        "kind": torch.tensor([0, 1]),
        "flags": torch.tensor([[1.0, 0.0], [0.0, 1.0]]),
        "spans": torch.full(batch["input_ids"].shape, IGNORE).index_fill_(1, torch.tensor([1]), 0),
    }
    mask = torch.tensor([[True, False, True], [False, False, True]])
    model.loss(logits, targets, mask).backward()
    assert model.outputs["kind"].weight.grad.abs().sum() > 0
    assert model.outputs["spans"].weight.grad.abs().sum() > 0
    assert model.outputs["flags"].weight.grad is None or model.outputs["flags"].weight.grad.abs().sum() == 0


def test_multitask_model_round_trips_through_safetensors_and_applies_thresholds(tiny_base_model, tmp_path):
    model, tokenizer = _multitask(tiny_base_model)
    save_window_settings(model.config, WindowSettings(max_length=32, stride=8), tokenizer)
    model.save(tmp_path / "m", tokenizer)
    assert not list((tmp_path / "m").glob("*.bin")) and (tmp_path / "m" / "model.safetensors").is_file()
    before = MultiTaskPredictor(model.eval(), tokenizer, WindowSettings(max_length=32, stride=8))
    after = MultiTaskPredictor.load(tmp_path / "m")
    texts = ["a short notice", "word " * 200]
    assert after.settings == WindowSettings(max_length=32, stride=8)
    first, second = before.predict(texts), after.predict(texts)
    for a, b in zip(first, second, strict=True):
        assert a["kind"] == b["kind"] and a["flags"]["scores"] == b["flags"]["scores"]
        # y's threshold of 0.99 is never reached by a random head; x's 0.5 decides by score.
        assert "y" not in b["flags"]["labels"]
        assert ("x" in b["flags"]["labels"]) == (b["flags"]["scores"]["x"] >= 0.5)


def test_training_keeps_the_weights_of_the_best_validation_epoch():
    model = torch.nn.Linear(1, 1)
    snapshots, scores = [], iter([0.2, 0.9, 0.1])

    def evaluate(m):
        snapshots.append(m.weight.detach().clone())
        return next(scores)

    features = [{"input_ids": [1], "x": [float(i)], "y": [2.0 * i]} for i in range(8)]
    result = train(
        model,
        features,
        collate=pad_collate(0),
        compute_loss=lambda m, b: torch.nn.functional.mse_loss(m(b["x"]), b["y"]),
        evaluate=evaluate,
        settings=TrainSettings(epochs=3, batch_size=4, learning_rate=0.05),
        log=lambda _: None,
    )
    assert result.best_epoch == 2 and result.best_score == 0.9 and result.steps == 6
    assert torch.equal(model.weight.detach(), snapshots[1]) and not torch.equal(snapshots[1], snapshots[2])


def test_the_gpu_is_picked_when_there_is_one(monkeypatch):
    assert device.pick_device().type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert isinstance(device.autocast(torch.device("cpu")), nullcontext)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert device.pick_device().type == "cuda"


def test_training_twice_with_one_seed_gives_the_same_weights(tiny_base_model, tmp_path):
    """Seeds are set before the new heads exist, so equal inputs give an equal model (and data version)."""
    from clarioscope_pipeline import datasets
    from clarioscope_pipeline.models.training import train_model
    from slmkit.provenance import folder_hash

    records = datasets.assign_splits(datasets.clean_records(datasets.raw_records("intent", "demo", 0))[0], 0)
    hashes = []
    for attempt in range(2):
        predictor, _ = train_model(
            "intent",
            records[:60],
            base_model=tiny_base_model,
            settings=TrainSettings(epochs=1, max_steps=2, seed=3),
            windows=WindowSettings(64, 16),
            log=lambda _: None,
        )
        predictor.model.save_pretrained(tmp_path / str(attempt))
        hashes.append(folder_hash(tmp_path / str(attempt)))
    assert hashes[0] == hashes[1]
