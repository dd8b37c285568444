"""Cursors can live in the ledger: one JSON text per process."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sync_pipeline.ledger import LedgerError
from sync_pipeline.sync.cursor import Cursor

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)


def test_a_cursor_is_kept_per_process(ledger):
    assert ledger.get_cursor("articles") is None
    first = Cursor(moment=NOW, recent={"SKU-1": NOW.isoformat()})
    ledger.set_cursor("articles", first.to_json(), now=NOW)
    ledger.set_cursor("orders", Cursor(moment=NOW.replace(hour=9)).to_json(), now=NOW)
    assert Cursor.from_json(ledger.get_cursor("articles")) == first
    later = Cursor(moment=NOW.replace(hour=13))
    ledger.set_cursor("articles", later.to_json(), now=NOW)
    assert Cursor.from_json(ledger.get_cursor("articles")) == later
    assert Cursor.from_json(ledger.get_cursor("orders")).moment == NOW.replace(hour=9)


def test_cursors_survive_the_process(store):
    store.open().set_cursor("stock", '{"moment": "2024-05-17T12:00:00+00:00", "recent": {}}', now=NOW)
    assert store.open().get_cursor("stock") == '{"moment": "2024-05-17T12:00:00+00:00", "recent": {}}'


@pytest.mark.parametrize("process, value", [("", "{}"), ("x" * 101, "{}"), ("articles", {"moment": None})])
def test_cursor_misuse_is_refused(sqlite_ledger, process, value):
    with pytest.raises(LedgerError):
        sqlite_ledger.set_cursor(process, value)
