"""FedProc records from SAM.gov notices and from the FAR/DFARS registry. Pure: no I/O beyond the arguments.

Record fields (see the package docstring): ``id``, ``text``, ``source``, ``label_origin``, ``doc_id``,
``task_mask``, ``notice_type``, ``naics_sector``, ``set_asides``, ``clause_spans``,
``clause_numbers_rejected``.

``label_origin`` holds one entry per task, aligned with ``task_mask`` and ``TASKS``, ``None`` where the task
is masked off. SAM records: tasks 1-3 come from the notice's own metadata (``"sam_metadata"``); task 4 from
the clause-number regex filtered by the registry (``"regex+registry"``). Registry passages: task 4 only.

SAM masking rules: task 1 is masked off when the notice has no type; task 2 when its NAICS code is missing or
not a NAICS 2022 sector; task 3 only for an unknown set-aside code (a null / ``NONE`` set-aside is the label
``[]`` and stays labelled); task 4 is always on (no citation is the label ``[]``). Clause spans keep the
numbers found in the registry; citations absent from it are listed in ``clause_numbers_rejected`` (the text
still holds them, so counting them shows how many partially-labelled records there are).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fedproc_pipeline.dataset.clauses import find_clause_spans, registry_number_set
from fedproc_pipeline.dataset.labels import naics_sector, notice_type_bucket, set_aside_labels

TASKS = ("notice_type", "naics_sector", "set_asides", "clause_spans")
SAM_SOURCE = "sam_metadata"
ECFR_SOURCE = "ecfr"
SAM_ORIGIN = "sam_metadata"
SPAN_ORIGIN = "regex+registry"

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/tr|p|div|li)\b[^<>]*>", re.I)
_URL = re.compile(r"^https?://\S+$")


def strip_html(text: str) -> str:
    """Plain text from SAM description HTML: block tags become line breaks, other tags go, entities decode.

    Text without tags is returned with only its line ends normalised, so plain descriptions keep their
    offsets.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _TAG.search(text):
        return text
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _field(row: Mapping[str, Any], snake: str, camel: str) -> Any:
    """A field of a parquet row (snake_case) or of a raw v2 record (camelCase)."""
    value = row.get(snake)
    return row.get(camel) if value is None else value


def _primary_naics(row: Mapping[str, Any]) -> str | None:
    code = _field(row, "naics_code", "naicsCode")
    if code:
        return str(code)
    codes = _field(row, "naics_codes", "naicsCodes")
    if isinstance(codes, str):
        try:
            codes = json.loads(codes)
        except ValueError:
            codes = [codes]
    if isinstance(codes, list) and codes:
        return str(codes[0])
    return None


def sam_records(
    opportunity_rows: Iterable[Mapping[str, Any]],
    descriptions: Mapping[str, str],
    registry_numbers: set[str] | None = None,
) -> list[dict[str, Any]]:
    """One record per notice (first row wins for a repeated ``noticeId``), sorted by notice id.

    ``opportunity_rows`` are rows of the opportunities parquet (snake_case) or raw v2 records (camelCase);
    ``descriptions`` maps ``noticeId`` to description text (HTML allowed). Where a notice has no entry there,
    an inline row ``description`` that is not a URL is used. ``text`` is ``title + "\\n\\n" + description``,
    or the title alone when the description is empty. ``registry_numbers`` = clause numbers a span may carry;
    ``None`` keeps every citation (then no number is rejected).
    """
    by_id: dict[str, Mapping[str, Any]] = {}
    for row in opportunity_rows:
        notice_id = _field(row, "notice_id", "noticeId")
        if notice_id:
            by_id.setdefault(str(notice_id), row)
    records = []
    for notice_id in sorted(by_id):
        row = by_id[notice_id]
        title = " ".join(str(_field(row, "title", "title") or "").split())
        description = descriptions.get(notice_id)
        if description is None:
            inline = _field(row, "description", "description")
            description = inline if isinstance(inline, str) and not _URL.match(inline.strip()) else ""
        body = strip_html(description).strip()
        text = f"{title}\n\n{body}" if title and body else (title or body)

        notice_type = notice_type_bucket(_field(row, "type", "type") or _field(row, "base_type", "baseType"))
        sector = naics_sector(_primary_naics(row))
        set_asides: list[str] | None
        try:
            set_asides = set_aside_labels(_field(row, "type_of_set_aside", "typeOfSetAside"))
        except ValueError:
            set_asides = None
        found = find_clause_spans(text, registry_numbers)
        spans = [_gold(s) for s in found if s.get("in_registry", True)]
        rejected = [s["number"] for s in found if not s.get("in_registry", True)]
        mask = [notice_type is not None, sector is not None, set_asides is not None, True]
        records.append(
            {
                "id": f"sam:{notice_id}",
                "text": text,
                "source": SAM_SOURCE,
                "label_origin": [
                    SAM_ORIGIN if mask[0] else None,
                    SAM_ORIGIN if mask[1] else None,
                    SAM_ORIGIN if mask[2] else None,
                    SPAN_ORIGIN,
                ],
                "doc_id": notice_id,
                "task_mask": mask,
                "notice_type": notice_type,
                "naics_sector": sector,
                "set_asides": set_asides,
                "clause_spans": spans,
                "clause_numbers_rejected": rejected,
            }
        )
    return records


def _gold(span: Mapping[str, Any]) -> dict[str, Any]:
    return {k: span[k] for k in ("start", "end", "label", "number")}


def _chunks(paragraph: str, max_chars: int) -> list[str]:
    """A paragraph cut to ``max_chars``: at sentence ends, else at whitespace, else hard (never mid-number
    unless a single word is longer than ``max_chars``)."""
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces = re.split(r"(?<=[.;:])\s+", paragraph)
    if len(pieces) == 1:
        pieces = paragraph.split()
        if len(pieces) == 1:
            return [paragraph[i : i + max_chars] for i in range(0, len(paragraph), max_chars)]
    parts = (
        part
        for piece in pieces
        for part in (_chunks(piece, max_chars) if len(piece) > max_chars else [piece])
    )
    return _pack(parts, " ", max_chars)


def _passages(text: str, max_chars: int) -> list[str]:
    """Consecutive paragraphs joined by blank lines up to ``max_chars``; the heading paragraph is left out."""
    paragraphs = [p.strip() for p in text.split("\n\n")][1:]
    return _pack((chunk for p in paragraphs if p for chunk in _chunks(p, max_chars)), "\n\n", max_chars)


def _pack(parts: Iterable[str], separator: str, max_chars: int) -> list[str]:
    """Greedy packing: consecutive parts joined by ``separator`` while they fit in ``max_chars``."""
    out: list[str] = []
    current = ""
    for part in parts:
        if current and len(current) + len(separator) + len(part) > max_chars:
            out.append(current)
            current = part
        else:
            current = f"{current}{separator}{part}" if current else part
    if current:
        out.append(current)
    return out


def _unit(seed: int, key: str) -> float:
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def registry_passages(
    registry_records: Iterable[Mapping[str, Any]],
    *,
    max_chars: int = 1200,
    seed: int,
    negative_share: float = 0.05,
    registry_numbers: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Task-4 records from real FAR/DFARS text: each non-reserved section's text (its heading line left out,
    since it is the section's own number and title) cut on paragraph boundaries into passages of at most
    ``max_chars`` (a longer paragraph is cut at sentence ends, then at spaces).

    Kept: every passage citing at least one registry clause number, plus negatives (no citation at all), each
    kept with probability ``negative_share`` decided by a hash of ``seed`` and the passage id (so the choice
    does not depend on input order). Dropped: passages citing a number absent from the registry, which could
    not be labelled completely. ``registry_numbers`` defaults to the non-reserved numbers of
    ``registry_records``. ``id`` = ``ecfr:<section number>:<passage index>``; ``doc_id`` = the section number.
    """
    sections = [r for r in registry_records if not r.get("reserved")]
    known = registry_numbers if registry_numbers is not None else registry_number_set(sections)
    records = []
    for section in sorted(sections, key=lambda r: str(r["number"])):
        number = str(section["number"])
        for index, passage in enumerate(_passages(str(section.get("text") or ""), max_chars)):
            record_id = f"ecfr:{number}:{index}"
            found = find_clause_spans(passage, known)
            if any(not s["in_registry"] for s in found):
                continue
            if not found and _unit(seed, record_id) >= negative_share:
                continue
            records.append(
                {
                    "id": record_id,
                    "text": passage,
                    "source": ECFR_SOURCE,
                    "label_origin": [None, None, None, SPAN_ORIGIN],
                    "doc_id": number,
                    "task_mask": [False, False, False, True],
                    "notice_type": None,
                    "naics_sector": None,
                    "set_asides": None,
                    "clause_spans": [_gold(s) for s in found],
                    "clause_numbers_rejected": [],
                }
            )
    return records
