"""Streaming parser for eCFR versioner-API XML of 48 CFR part 52 (FAR) and part 252 (DFARS).

A whole-part answer is ``DIV5 TYPE="PART"`` > ``DIV6 TYPE="SUBPART"`` > ``DIV8 TYPE="SECTION"``
(possibly wrapped in higher DIVs); any root works, since only ``DIV8`` sections are read. Each
section becomes one record whose fields follow the schema of ``shared/data/far/README.md``.

The same function parses the live download and the committed snapshot, so one code path turns
XML into records in both modes.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from contextlib import ExitStack
from os import PathLike
from typing import Any, Protocol

from lxml import etree


class BinarySource(Protocol):
    """A binary stream: an open file, ``gzip.GzipFile``, ``io.BytesIO``..."""

    def read(self, size: int = ..., /) -> bytes: ...


XmlSource = str | PathLike[str] | BinarySource

CLAUSE_NUMBER_PATTERNS = {"52": r"^52\.2\d\d-\d+$", "252": r"^252\.2\d\d-7\d{3}$"}
PARTS = tuple(CLAUSE_NUMBER_PATTERNS)  # 48 CFR part 52 (FAR) and part 252 (DFARS)

_MONTHS = {
    m.lower(): m for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
}
# "(NOV 2021)", "(Sept1989)", "( NOV 2023 )", "(June1999)": a month word and a year in parentheses.
_DATE = r"\(\s*(?P<mon>[A-Za-z]{3,9})\.?\s*(?P<year>\d{4})\s*\)"
_HEADING_DATE = re.compile(_DATE + r"\s*$")
# FAR: "Alternate I (Nov 2016). As prescribed in ..." opens a paragraph.
_FAR_ALTERNATE = re.compile(r"^Alternate\s+(?P<num>[IVX]+)\s*" + _DATE, re.I)
# DFARS: a whole heading "TAX RELIEF—ALTERNATE I (APR 2020)", "... - Alternate I (DEC 2019)".
_DFARS_ALTERNATE = re.compile(r"^(?:.*[—–-]\s*)?ALTERNATE\s+(?P<num>[IVX]+)\s*" + _DATE + r"\s*\.?$", re.I)
# "As prescribed in 19.708(b), insert the following clause:"; X keeps the source's spacing,
# e.g. "204.7304 (c)" or "16.105 , complete and". Sources also omit the comma or the space
# ("25.302-6 insert", "225.772-5 (a),use"), and DFARS alternates "substitute" paragraphs.
_VERB = r"(?:insert|use|substitute)\b"
_PRESCRIBED_IN = re.compile(
    r"As prescribed (?:in|at)\s*(?P<x>[^\s,].*?)\s*,?\s*\b"
    r"(?:the contracting officer (?:may|shall)\s+)?" + _VERB,
    re.I | re.S,
)
_PRESCRIBED_TYPE = re.compile(r"\b" + _VERB + r".*?\b(?P<type>clause|provision)s?\b", re.I | re.S)
END_LINE = re.compile(r"^\(End of (?P<type>clause|provision)s?\)", re.I)
_RESERVED = re.compile(r"^\[?Reserved\]?$", re.I)

_HEADINGS = {"HD1", "HD2", "HD3"}
# Wrappers whose children are blocks of their own.
_CONTAINERS = {"EXTRACT", "NOTE"}
# Citations and editorial notes are apparatus, not regulation text (README text conventions).
_SKIPPED = {"CITA", "EDNOTE", "SECAUTH", "AUTH", "SOURCE"}


def iter_sections(source: XmlSource, *, source_label: str) -> Iterator[dict[str, Any]]:
    """Yield one record per ``DIV8 TYPE="SECTION"`` in document order.

    ``source`` is a path (plain or gzip) or a binary file object (e.g. a ``gzip.GzipFile``).
    Each section is cleared once read and earlier siblings are dropped, so memory stays flat
    however large the part is.
    """
    with ExitStack() as stack:
        stream = _open(source, stack)
        events = etree.iterparse(
            stream,
            events=("end",),
            tag="DIV8",
            remove_comments=True,
            remove_pis=True,
            resolve_entities=False,
            no_network=True,
        )
        for _, element in events:
            if element.get("TYPE") == "SECTION":
                yield _section_record(element, source_label)
            _release(element)


def _open(source: XmlSource, stack: ExitStack) -> BinarySource:
    if not isinstance(source, (str, PathLike)):
        return source
    handle = stack.enter_context(open(source, "rb"))  # noqa: SIM115 - closed by the ExitStack
    if handle.peek(2)[:2] == b"\x1f\x8b":
        return stack.enter_context(gzip.GzipFile(fileobj=handle, mode="rb"))
    return handle


def _release(element: etree._Element) -> None:
    """Free a finished section and everything parsed before it (also under earlier subparts)."""
    element.clear(keep_tail=False)
    node = element
    while node is not None:
        parent = node.getparent()
        if parent is None:
            break
        while node.getprevious() is not None:
            del parent[0]
        node = parent


def _section_record(section: etree._Element, source_label: str) -> dict[str, Any]:
    number = _collapse(section.get("N", "")).removeprefix("§").strip()
    blocks = _blocks(section)
    head = next((text for tag, text in blocks if tag == "HEAD"), "")
    title = _title(head)
    reserved = bool(_RESERVED.match(title))

    prescribed_in = kind = None
    first_heading = next((i for i, (tag, _) in enumerate(blocks) if tag in _HEADINGS), len(blocks))
    for tag, text in blocks[:first_heading]:
        if tag != "HEAD" and "As prescribed" in text:
            if match := _PRESCRIBED_IN.search(text):
                prescribed_in = match["x"]
            if match := _PRESCRIBED_TYPE.search(text, text.index("As prescribed")):
                kind = match["type"].lower()
            break
    if kind is None:
        kind = next((m["type"].lower() for _, text in blocks if (m := END_LINE.match(text))), None)

    date = next(
        (d for tag, text in blocks if tag in _HEADINGS and (d := heading_date(text)) is not None),
        None,
    )
    alternates: list[str] = []
    for _, text in blocks:
        if (label := alternate_label(text)) and label not in alternates:
            alternates.append(label)

    return {
        "number": number,
        "part": number.split(".", 1)[0],
        "title": title,
        "date": date,
        "type": None if reserved else kind,
        "prescribed_in": prescribed_in,
        "alternates": alternates,
        "reserved": reserved,
        "text": "\n\n".join(_tidy(text) for _, text in blocks),
        "source": source_label,
    }


def _blocks(container: etree._Element) -> list[tuple[str, str]]:
    """(tag, whitespace-collapsed text) of each block element, in document order."""
    blocks: list[tuple[str, str]] = []
    for child in container:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag in _CONTAINERS:
            blocks.extend(_blocks(child))
            continue
        if tag == "GPOTABLE":
            text = _table_text(child)
        else:
            text = _collapse("".join(child.itertext()))
            if tag == "HEAD":
                text = text.lstrip("§ ")
        if text:
            blocks.append((tag, text))
    return blocks


def _table_text(table: etree._Element) -> str:
    """Rows on their own lines, cells joined by " | " (README table convention)."""
    rows: list[str] = []
    for child in table:
        if child.tag == "BOXHD":
            cells = [_collapse("".join(c.itertext())) for c in child if c.tag == "CHED"]
        elif child.tag == "ROW":
            cells = [_collapse("".join(c.itertext())) for c in child if c.tag == "ENT"]
        else:  # TTITLE, TNOTE, TDESC: a line of their own
            cells = [_collapse("".join(child.itertext()))]
        if any(cells):
            rows.append(" | ".join(cells).strip())
    return "\n".join(rows)


def _title(head: str) -> str:
    """HEAD "52.219-9 Small Business Subcontracting Plan." -> "Small Business Subcontracting Plan"."""
    number, _, rest = head.partition(" ")
    title = rest if any(ch.isdigit() for ch in number) else head
    return title.removesuffix(".").strip()


def heading_date(text: str) -> str | None:
    """The date a clause heading line ends with, as "Mon YYYY": "... (Sept1989)" -> "Sep 1989"."""
    match = _HEADING_DATE.search(text)
    return _normalise_date(match) if match else None


def alternate_label(text: str) -> str | None:
    """The label ("Alternate I (Nov 2016)") of a block that opens a FAR alternate or is a DFARS
    alternate heading; None for any other block, and for alternates without a date."""
    if "lternate" not in text and "LTERNATE" not in text:
        return None  # cheap pre-filter: most blocks are body text
    match = _FAR_ALTERNATE.match(text) or _DFARS_ALTERNATE.match(text)
    date = _normalise_date(match) if match else None
    return f"Alternate {match['num'].upper()} ({date})" if match and date else None


def _normalise_date(match: re.Match[str]) -> str | None:
    month = _MONTHS.get(match["mon"][:3].lower())
    return f"{month} {match['year']}" if month else None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _tidy(text: str) -> str:
    """README convention: no space before "," or ";" (inline markup often leaves one).
    Block text is already collapsed, so the only whitespace left is single spaces."""
    return text.replace(" ,", ",").replace(" ;", ";")
