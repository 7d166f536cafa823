import multiprocessing
import threading
from datetime import date

import pytest

from slmkit.quota import DailyRequestLedger

DAY = date(2026, 11, 20)


def test_budget_admits_exactly_budget_requests(tmp_path):
    ledger = DailyRequestLedger(tmp_path / "q.sqlite", budget=3)
    assert [ledger.try_acquire(DAY) for _ in range(5)] == [True, True, True, False, False]
    assert ledger.used(DAY) == 3
    assert ledger.remaining(DAY) == 0


def test_days_are_counted_separately_and_persist_across_instances(tmp_path):
    path = tmp_path / "q.sqlite"
    assert DailyRequestLedger(path, budget=2).try_acquire(DAY)
    again = DailyRequestLedger(path, budget=2)
    assert again.used(DAY) == 1
    assert again.remaining(date(2026, 11, 21)) == 2


def test_mark_exhausted_blocks_the_rest_of_the_day_only(tmp_path):
    ledger = DailyRequestLedger(tmp_path / "q.sqlite", budget=10)
    assert ledger.try_acquire(DAY)
    ledger.mark_exhausted(DAY)
    assert not ledger.try_acquire(DAY)
    assert ledger.remaining(DAY) == 0
    assert ledger.try_acquire(date(2026, 11, 21))


def test_ledgers_with_different_names_do_not_share_a_budget(tmp_path):
    a = DailyRequestLedger(tmp_path / "q.sqlite", budget=1, name="a")
    b = DailyRequestLedger(tmp_path / "q.sqlite", budget=1, name="b")
    assert a.try_acquire(DAY) and b.try_acquire(DAY)
    assert not a.try_acquire(DAY)


def test_negative_budget_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="budget"):
        DailyRequestLedger(tmp_path / "q.sqlite", budget=-1)


def _grab(path: str, attempts: int, out) -> None:
    ledger = DailyRequestLedger(path, budget=25)
    out.put(sum(ledger.try_acquire(DAY) for _ in range(attempts)))


def test_concurrent_threads_and_processes_never_exceed_the_budget(tmp_path):
    path = str(tmp_path / "q.sqlite")
    DailyRequestLedger(path, budget=25)
    results: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    procs = [
        multiprocessing.get_context("spawn").Process(target=_grab, args=(path, 20, results)) for _ in range(2)
    ]
    threads = [threading.Thread(target=_grab, args=(path, 20, results)) for _ in range(2)]
    for worker in procs + threads:
        worker.start()
    for worker in procs + threads:
        worker.join(timeout=60)
    admitted = [results.get(timeout=10) for _ in range(4)]
    assert sum(admitted) == 25
    assert DailyRequestLedger(path, budget=25).used(DAY) == 25
