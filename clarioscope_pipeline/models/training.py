"""Train and evaluate one ClarioScope model (intent: sequence classification; phi / insurance: token
classification). Dagster-free; the assets call these."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification, AutoTokenizer

from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES, bio_tags
from slmkit import metrics
from slmkit.modeling.device import set_seed
from slmkit.modeling.encoding import IGNORE, WindowSettings, encode, token_labels, word_tags
from slmkit.modeling.predict import TextClassifier, TokenTagger, save_window_settings
from slmkit.modeling.train import TrainResult, TrainSettings, pad_collate, train

ENTITY_TYPES = {"phi": PHI_TYPES, "insurance": INSURANCE_FIELDS}
O_WEIGHT = 0.3
"""Loss weight of the ``O`` tag against 1 for entity tags. Most intake messages carry few or no entities, and
at full weight a short CPU schedule settles on tagging everything ``O`` (measured: the insurance tagger scored
validation F1 0.000 after 2 epochs over 1,800 messages)."""
REVIEW_BELOW = 0.6
"""Intent confidence (max softmax) under which a message is flagged ``needs_review``."""


def model_name(task: str) -> str:
    return f"clarioscope-{task}"


def labels_of(task: str) -> list[str]:
    return list(INTENTS) if task == "intent" else bio_tags(ENTITY_TYPES[task])


def split(records: Sequence[Mapping[str, Any]], name: str) -> list[Mapping[str, Any]]:
    return [r for r in records if r["split"] == name]


def score(task: str, predictor: TextClassifier | TokenTagger, records: Sequence[Mapping[str, Any]]) -> float:
    """The model-selection score: intent macro-F1, or entity micro-F1 (seqeval strict IOB2)."""
    texts = [str(r["text"]) for r in records]
    if isinstance(predictor, TextClassifier):
        predicted = [label for label, _ in predictor.predict(texts)]
        return metrics.classification_report([str(r["intent"]) for r in records], predicted, INTENTS)[
            "macro_f1"
        ]
    return evaluate_spans(texts, [list(r["spans"]) for r in records], predictor.predict(texts))["f1"]


def model_loss(model: Any, batch: Any) -> Any:
    return model(**batch).loss


def outside_weighted_loss(num_labels: int, o_weight: float) -> Callable[[Any, Any], Any]:
    """Token cross-entropy with the ``O`` tag (id 0, see ``bio_tags``) weighted ``o_weight``."""
    weight = torch.ones(num_labels)
    weight[0] = o_weight

    def loss(model: Any, batch: Any) -> Any:
        labels = batch["labels"]
        logits = model(**{k: v for k, v in batch.items() if k != "labels"}).logits
        return torch.nn.functional.cross_entropy(
            logits.view(-1, num_labels), labels.view(-1), weight=weight.to(logits.device), ignore_index=IGNORE
        )

    return loss


def train_model(
    task: str,
    records: Sequence[Mapping[str, Any]],
    *,
    base_model: str,
    settings: TrainSettings,
    windows: WindowSettings,
    log: Callable[[str], Any] = print,
) -> tuple[TextClassifier | TokenTagger, TrainResult]:
    """Fine-tune ``base_model`` on the train split, pick the best epoch on val; the model stays in memory
    (save it with ``predictor.model.save_pretrained`` and ``predictor.tokenizer.save_pretrained``)."""
    labels = labels_of(task)
    ids = {label: i for i, label in enumerate(labels)}
    label_maps = {"id2label": dict(enumerate(labels)), "label2id": ids}
    set_seed(settings.seed)  # before the new heads are initialised
    tokenizer = AutoTokenizer.from_pretrained(base_model)
    train_records, val_records = split(records, "train"), split(records, "val")
    texts = [str(r["text"]) for r in train_records]
    encoded = encode(tokenizer, texts, windows)
    predictor: TextClassifier | TokenTagger
    if task == "intent":
        model = AutoModelForSequenceClassification.from_pretrained(
            base_model, num_labels=len(labels), **label_maps
        )
        targets: Sequence[Any] = [ids[train_records[s]["intent"]] for s in encoded.sample_of_window]
        collate = pad_collate(tokenizer.pad_token_id)
        predictor = TextClassifier(model, tokenizer, windows)
        compute_loss: Callable[[Any, Any], Any] = model_loss
    else:
        model = AutoModelForTokenClassification.from_pretrained(
            base_model, num_labels=len(labels), **label_maps
        )
        tags = word_tags(encoded, texts, [list(r["spans"]) for r in train_records])
        targets = token_labels(encoded, tags, ids)
        collate = pad_collate(tokenizer.pad_token_id, token_keys=("labels",))
        predictor = TokenTagger(model, tokenizer, windows)
        compute_loss = outside_weighted_loss(len(labels), O_WEIGHT)
    save_window_settings(model.config, windows, tokenizer)
    features = [dict(window, labels=target) for window, target in zip(encoded.windows, targets, strict=True)]
    result = train(
        model,
        features,
        collate=collate,
        compute_loss=compute_loss,
        evaluate=lambda _: score(task, predictor, val_records),
        settings=settings,
        log=log,
    )
    return predictor, result


def evaluate_spans(
    texts: Sequence[str],
    gold: Sequence[Sequence[Mapping[str, Any]]],
    predicted: Sequence[Sequence[Mapping[str, Any]]],
) -> dict[str, Any]:
    return metrics.entity_report_from_spans(
        list(texts), [list(g) for g in gold], [list(p) for p in predicted]
    )
