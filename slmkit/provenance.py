"""Content hashes that identify what an asset produced, independent of file encoding details."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
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
