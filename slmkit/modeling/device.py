"""Where models run: the GPU when there is one (bf16 where it supports it), else the CPU."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

import torch
import transformers


def pick_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast(device: torch.device) -> AbstractContextManager:
    """bf16 autocast on a GPU that supports it; full precision on the CPU (bf16 there is slower)."""
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return nullcontext()


def set_seed(seed: int) -> None:
    """Python, NumPy and torch (all devices) seeded at once."""
    transformers.set_seed(seed)
