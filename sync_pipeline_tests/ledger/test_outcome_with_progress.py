"""A record's outcome carries the stage it reached and its stage times, in the one transaction that records it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from sync_pipeline.ledger import LedgerError, Stage, State
from sync_pipeline.soap.errors import RecordError

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)


def begins(ledger, call) -> int:
    seen: list[object] = []

    def began(connection: object) -> None:
        seen.append(connection)

    event.listen(ledger.engine, "begin", began)
    try:
        call()
    finally:
        event.remove(ledger.engine, "begin", began)
    return len(seen)


def test_a_report_that_failed_leaves_the_order_shipped_with_its_time_in_one_transaction(ledger):
    ledger.record_success("order", "7", {"pushed": 1}, now=NOW - 2 * MINUTE)
    failure = RecordError(key="7", message="timed out", retryable=True)

    assert begins(ledger, lambda: ledger.record_failure("order", "7", failure, state=State.SHIPPED,
                                                        stages={Stage.SHIPPED: NOW - MINUTE}, now=NOW)) == 1

    entry = ledger.get("order", "7")
    assert (entry.state, entry.last_error, entry.attempts) == (State.SHIPPED, "timed out", 1)
    assert ledger.due_retries("order", NOW + timedelta(days=1), states=[State.SHIPPED]) == ["7"]
    assert ledger.stage_times("order") == {"7": {Stage.SHIPPED: NOW - MINUTE}}


def test_the_retry_that_succeeds_reports_it_with_both_times_in_one_transaction(ledger):
    ledger.record_failure("order", "8", RecordError(key="8", message="timed out", retryable=True),
                          state="shipped", stages={Stage.SHIPPED: NOW - MINUTE}, now=NOW)

    assert begins(ledger, lambda: ledger.record_success(
        "order", "8", state=State.REPORTED, stages={Stage.SHIPPED: NOW, Stage.REPORTED: NOW + MINUTE},
        now=NOW + MINUTE)) == 1

    entry = ledger.get("order", "8")
    assert (entry.state, entry.last_error, entry.next_attempt_at) == (State.REPORTED, None, None)
    assert ledger.stage_times("order") == {"8": {Stage.SHIPPED: NOW - MINUTE, Stage.REPORTED: NOW + MINUTE}}


def test_a_failure_never_moves_a_record_back(ledger):
    ledger.record_success("order", "9", state=State.REPORTED, now=NOW)
    ledger.record_failure("order", "9", "late echo", state=State.SHIPPED, now=NOW)
    assert ledger.get("order", "9").state is State.REPORTED
    ledger.record_failure("order", "10", "refused", state=State.PENDING, now=NOW)
    assert ledger.get("order", "10").state is State.ERROR


def test_error_is_not_a_stage_reached(sqlite_ledger):
    with pytest.raises(LedgerError):
        sqlite_ledger.record_failure("order", "1", "x", state=State.ERROR)
