"""Coverage checks for the packaged offline SAM.gov Opportunities v2 sample.

The sample (``fedproc_pipeline/sam/data/sam_sample.json.gz``) is built by ``scripts/build_sam_sample.py``.
These tests read it with the standard library only, so they run without the package being importable.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "fedproc_pipeline" / "sam" / "data" / "sam_sample.json.gz"
REGULATIONS_DATA = REPO / "fedproc_pipeline" / "regulations" / "data"
SHARED_FAR = REPO.parent / "shared" / "data" / "far"

NOTICE_TYPES = {
    "Solicitation",
    "Combined Synopsis/Solicitation",
    "Sources Sought",
    "Presolicitation",
    "Award Notice",
    "Special Notice",
    "Justification",
    "Intent to Bundle Requirements (DoD-Funded)",
    "Sale of Surplus Property",
}
SET_ASIDES = {
    "SBA": "Total Small Business Set-Aside (FAR 19.5)",
    "SBP": "Partial Small Business Set-Aside (FAR 19.5)",
    "8A": "8(a) Set-Aside (FAR 19.8)",
    "8AN": "8(a) Sole Source (FAR 19.8)",
    "HZC": "Historically Underutilized Business (HUBZone) Set-Aside (FAR 19.13)",
    "HZS": "Historically Underutilized Business (HUBZone) Sole Source (FAR 19.13)",
    "SDVOSBC": "Service-Disabled Veteran-Owned Small Business (SDVOSB) Set-Aside (FAR 19.14)",
    "SDVOSBS": "Service-Disabled Veteran-Owned Small Business (SDVOSB) Sole Source (FAR 19.14)",
    "WOSB": "Women-Owned Small Business (WOSB) Program Set-Aside (FAR 19.15)",
    "WOSBSS": "Women-Owned Small Business (WOSB) Program Sole Source (FAR 19.15)",
    "EDWOSB": "Economically Disadvantaged WOSB (EDWOSB) Program Set-Aside (FAR 19.15)",
    "EDWOSBSS": "Economically Disadvantaged WOSB (EDWOSB) Program Sole Source (FAR 19.15)",
}
RECORD_KEYS = {
    "noticeId",
    "title",
    "solicitationNumber",
    "fullParentPathName",
    "fullParentPathCode",
    "postedDate",
    "type",
    "baseType",
    "archiveType",
    "archiveDate",
    "typeOfSetAsideDescription",
    "typeOfSetAside",
    "responseDeadLine",
    "naicsCode",
    "naicsCodes",
    "classificationCode",
    "active",
    "award",
    "pointOfContact",
    "description",
    "organizationType",
    "officeAddress",
    "placeOfPerformance",
    "additionalInfoLink",
    "uiLink",
    "links",
    "resourceLinks",
}
# A FAR 52.2xx or DFARS 252.2xx-7xxx number; the lookbehind keeps "52.2..." inside "252.2..." out.
CLAUSE_RE = re.compile(r"(?<![\d.])(252\.2\d\d-7\d{3}|52\.2\d\d-\d+)")
NUMBER_FIELD_RE = re.compile(r'"number"\s*:\s*"(252\.2\d\d-7\d{3}|52\.2\d\d-\d+)"')
RESERVED_OBJECT_RE = re.compile(
    r'\{[^{}]*"number"\s*:\s*"(252\.2\d\d-7\d{3}|52\.2\d\d-\d+)"[^{}]*"reserved"\s*:\s*true[^{}]*\}'
)
# eCFR XML snapshots: <DIV8 N="52.219-9" TYPE="SECTION">, reserved as <HEAD>52.203-1 [Reserved]</HEAD>.
XML_SECTION_RE = re.compile(r'<DIV8\s+N="(252\.2\d\d-7\d{3}|52\.2\d\d-\d+)"\s+TYPE="SECTION"')
XML_RESERVED_RE = re.compile(r"<HEAD>\s*(252\.2\d\d-7\d{3}|52\.2\d\d-\d+)\s+\[?Reserved\]?\.?\s*</HEAD>")


@functools.cache
def sample() -> dict[str, Any]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def records() -> list[tuple[str, dict[str, Any]]]:
    return [(day, rec) for day, body in sample()["days"].items() for rec in body["opportunitiesData"]]


def test_top_level_shape() -> None:
    data = sample()
    assert set(data) == {"edition", "generated_by", "days", "descriptions"}
    assert data["edition"].startswith("sam-sample-")
    assert data["generated_by"] == "scripts/build_sam_sample.py"
    assert len(data["days"]) >= 7
    for day, body in data["days"].items():
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", day)
        assert set(body) == {"totalRecords", "limit", "offset", "opportunitiesData", "links"}
        assert body["limit"] == 1000 and body["offset"] == 0
        assert body["totalRecords"] == len(body["opportunitiesData"])
        mdy = f"{day[5:7]}/{day[8:10]}/{day[:4]}"
        assert f"postedFrom={mdy}&postedTo={mdy}" in body["links"][0]["href"]


def test_notice_count_and_unique_ids() -> None:
    recs = records()
    assert len(recs) >= 300
    ids = [rec["noticeId"] for _, rec in recs]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert set(sample()["descriptions"]) == set(ids)


def test_posted_date_matches_day_and_record_shape() -> None:
    for day, rec in records():
        nid = rec["noticeId"]
        assert rec["postedDate"] == day, nid
        assert set(rec) == RECORD_KEYS, nid
        assert rec["baseType"] == rec["type"]
        assert rec["active"] == "Yes"
        assert rec["organizationType"] == "OFFICE"
        assert rec["uiLink"] == f"https://sam.gov/opp/{nid}/view"
        assert rec["description"].endswith(f"noticedesc?noticeid={nid}")
        assert re.fullmatch(r"\d{6}", rec["naicsCode"]) and rec["naicsCode"] in rec["naicsCodes"]
        assert rec["archiveType"] in {"auto15", "autocustom"}
        deadline = rec["responseDeadLine"]
        assert deadline is None or re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", deadline)
        assert rec["pointOfContact"] and rec["pointOfContact"][0]["type"] == "primary"
        if rec["type"] == "Award Notice":
            award = rec["award"]
            assert award and award["number"] and float(award["amount"]) > 0
            assert re.fullmatch(r"[A-HJ-NP-Z][A-HJ-NP-Z0-9]{11}", award["awardee"]["ueiSAM"])
        else:
            assert rec["award"] is None


def test_every_notice_type_covered() -> None:
    counts = Counter(rec["type"] for _, rec in records())
    assert set(counts) == NOTICE_TYPES
    assert all(counts[t] >= 8 for t in NOTICE_TYPES), counts
    assert counts.most_common(1)[0][0] in {"Combined Synopsis/Solicitation", "Solicitation"}


def test_every_set_aside_code_covered() -> None:
    counts: Counter[str] = Counter()
    for _, rec in records():
        code, desc = rec["typeOfSetAside"], rec["typeOfSetAsideDescription"]
        if code is None or code == "NONE":
            assert desc in (None, "No Set aside used")
            counts["none"] += 1
        else:
            assert SET_ASIDES.get(code) == desc, (code, desc)
            counts[code] += 1
    assert counts["none"] >= 5
    assert all(counts[c] >= 5 for c in SET_ASIDES), counts
    assert all(counts[c] < counts["SBA"] for c in ("EDWOSB", "EDWOSBSS", "WOSBSS", "HZS"))


def test_naics_sector_breadth() -> None:
    sectors = {rec["naicsCode"][:2] for _, rec in records()}
    assert len(sectors) >= 12, sorted(sectors)


def test_descriptions_cite_clauses() -> None:
    descriptions = sample()["descriptions"]
    for _, rec in records():
        text = descriptions[rec["noticeId"]]
        assert 3 <= len(text.split("\n\n")) <= 8
        if rec["type"] != "Special Notice":
            assert CLAUSE_RE.search(text), (rec["noticeId"], rec["type"])
        if not rec["fullParentPathName"].startswith("DEPT OF DEFENSE"):
            assert not re.search(r"(?<![\d.])252\.2\d\d-7\d{3}", text), rec["noticeId"]


def _scan_regulation_files(paths: list[Path]) -> tuple[set[str], set[str]]:
    numbers: set[str] = set()
    reserved: set[str] = set()
    for path in paths:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", errors="replace")
        numbers.update(NUMBER_FIELD_RE.findall(text))
        reserved.update(RESERVED_OBJECT_RE.findall(text))
        numbers.update(XML_SECTION_RE.findall(text))
        reserved.update(XML_RESERVED_RE.findall(text))
    return numbers, reserved


@functools.cache
def regulation_numbers() -> tuple[str, set[str], set[str]] | None:
    """(source, known numbers, reserved numbers) from the project's snapshot, else the shared index."""
    if REGULATIONS_DATA.is_dir():
        files = sorted(
            p
            for p in REGULATIONS_DATA.rglob("*")
            if p.is_file()
            and p.name.endswith((".json", ".jsonl", ".xml", ".json.gz", ".jsonl.gz", ".xml.gz"))
        )
        numbers, reserved = _scan_regulation_files(files)
        if numbers:
            return str(REGULATIONS_DATA), numbers, reserved
    index_files = sorted(SHARED_FAR.glob("*_index.jsonl")) if SHARED_FAR.is_dir() else []
    if index_files:
        numbers, reserved = _scan_regulation_files(index_files)
        if numbers:
            return str(SHARED_FAR), numbers, reserved
    return None


def test_cited_clauses_exist_in_regulation_data() -> None:
    found = regulation_numbers()
    if found is None:
        pytest.skip("no regulation snapshot and no ../shared/data/far/*_index.jsonl to compare against")
    source, known, reserved = found
    cited: set[str] = set()
    for text in sample()["descriptions"].values():
        cited.update(CLAUSE_RE.findall(text))
    assert cited, "no clause citations found"
    missing = sorted(cited - known)
    assert not missing, f"clauses cited but absent from {source}: {missing}"
    assert not sorted(cited & reserved), f"reserved clauses cited: {sorted(cited & reserved)}"
