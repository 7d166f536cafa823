"""Models applied to texts of any length: windows in, one answer per text out.

:class:`TextClassifier` and :class:`TokenTagger` wrap standard Hugging Face sequence / token
classification models (the directories ``transformers.pipeline`` loads as they are);
:class:`MultiTaskPredictor` wraps :class:`~slmkit.modeling.multitask.MultiTaskModel`. The window size and
stride a model was trained with are saved in its ``config.json`` (``windows``) and reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification, AutoTokenizer

from slmkit.modeling import multitask
from slmkit.modeling.device import autocast, pick_device
from slmkit.modeling.encoding import (
    EncodedTexts,
    WindowSettings,
    decode_spans,
    encode,
    pool_windows,
    word_probabilities,
)
from slmkit.modeling.train import pad_collate
from slmkit.spans import Span


def window_settings(config: Any) -> WindowSettings:
    saved = getattr(config, "windows", None) or {}
    return WindowSettings(**saved) if saved else WindowSettings()


def save_window_settings(config: Any, settings: WindowSettings, tokenizer: Any) -> None:
    """Record the windows in the model config; the tokenizer's ``model_max_length`` becomes the window
    size too, so ``transformers.pipeline`` reads the same number of tokens at a time as training did."""
    config.windows = asdict(settings)
    tokenizer.model_max_length = settings.max_length


def forward_windows(
    model: torch.nn.Module, encoded: EncodedTexts, pad_token_id: int, batch_size: int = 32
) -> dict[str, list[np.ndarray]]:
    """Softmax (sigmoid for ``sigmoid`` heads) outputs per window: ``{output: [array per window]}``;
    token outputs are cut to the window's real length. Plain HF models give one output, ``logits``."""
    device = next(model.parameters()).device
    collate = pad_collate(pad_token_id)
    kinds = {h.name: h.kind for h in getattr(model, "heads", [])}
    out: dict[str, list[np.ndarray]] = {}
    model.eval()
    for first in range(0, len(encoded), batch_size):
        rows = encoded.windows[first : first + batch_size]
        batch = {k: v.to(device) for k, v in collate(rows).items()}
        with torch.no_grad(), autocast(device):
            result = model(**batch)
        logits = result if isinstance(result, dict) else {"logits": result.logits}
        for name, values in logits.items():
            values = values.float()
            probs = torch.sigmoid(values) if kinds.get(name) == "sigmoid" else torch.softmax(values, dim=-1)
            arrays = probs.cpu().numpy()
            for i, row in enumerate(rows):
                array = arrays[i]
                out.setdefault(name, []).append(array[: len(row["input_ids"])] if array.ndim == 2 else array)
    return out


class _Predictor:
    model: Any  # a transformers model, or a MultiTaskModel

    def __init__(
        self, model: torch.nn.Module, tokenizer: Any, settings: WindowSettings, batch_size: int = 32
    ):
        self.model, self.tokenizer, self.settings, self.batch_size = model, tokenizer, settings, batch_size

    def _run(self, texts: Sequence[str]) -> tuple[EncodedTexts, dict[str, list[np.ndarray]]]:
        encoded = encode(self.tokenizer, texts, self.settings)
        if not len(encoded):
            return encoded, {}
        return encoded, forward_windows(
            self.model, encoded, self.tokenizer.pad_token_id or 0, self.batch_size
        )


class TextClassifier(_Predictor):
    @classmethod
    def load(cls, directory: str | Path) -> TextClassifier:
        model = AutoModelForSequenceClassification.from_pretrained(directory).to(pick_device())
        return cls(model, AutoTokenizer.from_pretrained(directory), window_settings(model.config))

    @property
    def labels(self) -> list[str]:
        return [self.model.config.id2label[i] for i in range(self.model.config.num_labels)]

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """``(label, max softmax probability)`` per text; windows of a long text are averaged."""
        if not texts:
            return []
        encoded, out = self._run(texts)
        probs = pool_windows(encoded, np.stack(out["logits"]))
        labels = self.labels
        return [(labels[int(p.argmax())], round(float(p.max()), 4)) for p in probs]


class TokenTagger(_Predictor):
    @classmethod
    def load(cls, directory: str | Path) -> TokenTagger:
        model = AutoModelForTokenClassification.from_pretrained(directory).to(pick_device())
        return cls(model, AutoTokenizer.from_pretrained(directory), window_settings(model.config))

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        if not texts:
            return []
        encoded, out = self._run(texts)
        tags = [self.model.config.id2label[i] for i in range(self.model.config.num_labels)]
        probs = word_probabilities(encoded, out.get("logits", []))
        return [
            decode_spans(text, offsets, p, tags)
            for text, offsets, p in zip(texts, encoded.word_offsets, probs, strict=True)
        ]


class MultiTaskPredictor(_Predictor):
    @classmethod
    def load(cls, directory: str | Path) -> MultiTaskPredictor:
        model, tokenizer = multitask.load(directory)
        return cls(model.to(pick_device()), tokenizer, window_settings(model.config))

    def predict(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        """Per text and head: softmax → ``{"label", "confidence"}`` (windows averaged); sigmoid →
        ``{"labels", "scores"}`` (a label's highest window score, labels over their thresholds); tokens → a
        list of spans."""
        results: list[dict[str, Any]] = [{} for _ in texts]
        if not texts:
            return results
        encoded, out = self._run(texts)
        for head in self.model.heads:
            if head.kind == "tokens":
                probs = word_probabilities(encoded, out[head.name])
                for i, (text, offsets) in enumerate(zip(texts, encoded.word_offsets, strict=True)):
                    results[i][head.name] = decode_spans(text, offsets, probs[i], head.labels)
                continue
            pooled = pool_windows(
                encoded, np.stack(out[head.name]), "max" if head.kind == "sigmoid" else "mean"
            )
            for i, p in enumerate(pooled):
                if head.kind == "softmax":
                    results[i][head.name] = {
                        "label": head.labels[int(p.argmax())],
                        "confidence": round(float(p.max()), 4),
                    }
                else:
                    scores = {label: round(float(s), 4) for label, s in zip(head.labels, p, strict=True)}
                    chosen = [
                        label for label in head.labels if scores[label] >= head.thresholds.get(label, 0.5)
                    ]
                    results[i][head.name] = {"labels": chosen, "scores": scores}
        return results
