"""Idempotent writes: what the target confirmed is remembered by hash, and not sent again."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from sync_pipeline.ledger import Kind, LedgerError, State, payload_hash

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)
ARTICLE = {"ArticleNumber": "SKU-1001", "ArticleName": "Kaffe", "Weight": Decimal("0.500")}


def test_an_unchanged_record_is_not_sent_again(ledger):
    assert ledger.needs_write("article", "SKU-1001", ARTICLE)
    ledger.record_success("article", "SKU-1001", ARTICLE, source_version="2024-05-17T10:00:00+00:00", now=NOW)
    assert not ledger.needs_write("article", "SKU-1001", ARTICLE)
    assert not ledger.needs_write("article", "SKU-1001", {**ARTICLE, "Weight": 0.5})  # the same value sent
    assert not ledger.needs_write("article", "SKU-1001", payload_hash=payload_hash(ARTICLE))
    assert ledger.needs_write("article", "SKU-1001", {**ARTICLE, "ArticleName": "Kaffe, mørk"})
    assert ledger.needs_write("supplier", "SKU-1001", ARTICLE)  # kinds are separate namespaces
    assert ledger.needs_write("article", "SKU-1002", ARTICLE)


def test_success_records_what_was_sent(ledger):
    entry = ledger.record_success(Kind.ORDER, 7, {"OrderInfo": {"GoodsOwnerOrderNumber": "7"}},
                                  source_version="2024-05-17T10:00:00+00:00", wms_id=9001, now=NOW)
    assert (entry.kind, entry.key, entry.state, entry.wms_id) == (Kind.ORDER, "7", State.SENT, "9001")
    assert entry.payload_hash == payload_hash({"OrderInfo": {"GoodsOwnerOrderNumber": "7"}})
    assert entry.updated_at == NOW and entry.updated_at.tzinfo is not None
    assert ledger.get("order", "7") == entry
    assert ledger.get("order", "8") is None
    assert ledger.record_success("stock", "SKU-1", {"quantity": Decimal(3)}, now=NOW).state is State.WRITTEN


def test_a_later_success_keeps_what_it_does_not_name(ledger):
    ledger.record_success("order", "7", {"v": 1}, source_version="v1", wms_id="9001", now=NOW)
    entry = ledger.record_success("order", "7", {"v": 2}, now=NOW)
    assert (entry.source_version, entry.wms_id, entry.payload_hash) == ("v1", "9001", payload_hash({"v": 2}))


def test_a_failed_write_of_another_payload_forgets_what_was_confirmed(ledger):
    """After a timeout the target may hold either version, so even the old one must go out again."""
    ledger.record_success("article", "SKU-1001", ARTICLE, now=NOW)
    changed = {**ARTICLE, "ArticleName": "Te"}
    entry = ledger.record_failure("article", "SKU-1001", "timed out", retryable=True, payload=changed, now=NOW)
    assert entry.payload_hash is None and entry.state is State.SENT  # it was sent once; now uncertain
    assert ledger.needs_write("article", "SKU-1001", ARTICLE)
    assert ledger.needs_write("article", "SKU-1001", changed)


def test_a_failed_write_of_the_same_payload_keeps_it(ledger):
    ledger.record_success("article", "SKU-1001", ARTICLE, now=NOW)
    ledger.record_failure("article", "SKU-1001", "timed out", retryable=True, payload=ARTICLE, now=NOW)
    assert not ledger.needs_write("article", "SKU-1001", ARTICLE)


def test_entries_reads_many_at_once(ledger):
    ledger.claim("article", [f"SKU-{n:04}" for n in range(1200)], "run-1", now=NOW)  # enters them as pending
    ledger.record_success("article", "SKU-0001", ARTICLE, now=NOW)
    found = ledger.entries("article", [f"SKU-{n:04}" for n in range(1100, 1300)] + ["SKU-0001"])
    assert len(found) == 101
    assert found["SKU-0001"].state is State.SENT and found["SKU-1100"].state is State.PENDING


@pytest.mark.parametrize("call", [
    lambda ledger: ledger.needs_write("parcel", "1", {}),
    lambda ledger: ledger.needs_write("article", "", {}),
    lambda ledger: ledger.needs_write("article", "x" * 256, {}),
    lambda ledger: ledger.needs_write("article", "1"),
    lambda ledger: ledger.needs_write("article", "1", payload_hash="not a sha256"),
    lambda ledger: ledger.record_success("article", "1", {}, state="shipped"),
    lambda ledger: ledger.record_success("article", "1", {}, state="error"),
    lambda ledger: ledger.record_success("article", "1", {}, now=datetime(2024, 1, 1)),
    lambda ledger: ledger.record_success("article", "1", {}, source_version="v" * 101),
])
def test_misuse_is_refused_with_a_reason(sqlite_ledger, call):
    with pytest.raises(LedgerError):
        call(sqlite_ledger)
