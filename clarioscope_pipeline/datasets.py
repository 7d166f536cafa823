"""ClarioScope datasets: raw generation, cue-word cleaning, splits, duplicate search and QA. Dagster-free.

A record is a plain dict: ``id``, ``text``, ``channel``, ``style``, ``generator``, ``source``,
``label_origin`` and ``intent`` (task ``intent``) or ``spans`` (``phi`` / ``insurance``:
``[{start, end, label}]``); after :func:`assign_splits` also ``split``. Train/val come from local generator
family ``A``, test from ``B``.

Every ``problems_*`` function returns readable problem strings (empty list = fine); the blocking asset checks
in ``checks.py`` wrap them, so the rules are tested without Dagster.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Literal

from clarioscope_pipeline.generation import generate_messages, realism_stats
from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES
from slmkit.cue_words import CleanReport, clean_spans, contaminated_spans
from slmkit.spans import validate_spans
from slmkit.text import normalise

Task = Literal["intent", "phi", "insurance"]
TASKS: tuple[Task, ...] = ("intent", "phi", "insurance")
SPLITS = ("train", "val", "test")
TRAIN_GENERATOR = "local-A"
TEST_GENERATOR = "local-B"
LABELS: dict[str, tuple[str, ...]] = {"intent": INTENTS, "phi": PHI_TYPES, "insurance": INSURANCE_FIELDS}

MAX_CONTAMINATION = 0.005
NEAR_DUPLICATE_JACCARD = 0.9
STYLE_TARGET = {"polished": 0.4, "casual": 0.4, "messy": 0.2}
STYLE_TOLERANCE = 0.10
# Accepted ranges of the realism shares (what the local generator produces, with room either side): intake
# text that never skips a greeting, never abbreviates or never shouts is not realistic, nor is text that
# always does.
REALISM_BANDS: dict[str, tuple[float, float]] = {
    "greetingless_share": (0.25, 0.70),
    "abbreviation_share": (0.25, 0.75),
    "no_terminal_punctuation_share": (0.15, 0.65),
    "all_caps_share": (0.01, 0.20),
}


@dataclass(frozen=True)
class Profile:
    """Sizes per task: ``train_val`` records from generator A (split ~90/10), ``test`` from generator B."""

    name: str
    train_val: int
    test: int


PROFILES: dict[str, Profile] = {
    "demo": Profile("demo", train_val=2000, test=300),
    "full": Profile("full", train_val=9000, test=1000),
}


def get_profile(profile: str | Profile) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    return PROFILES[profile]


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")


# --------------------------------------------------------------------------------------------- generation
def raw_records(task: Task, profile: str | Profile, seed: int = 0) -> list[dict[str, Any]]:
    """The task's raw records: ``train_val`` from family A, then ``test`` from B; deterministic by seed."""
    _check_task(task)
    sizes = get_profile(profile)
    records: list[dict[str, Any]] = []
    for family, n in (("A", sizes.train_val), ("B", sizes.test)):
        for m in generate_messages(family, n, seed, task=task):  # type: ignore[arg-type]
            record: dict[str, Any] = {
                "id": m.id,
                "text": m.text,
                "channel": m.channel,
                "style": m.style,
                "generator": m.generator,
                "source": "local",
                "label_origin": "generator",
            }
            if task == "intent":
                record["intent"] = m.intent
            else:
                record["spans"] = [
                    {"start": s["start"], "end": s["end"], "label": s["label"]} for s in m.spans
                ]
            records.append(record)
    return records


# ----------------------------------------------------------------------------------------------- cleaning
def clean_records(records: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], CleanReport]:
    """Cue-word cleaning of every record's spans; records without ``spans`` (task intent) pass through."""
    report = CleanReport()
    out: list[dict[str, Any]] = []
    for record in records:
        new = dict(record)
        if "spans" in record:
            kept, one = clean_spans(str(record["text"]), record["spans"] or [])
            new["spans"] = [{"start": s["start"], "end": s["end"], "label": s["label"]} for s in kept]
            report.add(one)
        out.append(new)
    return out, report


def clean_report_markdown(report: CleanReport) -> str:
    """Spans changed / dropped per label as a markdown table."""
    labels = sorted(set(report.changed) | set(report.dropped))
    rows = ["| label | changed | dropped |", "|---|---:|---:|"]
    rows += [f"| {label} | {report.changed[label]} | {report.dropped[label]} |" for label in labels]
    rows.append(
        f"| **all ({report.total} spans)** | {sum(report.changed.values())} "
        f"| {sum(report.dropped.values())} |"
    )
    return "\n".join(rows)


# ------------------------------------------------------------------------------------------------- splits
def _unit(*parts: object) -> float:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_splits(
    records: Iterable[Mapping[str, Any]], seed: int = 0, *, val_share: float = 0.1
) -> list[dict[str, Any]]:
    """Records with ``split``: generator A → train / val (~90/10), every other generator → test.

    The draw hashes the seed and the *normalised text*, so it is deterministic and identical texts always land
    in the same split (exact duplicates cannot straddle train and val).
    """
    out = []
    for record in records:
        new = dict(record)
        if record["generator"] == TRAIN_GENERATOR:
            new["split"] = "val" if _unit(seed, normalise(str(record["text"]))) < val_share else "train"
        else:
            new["split"] = "test"
        out.append(new)
    return out


# ------------------------------------------------------------------------------------------ near duplicates
@dataclass(frozen=True)
class DuplicatePair:
    a: int  # record indices
    b: int
    kind: Literal["exact", "near"]
    jaccard: float


_BANDS, _ROWS = 16, 4  # P(candidate) at Jaccard 0.9 ≈ 1 - (1 - 0.9^4)^16 > 0.9999
# One 64-bit salt per MinHash row: XOR with a salt permutes the hash space, min over it is that row's value.
_SALTS = tuple(
    int.from_bytes(hashlib.blake2b(f"clarioscope-minhash:{i}".encode(), digest_size=8).digest(), "big")
    for i in range(_BANDS * _ROWS)
)


def shingles(text: str, k: int = 3) -> frozenset[str]:
    """Word k-shingles of the normalised text (the whole text as one shingle when it has ≤ k words)."""
    words = normalise(text).split()
    if len(words) <= k:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _minhash(sh: frozenset[str]) -> tuple[int, ...]:
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in sh]
    return tuple(min(map(salt.__xor__, hashes)) for salt in _SALTS)


def near_duplicates(
    records: Sequence[Mapping[str, Any]],
    *,
    threshold: float = NEAR_DUPLICATE_JACCARD,
    across_splits: bool = True,
) -> list[DuplicatePair]:
    """Pairs of records whose texts are exact duplicates after :func:`normalise` or whose word-3-shingle
    Jaccard similarity is ≥ ``threshold``; with ``across_splits`` only pairs whose ``split`` differs.

    Near-linear: identical normalised texts are grouped by hash, and candidate near pairs come from MinHash
    LSH (16 bands × 4 rows) over the distinct texts and are verified by their exact Jaccard. Each member of an
    exact-duplicate group is paired with the first member of every other split (or, without ``across_splits``,
    with the group's first member), so the output stays linear in the number of records.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        groups[normalise(str(record["text"]))].append(i)

    def split(i: int) -> object:
        return records[i].get("split") if across_splits else i

    pairs: list[DuplicatePair] = []
    for members in groups.values():
        first_of: dict[object, int] = {}
        for i in members:
            first_of.setdefault(split(i), i)
        for i in members:
            if not across_splits:
                if i != members[0]:
                    pairs.append(DuplicatePair(members[0], i, "exact", 1.0))
                continue
            for s, j in first_of.items():
                if s != split(i):
                    pairs.append(DuplicatePair(min(i, j), max(i, j), "exact", 1.0))
    # Near duplicates between distinct normalised texts.
    keys = list(groups)
    sh = [shingles(k) for k in keys]
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for g, s in enumerate(sh):
        signature = _minhash(s)
        for band in range(_BANDS):
            buckets[(band, signature[band * _ROWS : (band + 1) * _ROWS])].append(g)
    candidates: set[tuple[int, int]] = set()
    for bucket in buckets.values():
        for x in range(len(bucket)):
            for y in range(x + 1, len(bucket)):
                candidates.add((bucket[x], bucket[y]))
    for g, h in sorted(candidates):
        sim = jaccard(sh[g], sh[h])
        if sim < threshold:
            continue
        for i in groups[keys[g]]:
            for j in groups[keys[h]]:
                if not across_splits or split(i) != split(j):
                    pairs.append(DuplicatePair(min(i, j), max(i, j), "near", sim))
    return sorted(set(pairs), key=lambda p: (p.a, p.b, p.kind))


_KEEP_PRIORITY = {
    "test": 0,
    "train": 1,
    "val": 2,
}  # on a cross-split duplicate the lower priority record goes


def drop_cross_split_duplicates(
    records: Sequence[Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], list[str]]:
    """The records without cross-split duplicates, and the ids dropped. Of each pair the test record is kept
    over train, and train over val (test is the scarce held-out generator)."""
    drop: set[int] = set()
    for pair in near_duplicates(records):
        if pair.a in drop or pair.b in drop:
            continue
        pa, pb = (_KEEP_PRIORITY.get(str(records[i].get("split")), 3) for i in (pair.a, pair.b))
        drop.add(pair.b if pb >= pa else pair.a)
    kept = [dict(r) for i, r in enumerate(records) if i not in drop]
    return kept, [str(records[i]["id"]) for i in sorted(drop)]


# ------------------------------------------------------------------------------------------------ counts
def label_counts(task: Task, records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per split: records per intent (task intent) or spans per label."""
    counts: dict[str, Counter[str]] = {s: Counter() for s in SPLITS}
    for record in records:
        split = counts.setdefault(str(record.get("split")), Counter())
        if task == "intent":
            split[str(record["intent"])] += 1
        else:
            split.update(str(s["label"]) for s in record.get("spans") or [])
    return {s: dict(sorted(c.items())) for s, c in counts.items()}


def split_counts(records: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    counts = Counter(str(r.get("split")) for r in records)
    return {s: counts.get(s, 0) for s in (*SPLITS, *sorted(set(counts) - set(SPLITS)))}


def dataset_realism(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``realism_stats`` of the whole dataset plus each split."""
    ns = [SimpleNamespace(text=str(r["text"]), style=str(r["style"])) for r in records]
    out: dict[str, Any] = {"all": realism_stats(ns)}
    for split in SPLITS:
        part = [n for n, r in zip(ns, records, strict=True) if r.get("split") == split]
        out[split] = realism_stats(part)
    return out


# ------------------------------------------------------------------------------------------------ checks
def problems_spans(task: Task, records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Intent: every intent a known class. Span tasks: ``validate_spans`` (in range, known label, no overlap,
    ``text`` exact when given) and no whitespace at a span's edges."""
    _check_task(task)
    known = LABELS[task]
    problems: list[str] = []
    for record in records:
        if task == "intent":
            if record.get("intent") not in known:
                problems.append(f"{record['id']}: unknown intent {record.get('intent')!r}")
            continue
        text, spans = str(record["text"]), record.get("spans") or []
        found = validate_spans(text, spans, known)
        problems += [f"{record['id']}: {problem}" for problem in found]
        if not found:  # offsets valid: the value must not start or end with whitespace
            problems += [
                f"{record['id']}: span {s['label']} [{s['start']}:{s['end']}] has whitespace at an edge"
                for s in spans
                if _value(record, s) != _value(record, s).strip()
            ]
    return problems


def _value(record: Mapping[str, Any], span: Mapping[str, Any]) -> str:
    return str(record["text"])[span["start"] : span["end"]]


def problems_contamination(
    records: Sequence[Mapping[str, Any]], max_rate: float = MAX_CONTAMINATION
) -> tuple[float, list[str]]:
    """Share of spans still starting / ending with a cue word, and (when over ``max_rate``) the offenders.
    Problems name records, labels and offsets, never the message text (it may hold intake PHI)."""
    total, hits = contaminated_spans(records)
    rate = len(hits) / total if total else 0.0
    if rate <= max_rate:
        return rate, []
    return rate, [
        f"{records[i]['id']}: {span['label']} [{span['start']}:{span['end']}] (cue {cue!r})"
        for i, span, cue in hits
    ]


def problems_duplicates(records: Sequence[Mapping[str, Any]]) -> list[str]:
    return [
        f"{p.kind} ({p.jaccard:.2f}): {records[p.a]['id']} [{records[p.a].get('split')}] ~ "
        f"{records[p.b]['id']} [{records[p.b].get('split')}]"
        for p in near_duplicates(records)
    ]


def problems_generators(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Train/val and test must come from different generators."""
    by_split: dict[str, set[str]] = defaultdict(set)
    for record in records:
        by_split[str(record.get("split"))].add(str(record["generator"]))
    problems = []
    for split in ("train", "val"):
        shared = by_split[split] & by_split["test"]
        if shared:
            problems.append(f"{split} and test share generator(s) {sorted(shared)}")
    if not by_split["train"] or not by_split["test"]:
        problems.append("train or test split is empty")
    return problems


def problems_test_coverage(task: Task, records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every class (intent) / entity type (span tasks) occurs at least once in test."""
    seen = set(label_counts(task, records).get("test", {}))
    return [f"{label}: not in test" for label in LABELS[task] if label not in seen]


def problems_realism(stats: Mapping[str, Any], tolerance: float = STYLE_TOLERANCE) -> list[str]:
    """A ``realism_stats`` result vs the 40/40/20 style mix (± ``tolerance``) and :data:`REALISM_BANDS`."""
    if not stats.get("n"):
        return ["no records"]
    problems = []
    shares = stats.get("style_shares", {})
    for style, target in STYLE_TARGET.items():
        share = float(shares.get(style, 0.0))
        if abs(share - target) > tolerance:
            problems.append(f"style {style}: {share:.1%} vs target {target:.0%} ± {tolerance:.0%}")
    for name, (low, high) in REALISM_BANDS.items():
        value = float(stats.get(name, 0.0))
        if not low <= value <= high:
            problems.append(f"{name}: {value:.1%} outside [{low:.0%}, {high:.0%}]")
    return problems
