"""A durable, content-addressed cache of generation calls, one readable JSON file per key.

Key: sha256 of the canonical JSON of (provider, model, messages, parameters, schema name and JSON
schema, sample index) — see :meth:`GenerationRequest.key_material`. File:
``<prefix>/<key[:2]>/<key[2:4]>/<key>.json``, written atomically through the artifact store, holding
the key material, the final outcome (parsed output or the drop reason), every attempt's response
JSON, tokens in/out, latency and a UTC timestamp. Nothing secret is ever stored: requests carry
no credentials and provider responses do not echo them.
"""

from __future__ import annotations

import json
from typing import Any

from slmkit.storage import ArtifactStore

CACHE_FORMAT = 1


class ResponseCache:
    def __init__(self, store: ArtifactStore, prefix: str = "llm_cache"):
        self.store = store
        self.prefix = prefix.strip("/")

    def __repr__(self) -> str:
        return f"ResponseCache(store={self.store!r}, prefix={self.prefix!r})"

    def relpath(self, key: str) -> str:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"not a sha256 hex key: {key!r}")
        return f"{self.prefix}/{key[:2]}/{key[2:4]}/{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry for ``key``, or None. An unreadable file (never left by the atomic writer,
        but possibly edited by hand) counts as a miss and is overwritten on the next put."""
        try:
            entry = self.store.read_json(self.relpath(key))
        except (OSError, json.JSONDecodeError):  # FileNotFoundError included: a miss
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
            return None
        return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self.store.write_json(self.relpath(key), {**entry, "format": CACHE_FORMAT, "key": key})

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return self.store.count(self.prefix, ".json")
