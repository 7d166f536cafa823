"""One shared encoder with one head per task, saved without pickles.

A :class:`MultiTaskModel` has, per :class:`Head`, either a classification head over the first token
(``softmax``: one label; ``sigmoid``: independent labels with per-label thresholds) or a token head
(``tokens``: IOB2 tags per token). The loss is the mean over heads of each head's loss on the windows
whose ``task_mask`` switches it on, so a record labelled for one task never teaches the others a wrong answer.

On disk: ``config.json`` (the encoder's own config), ``heads.json`` (tasks, labels, thresholds),
``model.safetensors`` (every weight), and the tokenizer files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch
from safetensors.torch import load_model, save_model
from torch import nn
from transformers import AutoConfig, AutoModel, AutoTokenizer

from slmkit.modeling.encoding import IGNORE

HEADS_FILE = "heads.json"
WEIGHTS_FILE = "model.safetensors"


@dataclass
class Head:
    name: str
    kind: Literal["softmax", "sigmoid", "tokens"]
    labels: list[str]
    """Class names (softmax, sigmoid) or IOB2 tags (tokens)."""
    thresholds: dict[str, float] = field(default_factory=dict)
    """Sigmoid heads: probability above which a label is predicted (tuned on validation)."""


class MultiTaskModel(nn.Module):
    encoder: Any  # a transformers encoder (BertModel, ModernBertModel, ...)

    def __init__(self, encoder: Any, heads: Sequence[Head], dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.heads = list(heads)
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.outputs = nn.ModuleDict({h.name: nn.Linear(hidden, len(h.labels)) for h in self.heads})

    @property
    def config(self) -> Any:
        return self.encoder.config

    def forward(self, **inputs: torch.Tensor) -> dict[str, torch.Tensor]:
        hidden = self.dropout(self.encoder(**inputs).last_hidden_state)
        logits = {}
        for head in self.heads:
            features = hidden if head.kind == "tokens" else hidden[:, 0]
            logits[head.name] = self.outputs[head.name](features)
        return logits

    def loss(
        self, logits: Mapping[str, torch.Tensor], targets: Mapping[str, torch.Tensor], mask: torch.Tensor
    ) -> torch.Tensor:
        """Mean over heads of each head's loss on the windows whose ``mask[:, head]`` is on."""
        losses = []
        for i, head in enumerate(self.heads):
            on = mask[:, i]
            if not bool(on.any()):
                continue
            out, target = logits[head.name][on].float(), targets[head.name][on]
            if head.kind == "softmax":
                losses.append(nn.functional.cross_entropy(out, target))
            elif head.kind == "sigmoid":
                losses.append(nn.functional.binary_cross_entropy_with_logits(out, target.float()))
            elif bool((target != IGNORE).any()):  # all-ignored tokens would make the mean NaN
                losses.append(
                    nn.functional.cross_entropy(
                        out.reshape(-1, out.shape[-1]), target.reshape(-1), ignore_index=IGNORE
                    )
                )
        if not losses:
            return logits[self.heads[0].name].sum() * 0.0
        return torch.stack(losses).mean()

    def save(self, directory: str | Path, tokenizer: Any) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.encoder.config.save_pretrained(directory)
        tokenizer.save_pretrained(directory)
        (directory / HEADS_FILE).write_text(json.dumps([asdict(h) for h in self.heads], indent=2) + "\n")
        save_model(self, str(directory / WEIGHTS_FILE))


def new_model(base_model: str, heads: Sequence[Head]) -> tuple[MultiTaskModel, Any]:
    """A model on a pretrained encoder (a hub id or a local folder) and its tokenizer."""
    return MultiTaskModel(AutoModel.from_pretrained(base_model), heads), AutoTokenizer.from_pretrained(
        base_model
    )


def load(directory: str | Path) -> tuple[MultiTaskModel, Any]:
    """A saved model and its tokenizer, from safetensors and JSON only."""
    directory = Path(directory)
    heads = [Head(**h) for h in json.loads((directory / HEADS_FILE).read_text())]
    encoder = AutoModel.from_config(AutoConfig.from_pretrained(directory))
    model = MultiTaskModel(encoder, heads)
    load_model(model, str(directory / WEIGHTS_FILE))
    return model.eval(), AutoTokenizer.from_pretrained(directory)
