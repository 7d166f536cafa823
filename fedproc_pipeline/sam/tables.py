"""SAM.gov records as parquet tables: every v2 field as a column (nested ones as JSON), plus the raw JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

import pyarrow as pa

# The v2 search response fields, in the API's order. A fixed list keeps every partition's schema equal.
SAM_FIELDS = (
    "noticeId", "title", "solicitationNumber", "fullParentPathName", "fullParentPathCode", "postedDate",
    "type", "baseType", "archiveType", "archiveDate", "typeOfSetAsideDescription", "typeOfSetAside",
    "responseDeadLine", "naicsCode", "naicsCodes", "classificationCode", "active", "award", "pointOfContact",
    "description", "organizationType", "officeAddress", "placeOfPerformance", "additionalInfoLink", "uiLink",
    "links", "resourceLinks",
)  # fmt: skip


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


OPPORTUNITY_SCHEMA = pa.schema(
    [(snake_case(f), pa.string()) for f in SAM_FIELDS] + [("raw_json", pa.string())]
)
DESCRIPTION_SCHEMA = pa.schema([("notice_id", pa.string()), ("description", pa.string())])


def opportunities_table(records: Iterable[Mapping]) -> pa.Table:
    """One row per notice, sorted by ``noticeId`` so equal inputs give byte-equal files."""
    rows = [
        {**{snake_case(f): _cell(r.get(f)) for f in SAM_FIELDS}, "raw_json": json.dumps(r, sort_keys=True)}
        for r in sorted(records, key=lambda r: r["noticeId"])
    ]
    return pa.Table.from_pylist(rows, schema=OPPORTUNITY_SCHEMA)


def descriptions_table(descriptions: Mapping[str, str]) -> pa.Table:
    rows = [{"notice_id": k, "description": descriptions[k]} for k in sorted(descriptions)]
    return pa.Table.from_pylist(rows, schema=DESCRIPTION_SCHEMA)


def raw_records(table: pa.Table) -> list[dict]:
    return [json.loads(raw) for raw in table.column("raw_json").to_pylist()]
