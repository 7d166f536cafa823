"""Content hashes that identify what an asset produced, independent of file encoding details."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def records_hash(records: Iterable[Mapping[str, Any]]) -> str:
    """Hash of records as canonical JSON lines, in the order given (callers sort first)."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def folder_hash(folder: Path, exclude: Iterable[str] = ()) -> str:
    """Hash of every file's name and bytes below ``folder`` (sorted, streamed), ``exclude`` names left out."""
    skip = set(exclude)
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in skip):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
