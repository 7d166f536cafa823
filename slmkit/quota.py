"""A daily request budget shared by every process, on every machine, that uses the same ledger database.

The ledger is one table in SQLite (a file: one machine) or PostgreSQL (a server: every machine of a
deployment). A request is admitted by a single conditional upsert — insert the day's row, or add one to it
only while it is under the budget — which both databases run atomically, so any number of runs and workers
can never admit more than the budget between them. Days are UTC calendar days, the way SAM.gov resets its
quota.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

TABLE = "daily_request_quota"


def utc_today() -> date:
    return datetime.now(UTC).date()


class QuotaExhausted(Exception):
    """The daily budget is spent, or the server answered 429: stop now, resume after the reset."""


def _engine(location: str | Path) -> sa.Engine:
    text = str(location)
    if "://" in text:  # a SQLAlchemy URL, e.g. postgresql+psycopg2://user:pw@host/db
        return sa.create_engine(text, pool_pre_ping=True)
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    # No pooled connections: each admission opens the file, so forked workers never share a handle.
    return sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 30}, poolclass=NullPool)


class DailyRequestLedger:
    def __init__(self, location: str | Path, budget: int, *, name: str = "default"):
        """``location``: a SQLite file path, or a database URL (``postgresql+psycopg2://...``)."""
        if budget < 0:
            raise ValueError(f"daily request budget must be >= 0, got {budget}")
        self.budget = budget
        self.name = name
        self.engine = _engine(location)
        self._create_table()

    def __repr__(self) -> str:
        # The URL may hold a password: show the database kind only.
        return f"DailyRequestLedger({self.engine.dialect.name}, name={self.name!r}, budget={self.budget})"

    def _create_table(self) -> None:
        ddl = sa.text(
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            " name TEXT NOT NULL, day TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0,"
            " exhausted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, day))"
        )
        try:
            with self.engine.begin() as conn:
                conn.execute(ddl)
        except DBAPIError:
            # PostgreSQL: two processes creating the table at once; one wins, the other finds it there.
            with self.engine.begin() as conn:
                conn.execute(ddl)

    def try_acquire(self, day: date | None = None) -> bool:
        """Admit one request for ``day`` (UTC today by default) if the budget allows it."""
        if self.budget == 0:
            return False
        upsert = sa.text(
            f"INSERT INTO {TABLE} (name, day, used, exhausted) VALUES (:name, :day, 1, 0)"
            f" ON CONFLICT (name, day) DO UPDATE SET used = {TABLE}.used + 1"
            f" WHERE {TABLE}.used < :budget AND {TABLE}.exhausted = 0"
        )
        with self.engine.begin() as conn:
            result = conn.execute(upsert, self._key(day) | {"budget": self.budget})
        return result.rowcount == 1

    def mark_exhausted(self, day: date | None = None) -> None:
        """Record that the server refused (429): nothing else is sent today, whatever the count says."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"INSERT INTO {TABLE} (name, day, used, exhausted) VALUES (:name, :day, 0, 1)"
                    " ON CONFLICT (name, day) DO UPDATE SET exhausted = 1"
                ),
                self._key(day),
            )

    def _key(self, day: date | None) -> dict[str, str]:
        return {"name": self.name, "day": (day or utc_today()).isoformat()}

    def _row(self, day: date | None) -> tuple[int, bool]:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.text(f"SELECT used, exhausted FROM {TABLE} WHERE name = :name AND day = :day"),
                self._key(day),
            ).first()
        return (row[0], bool(row[1])) if row else (0, False)

    def used(self, day: date | None = None) -> int:
        return self._row(day)[0]

    def remaining(self, day: date | None = None) -> int:
        used, exhausted = self._row(day)
        return 0 if exhausted else max(self.budget - used, 0)
