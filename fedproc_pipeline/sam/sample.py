"""The packaged SAM.gov sample: the offline default when no API key is configured.

``data/sam_sample.json.gz`` holds ``{"edition": str, "days": {"YYYY-MM-DD": <v2 search response body>},
"descriptions": {noticeId: text}}``. :class:`SampleSam` answers ``fetch_day`` and ``fetch_descriptions``
with the same signatures as :class:`~fedproc_pipeline.sam.api.SamApi`, spending no requests.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from fedproc_pipeline.sam.api import DayProgress, check_day, is_http_url

SAMPLE_PATH = Path(__file__).parent / "data" / "sam_sample.json.gz"


class SampleSam:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else SAMPLE_PATH
        try:
            with gzip.open(self.path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise FileNotFoundError(f"SAM.gov sample not found at {self.path}") from None
        except (OSError, ValueError) as exc:
            raise ValueError(f"SAM.gov sample at {self.path} is not gzipped JSON: {exc}") from None
        if not (
            isinstance(data, dict)
            and isinstance(data.get("edition"), str)
            and isinstance(data.get("days"), dict)
            and isinstance(data.get("descriptions"), dict)
        ):
            raise ValueError(f"SAM.gov sample at {self.path} lacks 'edition', 'days' or 'descriptions'")
        self._edition: str = data["edition"]
        self._days: dict[str, dict[str, Any]] = data["days"]
        self._descriptions: dict[str, str] = data["descriptions"]

    def __repr__(self) -> str:
        return f"SampleSam(path={str(self.path)!r}, edition={self._edition!r})"

    @property
    def edition(self) -> str:
        return self._edition

    def days(self) -> list[date]:
        return sorted(date.fromisoformat(day) for day in self._days)

    def fetch_day(
        self,
        day: date,
        progress: DayProgress | None = None,
        *,
        on_page: Callable[[DayProgress], None] | None = None,
    ) -> DayProgress:
        """The day's notices as one complete progress (``requests=0``); a day outside the sample is empty."""
        check_day(day)
        if progress is not None and progress.day == day and progress.complete:
            return progress
        body = self._days.get(day.isoformat(), {"totalRecords": 0, "opportunitiesData": []})
        page = body["opportunitiesData"]
        records: dict[str, dict] = {}
        for record in page:
            records.setdefault(record["noticeId"], record)
        result = DayProgress(
            day=day,
            total_records=body["totalRecords"],
            next_offset=len(page),
            records=records,
            complete=True,
        )
        if on_page:
            on_page(result)
        return result

    def fetch_descriptions(
        self,
        records: Iterable[dict],
        have: Mapping[str, str],
        *,
        on_item: Callable[[str, str], None] | None = None,
    ) -> dict[str, str]:
        """``have`` plus the sample's text for every other record ("" where the sample has none)."""
        result = dict(have)
        for record in records:
            notice_id = record["noticeId"]
            if notice_id in result:
                continue
            text = self._descriptions.get(notice_id)
            if text is None:
                # Records captured as text (not a link) carry their description themselves.
                inline = record.get("description")
                text = inline if isinstance(inline, str) and not is_http_url(inline) else ""
            result[notice_id] = text
            if on_item:
                on_item(notice_id, text)
        return result
