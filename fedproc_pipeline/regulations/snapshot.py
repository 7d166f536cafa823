"""The committed offline edition of 48 CFR parts 52 and 252, stored as eCFR versioner XML.

``scripts/build_far_snapshot.py`` renders the plain-text records of the shared FAR/DFARS corpus
into the versioner format (``render_part_xml``) and writes them to ``data/`` next to this module.
Snapshot mode then reads those files with the same parser as a live download, so the XML-to-record
path is identical in both modes and the project never reads ``../shared`` at run time.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from fedproc_pipeline.regulations.parser import END_LINE, PARTS, alternate_label, heading_date

SNAPSHOT_DIR = Path(__file__).resolve().parent / "data"
MANIFEST_NAME = "snapshot.json"
# Fields that must survive render -> parse unchanged; ``text`` must match after whitespace collapsing.
ROUND_TRIP_FIELDS = ("number", "title", "date", "type", "prescribed_in", "alternates", "reserved")

# Paragraph roles, mirroring how eCFR lays a clause out (see tests/fixtures/ecfr_part52_snippets.xml).
_ALTERNATE_INTRO = re.compile(r"^(?P<label>Alternate\s+[IVX]+\.?|Basic\.)(?=\s|$)")
_STRUCTURE = {"DIV5", "DIV6", "DIV8", "EXTRACT", "GPOTABLE", "ROW"}


def snapshot_file(part: str) -> Path:
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: the snapshot holds parts {', '.join(PARTS)}")
    return SNAPSHOT_DIR / f"title48_part{part}.xml.gz"


def load_manifest() -> dict[str, Any]:
    return json.loads((SNAPSHOT_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))


def open_part(part: str) -> gzip.GzipFile:
    """The part's XML as a decompressing binary stream (feed it to ``iter_sections``)."""
    return gzip.open(snapshot_file(part), "rb")


def render_part_xml(records: Iterable[Mapping[str, Any]], part: str) -> bytes:
    """Render records (README schema) of one part as an eCFR versioner ``DIV5`` document."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: expected one of {', '.join(PARTS)}")
    root = etree.Element("DIV5", N=part, TYPE="PART")
    _sub(root, "HEAD", f"PART {part}—SOLICITATION PROVISIONS AND CONTRACT CLAUSES")
    subpart = etree.SubElement(root, "DIV6", N=f"{part}.2", TYPE="SUBPART")
    _sub(subpart, "HEAD", f"Subpart {part}.2—Text of Provisions and Clauses")
    for record in records:
        if record["number"].split(".", 1)[0] != part:
            raise ValueError(f"record {record['number']} does not belong to part {part}")
        subpart.append(_render_section(record))
    _add_newlines(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _render_section(record: Mapping[str, Any]) -> etree._Element:
    section = etree.Element("DIV8", N=record["number"], TYPE="SECTION")
    paragraphs = record["text"].split("\n\n")
    _sub(section, "HEAD", paragraphs[0])
    heading = _heading_index(paragraphs, record["date"])
    extract: etree._Element | None = None
    for index, paragraph in enumerate(paragraphs[1:], start=1):
        if index == 1 and "As prescribed" in paragraph:
            _intro(section, _source_spacing(paragraph, record["prescribed_in"]))
        elif _ALTERNATE_INTRO.match(paragraph) or (index == 1 and heading is None):
            # Prescriptions and alternate introductions sit outside the clause's EXTRACT; so does
            # the lone paragraph of a class-deviation note.
            _intro(section, paragraph)
            extract = None
        elif END_LINE.match(paragraph):
            _sub(section, "HD3", paragraph)
            extract = None
        else:
            if extract is None:
                extract = etree.SubElement(section, "EXTRACT")
            if index == heading or alternate_label(paragraph):  # DFARS "...—ALTERNATE I (DATE)"
                _sub(extract, "HD1", paragraph)
            elif "\n" in paragraph:
                extract.append(_table(paragraph))
            else:
                _sub(extract, "P", paragraph)
    return section


def _heading_index(paragraphs: list[str], date: str | None) -> int | None:
    """Index of the clause heading line: the first paragraph after the title ending in the record's date."""
    if date is None:
        return None
    for index, paragraph in enumerate(paragraphs[1:], start=1):
        if heading_date(paragraph) == date:
            return index
    return None


def _source_spacing(paragraph: str, prescribed_in: str | None) -> str:
    """Restore the source spacing of the prescription reference where the plain text tidied it.

    The corpus text drops the space before "," but ``prescribed_in`` keeps the source's spacing
    (52.216-1: "16.105 , complete and"); the XML carries the source form and the parser tidies
    the text again.
    """
    if not prescribed_in or prescribed_in in paragraph:
        return paragraph
    return paragraph.replace(re.sub(r"\s+([,;])", r"\1", prescribed_in), prescribed_in, 1)


def _intro(section: etree._Element, paragraph: str) -> None:
    """A P outside the EXTRACT; "Alternate I"/"Basic." labels in italics as eCFR prints them."""
    p = etree.SubElement(section, "P")
    match = _ALTERNATE_INTRO.match(paragraph)
    if match:
        italic = etree.SubElement(p, "I")
        italic.text = match["label"]
        italic.tail = paragraph[match.end() :]
    else:
        p.text = paragraph


def _table(paragraph: str) -> etree._Element:
    """Lines become ROWs and " | "-separated cells become ENTs (the README's table flattening)."""
    rows = [line.split("|") for line in paragraph.split("\n")]
    table = etree.Element("GPOTABLE", COLS=str(max(len(cells) for cells in rows)), OPTS="L0")
    for cells in rows:
        row = etree.SubElement(table, "ROW")
        for cell in cells:
            _sub(row, "ENT", cell.strip())
    return table


def _add_newlines(root: etree._Element) -> None:
    """One element per line, as eCFR prints it: whitespace only between elements, never in text."""
    for element in root.iter():
        if element.tag in _STRUCTURE:
            element.text = "\n"
        if element.tail is None:
            element.tail = "\n"


def _sub(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def round_trip_mismatches(
    expected: Iterable[Mapping[str, Any]], parsed: Iterable[Mapping[str, Any]]
) -> list[str]:
    """Differences between source records and the records parsed back from their rendering.

    Fields in ``ROUND_TRIP_FIELDS`` must be equal; ``text`` must be equal after whitespace
    normalisation. Returns one line per difference (empty = faithful round trip).
    """
    parsed_list = list(parsed)
    expected_by_number = {r["number"]: r for r in expected}
    parsed_by_number = {r["number"]: r for r in parsed_list}
    problems = [f"{n}: missing after parse" for n in expected_by_number if n not in parsed_by_number]
    problems += [f"{n}: not in the source" for n in parsed_by_number if n not in expected_by_number]
    if len(parsed_by_number) != len(parsed_list):
        problems.append(f"{len(parsed_list)} records parsed for {len(parsed_by_number)} distinct numbers")
    for number, want in expected_by_number.items():
        got = parsed_by_number.get(number)
        if got is None:
            continue
        for field in ROUND_TRIP_FIELDS:
            if got[field] != want[field]:
                problems.append(f"{number}: {field} {got[field]!r} != {want[field]!r}")
        if " ".join(got["text"].split()) != " ".join(want["text"].split()):
            problems.append(f"{number}: text differs")
    return problems
