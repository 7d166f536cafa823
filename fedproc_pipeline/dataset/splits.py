"""Deterministic train/val/test split grouped by origin document (``doc_id``).

Every record of a document lands in one split, and documents that share a passage (the same text after
:func:`~slmkit.text.normalise`, e.g. a clause and its alternate repeating a paragraph) are one group, so no
text sits in two splits. Documents are stratified by the set of sources their records
come from (normally one source), ordered within each stratum by ``sha256(seed:doc_id)`` and cut by ``ratios``.
A stratum with at least 3 documents puts at least one in val and one in test, so every such source is present
in both. Shares are exact per stratum in *documents*; record shares drift when documents differ in record
count (regulation sections give several passages each): :func:`split_shares` reports both.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from slmkit.text import normalise

SPLITS = ("train", "val", "test")


def _order_key(seed: int, doc_id: str) -> str:
    return hashlib.sha256(f"{seed}:{doc_id}".encode()).hexdigest()


def _counts(n: int, ratios: tuple[float, float, float]) -> tuple[int, int, int]:
    """Documents per split for a stratum of ``n``: largest remainder, then at least one each in val and
    test when ``n >= 3``."""
    total = sum(ratios)
    exact = [n * r / total for r in ratios]
    counts = [int(x) for x in exact]
    for i in sorted(range(3), key=lambda i: exact[i] - counts[i], reverse=True)[: n - sum(counts)]:
        counts[i] += 1
    if n >= 3:
        for i in (1, 2):
            if counts[i] == 0:
                counts[i] = 1
                counts[0] -= 1
    return counts[0], counts[1], counts[2]


def grouped_split(
    records: Iterable[Mapping[str, Any]],
    *,
    seed: int,
    ratios: tuple[float, float, float] = (0.70, 0.15, 0.15),
) -> list[dict[str, Any]]:
    """Copies of ``records`` (input order kept) with ``"split"`` in ``SPLITS``; the same inputs and seed give
    the same assignment whatever the input order."""
    if len(ratios) != 3 or any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ValueError(f"ratios must be three non-negative numbers with a positive sum, got {ratios!r}")
    rows = [dict(r) for r in records]
    sources: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        sources[str(row["doc_id"])].add(str(row["source"]))
    group = _shared_text_groups(rows)
    group_sources: dict[str, set[str]] = defaultdict(set)
    for doc_id, doc_sources in sources.items():
        group_sources[group[doc_id]] |= doc_sources
    strata: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for root, root_sources in group_sources.items():
        strata[tuple(sorted(root_sources))].append(root)
    assignment: dict[str, str] = {}
    for docs in strata.values():
        docs.sort(key=lambda d: _order_key(seed, d))
        n_train, n_val, _ = _counts(len(docs), ratios)
        for position, doc_id in enumerate(docs):
            assignment[doc_id] = (
                "train" if position < n_train else "val" if position < n_train + n_val else "test"
            )
    for row in rows:
        row["split"] = assignment[group[str(row["doc_id"])]]
    return rows


def _shared_text_groups(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each ``doc_id`` → its group's smallest ``doc_id``; two documents are in one group when any of their
    records have the same normalised text (union-find, so the result does not depend on input order)."""
    parent: dict[str, str] = {}

    def root(doc: str) -> str:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    first_doc: dict[str, str] = {}
    for row in rows:
        doc = str(row["doc_id"])
        parent.setdefault(doc, doc)
        key = normalise(str(row.get("text") or ""))
        if not key:  # no text shares nothing
            continue
        a, b = root(doc), root(first_doc.setdefault(key, doc))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {doc: root(doc) for doc in parent}


def split_shares(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Actual shares: ``{"records": {split: share}, "docs": {split: share},
    "by_source": {source: {split: count}}}``."""
    rows = list(records)
    by_records = Counter(str(r["split"]) for r in rows)
    docs = {(str(r["doc_id"]), str(r["split"])) for r in rows}
    by_docs = Counter(split for _, split in docs)
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        by_source[str(r["source"])][str(r["split"])] += 1
    n_rows, n_docs = max(len(rows), 1), max(len(docs), 1)
    return {
        "records": {s: round(by_records[s] / n_rows, 4) for s in SPLITS},
        "docs": {s: round(by_docs[s] / n_docs, 4) for s in SPLITS},
        "by_source": {src: {s: c[s] for s in SPLITS} for src, c in sorted(by_source.items())},
    }
