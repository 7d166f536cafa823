"""The eCFR versioner parser: the real fixture, gzip input, rendered round trips, flat memory."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from fedproc_pipeline.regulations.parser import CLAUSE_NUMBER_PATTERNS, iter_sections
from fedproc_pipeline.regulations.snapshot import render_part_xml, round_trip_mismatches

FIXTURE = Path(__file__).parent / "fixtures" / "ecfr_part52_snippets.xml"
REPO = Path(__file__).resolve().parents[1]
FIELDS = {
    "number",
    "part",
    "title",
    "date",
    "type",
    "prescribed_in",
    "alternates",
    "reserved",
    "text",
    "source",
}


def _by_number(records):
    return {r["number"]: r for r in records}


def test_fixture_parses_to_fourteen_sections_with_readme_fields():
    records = list(iter_sections(FIXTURE, source_label="fixture"))
    assert len(records) == 14
    assert all(set(r) == FIELDS and r["source"] == "fixture" and r["part"] == "52" for r in records)
    sections = _by_number(records)

    reserved = sections["52.203-1"]
    assert reserved["reserved"] is True
    assert (reserved["title"], reserved["date"], reserved["type"]) == ("[Reserved]", None, None)
    assert reserved["text"] == "52.203-1 [Reserved]"

    certification = sections["52.209-5"]
    assert certification["type"] == "provision"
    assert certification["prescribed_in"] == "9.104-7(a)"
    assert certification["title"] == "Certification Regarding Responsibility Matters"
    assert certification["date"] == "Aug 2020"  # "(AUG 2020)" in the heading line

    assert sections["52.212-3"]["alternates"] == ["Alternate I (Feb 2024)"]
    assert sections["52.212-5"]["alternates"] == ["Alternate I (Jul 2014)", "Alternate II (Oct 2025)"]
    assert sections["52.219-9"]["alternates"] == [
        "Alternate I (Nov 2016)",
        "Alternate II (Nov 2016)",
        "Alternate III (Jan 2025)",
        "Alternate IV (Jan 2025)",
    ]
    assert sections["52.203-13"]["date"] == "Nov 2021"
    assert sections["52.212-5"]["date"] == "Mar 2026"
    assert sections["52.252-2"]["type"] == "clause"


def test_fixture_text_follows_the_readme_conventions():
    ethics = _by_number(iter_sections(FIXTURE, source_label="fixture"))["52.203-13"]
    blocks = ethics["text"].split("\n\n")
    assert blocks[:3] == [
        "52.203-13 Contractor Code of Business Ethics and Conduct.",
        "As prescribed in 3.1004(a), insert the following clause:",
        "Contractor Code of Business Ethics and Conduct (NOV 2021)",
    ]
    assert blocks[3] == "(a) Definitions. As used in this clause—"
    assert blocks[-1] == "(End of clause)"
    records = list(iter_sections(FIXTURE, source_label="fixture"))
    # CITA and EDNOTE are apparatus, not regulation text.
    assert not any("FR " in r["text"] or "Editorial Note" in r["text"] for r in records)
    # The alternate stays in the text, with its italic label flattened.
    assert "Alternate I (FEB 2024). As prescribed in 12.301(b)(2)" in _by_number(records)["52.212-3"]["text"]


def test_gzip_stream_and_gzip_path_parse_like_plain_xml(tmp_path):
    plain = list(iter_sections(FIXTURE, source_label="x"))
    packed = tmp_path / "part.xml.gz"
    packed.write_bytes(gzip.compress(FIXTURE.read_bytes()))
    with gzip.open(packed, "rb") as stream:
        assert list(iter_sections(stream, source_label="x")) == plain
    assert list(iter_sections(packed, source_label="x")) == plain
    assert list(iter_sections(io.BytesIO(FIXTURE.read_bytes()), source_label="x")) == plain


def test_any_root_and_only_section_div8s():
    xml = b"""<?xml version="1.0"?>
<DIV1 N="48" TYPE="TITLE"><DIV3 N="2" TYPE="CHAPTER"><DIV5 N="252" TYPE="PART">
<HEAD>PART 252</HEAD>
<DIV6 N="252.2" TYPE="SUBPART"><HEAD>Subpart 252.2</HEAD>
<DIV8 N="\xc2\xa7 252.201-7000" TYPE="SECTION">
<HEAD>\xc2\xa7 252.201-7000 Contracting Officer's Representative.</HEAD>
<P>As prescribed in 201.602-70, use the following clause:</P>
<EXTRACT><HD1>CONTRACTING OFFICER'S REPRESENTATIVE ( DEC 1991 )</HD1>
<P>(a) <I>Definition</I> , as used here ; text.</P></EXTRACT>
<HD3>(End of clause)</HD3>
</DIV8>
<DIV8 N="252.201-7001" TYPE="SECTION"><HEAD>252.201-7001 Reserved.</HEAD></DIV8>
</DIV6>
<DIV8 N="252-APP-A" TYPE="APPENDIX"><HEAD>Appendix</HEAD></DIV8>
</DIV5></DIV3></DIV1>"""
    records = list(iter_sections(io.BytesIO(xml), source_label="x"))
    assert [r["number"] for r in records] == ["252.201-7000", "252.201-7001"]
    clause, reserved = records
    assert (clause["part"], clause["date"], clause["type"]) == ("252", "Dec 1991", "clause")
    assert clause["title"] == "Contracting Officer's Representative"
    assert clause["text"].startswith("252.201-7000 Contracting Officer's Representative.\n\n")
    assert "(a) Definition, as used here; text." in clause["text"]  # no space before , or ;
    assert (reserved["title"], reserved["reserved"], reserved["type"]) == ("Reserved", True, None)


HAND_BUILT: list[dict] = [
    {
        "number": "52.209-3",
        "title": "First Article Approval—Contractor Testing",
        "date": "Sep 1989",
        "type": "clause",
        "prescribed_in": "9.308-1(a)(1) and (b)(1)",
        "alternates": ["Alternate I (Jan 1997)", "Alternate II (Sep 1989)"],
        "reserved": False,
        "text": "52.209-3 First Article Approval—Contractor Testing.\n\n"
        "As prescribed in 9.308-1(a)(1) and (b)(1), insert the following clause:\n\n"
        "First Article Approval—Contractor Testing (Sept1989)\n\n"
        "(a) The Contractor shall test ____ unit(s) of Lot/Item ____ as specified in this contract.\n\n"
        "(End of clause)\n\n"
        "Alternate I (Jan 1997). As prescribed in 9.308-1(a)(2), add the following paragraph (i):\n\n"
        "(i) The Contractor shall produce both the first article and the production quantity.\n\n"
        "Alternate II (Sept 1989). As prescribed in 9.308-1(a)(3), substitute the following (g):\n\n"
        "(g) Before first article approval, the Government may acquire materials.",
    },
    {
        "number": "52.216-1",
        "title": "Type of Contract",
        "date": "Apr 1984",
        "type": "provision",
        "prescribed_in": "16.105 , complete and",  # source spacing; the text drops the space
        "alternates": [],
        "reserved": False,
        "text": "52.216-1 Type of Contract.\n\n"
        "As prescribed in 16.105, complete and insert the following provision:\n\n"
        "Type of Contract (Apr 1984)\n\n"
        "The Government contemplates award of a ____ contract resulting from this solicitation.\n\n"
        "(End of provision)",
    },
    {
        "number": "52.207-4",
        "title": "Economic Purchase Quantity—Supplies",
        "date": "Aug 1987",
        "type": "provision",
        "prescribed_in": "7.203",
        "alternates": [],
        "reserved": False,
        "text": "52.207-4 Economic Purchase Quantity—Supplies.\n\n"
        "As prescribed in 7.203, insert the following provision:\n\n"
        "Economic Purchase Quantity—Supplies (Aug 1987)\n\n"
        "Offeror Recommendations\nItem | Quantity | Price Quotation | Total\n____ |  | ____ | ____\n\n"
        "(End of provision)",
    },
    {
        "number": "52.219-5",
        "title": "[Reserved]",
        "date": None,
        "type": None,
        "prescribed_in": None,
        "alternates": [],
        "reserved": True,
        "text": "52.219-5 [Reserved]",
    },
]

HAND_BUILT_DFARS: list[dict] = [
    {
        "number": "252.229-7001",
        "title": "Tax Relief",
        "date": "Feb 2014",
        "type": "clause",
        "prescribed_in": "229.402-70 (a) and (a)(1)",
        "alternates": ["Alternate I (Apr 2020)"],
        "reserved": False,
        "text": "252.229-7001 Tax Relief.\n\n"
        "Basic. As prescribed in 229.402-70 (a) and (a)(1), use the following clause:\n\n"
        "TAX RELIEF—BASIC (FEB 2014)\n\n(a) Prices set forth in this contract exclude all taxes.\n\n"
        "(End of clause)\n\n"
        "Alternate I. As prescribed in 229.402-70 (a) and (a)(2), use the following clause:\n\n"
        "TAX RELIEF—ALTERNATE I (APR 2020)\n\n(a) Prices set forth in this contract exclude all taxes.\n\n"
        "(End of clause)",
    },
    {
        "number": "252.209-7998",
        "title": "Representation Regarding Conviction of a Felony Criminal Violation",
        "date": None,
        "type": None,
        "prescribed_in": None,
        "alternates": [],
        "reserved": False,
        "text": "252.209-7998 Representation Regarding Conviction of a Felony Criminal Violation.\n\n"
        "See Class Deviation 2012-O0007, dated March 9, 2012.",
    },
    {
        "number": "252.201-7001",
        "title": "Reserved",
        "date": None,
        "type": None,
        "prescribed_in": None,
        "alternates": [],
        "reserved": True,
        "text": "252.201-7001 Reserved.",
    },
]


@pytest.mark.parametrize(("part", "records"), [("52", HAND_BUILT), ("252", HAND_BUILT_DFARS)])
def test_rendered_records_round_trip_through_the_parser(part, records):
    xml = render_part_xml(records, part)
    assert xml.startswith(b"<?xml") and f'<DIV5 N="{part}" TYPE="PART">'.encode() in xml
    parsed = list(iter_sections(io.BytesIO(xml), source_label="rendered"))
    assert round_trip_mismatches(records, parsed) == []
    # Beyond the whitespace-normalised check: block and row separators survive exactly.
    assert [r["text"] for r in parsed] == [r["text"] for r in records]
    assert all(r["part"] == part and r["source"] == "rendered" for r in parsed)


def test_render_refuses_a_record_of_another_part():
    with pytest.raises(ValueError, match="does not belong to part 252"):
        render_part_xml(HAND_BUILT[:1], "252")


def test_clause_number_patterns():
    import re

    assert re.match(CLAUSE_NUMBER_PATTERNS["52"], "52.219-9")
    assert re.match(CLAUSE_NUMBER_PATTERNS["252"], "252.204-7012")
    assert not re.match(CLAUSE_NUMBER_PATTERNS["252"], "252.204-1012")


# --- memory stays flat ------------------------------------------------------------------------

SYNTHETIC_SECTIONS = 2000
_BODY = " ".join(["The Contractor shall comply with the terms of this clause and all applicable laws."] * 12)


def _synthetic_record(i: int) -> dict:
    number, title = f"52.2{i % 100:02d}-{i}", f"Synthetic Clause {i}"
    paragraphs = [f"{number} {title}.", f"As prescribed in 1.{i}(a), insert the following clause:"]
    paragraphs += [f"{title} (Nov 2021)", *(f"({k}) {_BODY}" for k in range(8)), "(End of clause)"]
    return {
        "number": number,
        "title": title,
        "date": "Nov 2021",
        "type": "clause",
        "prescribed_in": f"1.{i}(a)",
        "alternates": [],
        "reserved": False,
        "text": "\n\n".join(paragraphs),
    }


@pytest.fixture(scope="module")
def synthetic_part(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("synthetic") / "part52.xml"
    xml = render_part_xml((_synthetic_record(i) for i in range(SYNTHETIC_SECTIONS)), "52")
    path.write_bytes(xml)
    return path, len(xml)


def test_python_memory_stays_far_below_the_document_size(synthetic_part):
    path, size = synthetic_part
    assert size > 10_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_sections(path, source_label="synthetic"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == SYNTHETIC_SECTIONS
    # Measured ~0.2 %: one section's strings at a time, never the document or all records.
    assert peak < 0.05 * size, f"peak {peak:,} bytes for a {size:,}-byte document"


_RSS_PROBE = """
import sys
from fedproc_pipeline.regulations.parser import iter_sections

def high_water_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

before = high_water_kib()
count = sum(1 for _ in iter_sections(sys.argv[1], source_label="probe"))
print(count, (high_water_kib() - before) * 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for VmHWM")
def test_parse_tree_is_released_section_by_section(synthetic_part):
    """tracemalloc cannot see libxml2's tree, so measure the process high-water mark in a fresh
    interpreter (VmHWM, unlike ru_maxrss, is not inherited from the forking pytest process).
    Without clearing, the tree grows to ~2x the document; with it the growth is noise."""
    path, size = synthetic_part
    result = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(path)], capture_output=True, text=True, check=True, cwd=REPO
    )
    count, growth = map(int, result.stdout.split())
    assert count == SYNTHETIC_SECTIONS
    assert growth < 0.25 * size, f"RSS grew {growth:,} bytes for a {size:,}-byte document"
