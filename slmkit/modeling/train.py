"""The training loop shared by every model: AdamW, linear warm-up/decay, gradient clipping, bf16 on a
GPU, a validation score after each epoch and the best epoch's weights kept (not the last epoch's)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.utils.data import DataLoader
from transformers import get_linear_schedule_with_warmup
from transformers.trainer_pt_utils import LengthGroupedSampler

from slmkit.modeling.device import autocast, pick_device, set_seed
from slmkit.modeling.encoding import IGNORE

Batch = dict[str, torch.Tensor]


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 3
    batch_size: int = 16
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_steps: int | None = None
    """Stop after this many optimizer steps in all (smoke runs, tests); None: every epoch runs."""
    seed: int = 0
    log_every: int = 20
    group_by_length: bool = False
    """Batches of similar length (transformers' ``LengthGroupedSampler``) instead of a plain shuffle."""


@dataclass
class TrainResult:
    best_score: float
    best_epoch: int
    steps: int
    seconds: float
    device: str
    history: list[dict[str, float]] = field(default_factory=list)


def pad_collate(
    pad_token_id: int, token_keys: Sequence[str] = ()
) -> Callable[[Sequence[Mapping[str, Any]]], Batch]:
    """Batches of features: ``input_ids`` padded with the tokenizer's pad id, masks with 0, the
    per-token ``token_keys`` (token labels) with ``IGNORE``; every other key stacked as is."""
    pads = {"input_ids": pad_token_id, "attention_mask": 0, "token_type_ids": 0} | {
        k: IGNORE for k in token_keys
    }

    def collate(features: Sequence[Mapping[str, Any]]) -> Batch:
        width = max(len(f["input_ids"]) for f in features)
        batch: Batch = {}
        for key in features[0]:
            if key in pads:
                rows = [list(f[key]) + [pads[key]] * (width - len(f[key])) for f in features]
                batch[key] = torch.tensor(rows, dtype=torch.long)
            else:
                batch[key] = torch.tensor([f[key] for f in features])
        return batch

    return collate


def train(
    model: torch.nn.Module,
    features: Sequence[Mapping[str, Any]],
    *,
    collate: Callable[[Sequence[Mapping[str, Any]]], Batch],
    compute_loss: Callable[[torch.nn.Module, Batch], torch.Tensor],
    evaluate: Callable[[torch.nn.Module], float],
    settings: TrainSettings,
    log: Callable[[str], Any] = print,
) -> TrainResult:
    """Train ``model`` in place and leave it holding the weights of its best validation epoch."""
    if not features:
        raise ValueError("no training examples")
    set_seed(settings.seed)
    device = pick_device()
    model.to(device)
    generator = torch.Generator().manual_seed(settings.seed)
    # Similar lengths per batch pad less: short texts no longer wait for the longest of their batch.
    sampler = (
        LengthGroupedSampler(
            settings.batch_size, lengths=[len(f["input_ids"]) for f in features], generator=generator
        )
        if settings.group_by_length
        else None
    )
    loader: DataLoader[Any] = DataLoader(
        list(features),  # type: ignore[arg-type]
        batch_size=settings.batch_size,
        shuffle=sampler is None,
        sampler=sampler,
        collate_fn=collate,
        generator=None if sampler is not None else generator,
    )
    total = settings.epochs * len(loader)
    if settings.max_steps is not None:
        total = min(total, settings.max_steps)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=settings.learning_rate, weight_decay=settings.weight_decay
    )
    schedule = get_linear_schedule_with_warmup(optimizer, int(total * settings.warmup_ratio), total)
    log(f"training on {device.type}: {len(features)} windows, {total} steps, batch {settings.batch_size}")
    started, step = time.monotonic(), 0
    best_score, best_epoch, best_state = float("-inf"), 0, None
    history: list[dict[str, float]] = []
    for epoch in range(1, settings.epochs + 1):
        model.train()
        running = 0.0
        for batch in loader:
            batch = {k: v.to(device) for k, v in batch.items()}
            with autocast(device):
                loss = compute_loss(model, batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            running += loss.item()
            if step % settings.log_every == 0:
                eta = (time.monotonic() - started) / step * (total - step)
                log(
                    f"epoch {epoch}/{settings.epochs} step {step}/{total} "
                    f"loss {running / settings.log_every:.4f} eta {eta:.0f}s"
                )
                running = 0.0
            if step >= total:
                break
        model.eval()
        with torch.no_grad():
            score = evaluate(model)
        history.append({"epoch": epoch, "step": step, "validation_score": score})
        log(f"epoch {epoch} done: validation score {score:.4f}")
        if score >= best_score:  # on a tie the later epoch, which has seen more data, wins
            best_score, best_epoch = score, epoch
            best_state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        if step >= total:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return TrainResult(
        best_score, best_epoch, step, round(time.monotonic() - started, 1), device.type, history
    )
