"""Stage times: when each order reached each stage, the first time only (schema version 4)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sync_pipeline.ledger import LedgerError, Stage
from sync_pipeline.ledger.migrations import migrate

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


def test_each_stage_keeps_its_first_time(ledger):
    ledger.record_stages("order", "7", {Stage.CONFIRMED: NOW - HOUR, Stage.CREATED_IN_WMS: NOW}, now=NOW)
    # pushed again after a change, and an overlapping run recording the same moment later
    ledger.record_stages("order", "7", {Stage.CONFIRMED: NOW, Stage.CREATED_IN_WMS: NOW + HOUR,
                                        Stage.SHIPPED: NOW + 2 * HOUR}, now=NOW + 2 * HOUR)
    ledger.record_stages("order", "8", {"confirmed": NOW, "reported": None}, now=NOW)
    assert ledger.stage_times("order") == {
        "7": {Stage.CONFIRMED: NOW - HOUR, Stage.CREATED_IN_WMS: NOW, Stage.SHIPPED: NOW + 2 * HOUR},
        "8": {Stage.CONFIRMED: NOW},
    }
    assert ledger.stage_times("article") == {}


def test_since_gives_whole_histories_of_recent_records(ledger):
    ledger.record_stages("order", "old", {Stage.CONFIRMED: NOW - 50 * HOUR, Stage.REPORTED: NOW - 40 * HOUR})
    ledger.record_stages("order", "recent", {Stage.CONFIRMED: NOW - 30 * HOUR, Stage.REPORTED: NOW - HOUR})
    assert ledger.stage_times("order", since=NOW - 24 * HOUR) == {
        "recent": {Stage.CONFIRMED: NOW - 30 * HOUR, Stage.REPORTED: NOW - HOUR}}


def test_times_come_back_in_utc(ledger):
    oslo = timezone(timedelta(hours=2))
    ledger.record_stages("order", "9", {Stage.SHIPPED: datetime(2024, 5, 17, 14, 0, tzinfo=oslo)})
    assert ledger.stage_times("order")["9"][Stage.SHIPPED] == NOW
    assert ledger.stage_times("order")["9"][Stage.SHIPPED].tzinfo == timezone.utc


def test_a_version_3_ledger_gains_the_table(store):
    migrate(store.engine(), target=3)
    ledger = store.open()
    ledger.record_stages("order", "1", {Stage.CONFIRMED: NOW})
    assert ledger.stage_times("order") == {"1": {Stage.CONFIRMED: NOW}}


@pytest.mark.parametrize("times", [{"picked": NOW}, {Stage.SHIPPED: NOW.replace(tzinfo=None)}])
def test_unknown_stages_and_naive_times_are_refused(sqlite_ledger, times):
    with pytest.raises(LedgerError):
        sqlite_ledger.record_stages("order", "1", times)
