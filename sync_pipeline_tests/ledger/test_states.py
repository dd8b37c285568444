"""Order states move forward only (pending -> sent -> shipped -> reported); reported happens once."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest

from sync_pipeline.ledger import LedgerError, State

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)


def test_an_order_walks_its_lifecycle(ledger):
    assert ledger.mark("order", "7", "pending", now=NOW)
    assert ledger.record_success("order", "7", {"v": 1}, now=NOW).state is State.SENT
    assert ledger.mark("order", "7", State.SHIPPED, now=NOW)
    assert ledger.mark("order", "7", "reported", now=NOW)
    assert ledger.get("order", "7").state is State.REPORTED


def test_states_never_move_backwards(ledger):
    ledger.mark("order", "7", "shipped", now=NOW)
    assert not ledger.mark("order", "7", "sent", now=NOW)
    assert not ledger.mark("order", "7", "shipped", now=NOW)
    # An overlapping push confirming the order again does not undo the shipment.
    entry = ledger.record_success("order", "7", {"v": 1}, wms_id="55", now=NOW)
    assert entry.state is State.SHIPPED and entry.wms_id == "55"


def test_a_failure_keeps_the_stage_reached(ledger):
    ledger.mark("order", "7", "shipped", now=NOW)
    entry = ledger.record_failure("order", "7", "ERP refused the status", retryable=True, now=NOW)
    assert entry.state is State.SHIPPED and entry.failing
    fresh = ledger.record_failure("order", "8", "WMS refused the order", retryable=True, now=NOW)
    assert fresh.state is State.ERROR
    assert ledger.mark("order", "8", "sent", now=NOW)  # error ranks with pending: forward from there


def test_reported_once_per_order(ledger):
    assert ledger.mark("order", "7", "reported", now=NOW)  # unknown to the ledger yet: entered as reported
    assert not ledger.mark("order", "7", "reported", now=NOW)
    assert not ledger.mark("order", 7, "reported", now=NOW)


def test_reported_once_under_concurrency(store):
    """Eight threads race to report the same 40 orders: each order says True exactly once."""
    ledgers = [store.open() for _ in range(2)]
    orders = [str(n) for n in range(40)]
    for order in orders[:20]:
        ledgers[0].mark("order", order, "shipped", now=NOW)  # some known and shipped, some new
    winners: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def report(ledger) -> None:
        start.wait()
        for order in orders:
            if ledger.mark("order", order, "reported"):
                with lock:
                    winners.append(order)

    threads = [threading.Thread(target=report, args=(ledgers[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(winners, key=int) == orders
    assert {ledgers[0].get("order", o).state for o in orders} == {State.REPORTED}


@pytest.mark.parametrize("kind, state", [("article", "shipped"), ("stock", "sent"), ("order", "written"),
                                         ("order", "error"), ("order", "lost")])
def test_states_outside_the_kinds_lifecycle_are_refused(sqlite_ledger, kind, state):
    with pytest.raises(LedgerError):
        sqlite_ledger.mark(kind, "1", state)
