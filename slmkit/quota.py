"""A daily request budget shared by every process that uses the same ledger file.

The ledger is a SQLite database; each request is admitted inside an ``IMMEDIATE`` transaction, so
two runs (or two workers on one machine) can never admit more than the budget between them.
Days are UTC calendar days, the way SAM.gov resets its quota.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path


def utc_today() -> date:
    return datetime.now(UTC).date()


class QuotaExhausted(Exception):
    """The daily budget is spent, or the server answered 429: stop now, resume after the reset."""


class DailyRequestLedger:
    def __init__(self, path: str | Path, budget: int, *, name: str = "default"):
        if budget < 0:
            raise ValueError(f"daily request budget must be >= 0, got {budget}")
        self.path = Path(path)
        self.budget = budget
        self.name = name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS requests ("
                " name TEXT NOT NULL, day TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0,"
                " exhausted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, day))"
            )

    def _connect(self) -> sqlite3.Connection:
        # Rollback journal, not WAL: switching a new file to WAL is itself a lock that the busy
        # timeout does not cover, and two ledgers opening one new file at once would collide.
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def _row(self, conn: sqlite3.Connection, day: date) -> tuple[int, bool]:
        row = conn.execute(
            "SELECT used, exhausted FROM requests WHERE name = ? AND day = ?", (self.name, day.isoformat())
        ).fetchone()
        return (row[0], bool(row[1])) if row else (0, False)

    def try_acquire(self, day: date | None = None) -> bool:
        """Admit one request for ``day`` (UTC today by default) if the budget allows it."""
        day = day or utc_today()
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                used, exhausted = self._row(conn, day)
                if exhausted or used >= self.budget:
                    conn.execute("ROLLBACK")
                    return False
                conn.execute(
                    "INSERT INTO requests (name, day, used) VALUES (?, ?, 1)"
                    " ON CONFLICT(name, day) DO UPDATE SET used = used + 1",
                    (self.name, day.isoformat()),
                )
                conn.execute("COMMIT")
                return True
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def mark_exhausted(self, day: date | None = None) -> None:
        """Record that the server refused (429): nothing else is sent today, whatever the count says."""
        day = day or utc_today()
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT INTO requests (name, day, exhausted) VALUES (?, ?, 1)"
                " ON CONFLICT(name, day) DO UPDATE SET exhausted = 1",
                (self.name, day.isoformat()),
            )

    def used(self, day: date | None = None) -> int:
        with closing(self._connect()) as conn:
            return self._row(conn, day or utc_today())[0]

    def remaining(self, day: date | None = None) -> int:
        with closing(self._connect()) as conn:
            used, exhausted = self._row(conn, day or utc_today())
        return 0 if exhausted else max(self.budget - used, 0)
