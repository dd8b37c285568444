"""The partition keys of failed_records, and how the sensor changes the partitions (no systems needed)."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline.assets.failed_record_keys import partition_key, record_of
from sync_pipeline.assets.failed_records import partition_changes
from sync_pipeline.assets.redrive import Record
from sync_pipeline.ledger import Kind


@pytest.mark.parametrize(("kind", "key", "name", "expected"), [
    (Kind.ARTICLE, "3", "SKU-1003", "article:SKU-1003 (product 3)"),
    (Kind.STOCK, "5", "SKU-1005", "stock:SKU-1005 (product 5)"),
    (Kind.SUPPLIER, "7", "Nordic Supply AS", "supplier:Nordic Supply AS (company 7)"),
    (Kind.ORDER, "1002", None, "order:1002"),
    (Kind.ARTICLE, "9", None, "article:product 9"),  # no number in the ERP
    (Kind.SUPPLIER, "8", "Lager, Frakt [Oslo]...\tAS", "supplier:Lager Frakt Oslo AS (company 8)"),
])
def test_keys_are_readable_and_read_back_to_the_ledger_key(kind: Kind, key: str, name: str | None,
                                                           expected: str) -> None:
    made = partition_key(kind, key, name)
    assert made == expected
    dg.DynamicPartitionsDefinition(name="check").build_add_request([made])  # Dagster accepts it
    record = record_of(made)
    assert record is not None and (record.kind, record.key) == (kind, key)
    again = record_of(partition_key(kind, key, name, episode=3))
    assert again is not None and (again.kind, again.key) == (kind, key)


@pytest.mark.parametrize("foreign", ["article:SKU-1003", "order:SKU-1", "shipment:4", "invoice:1", "1002", ""])
def test_keys_the_sensor_did_not_make_name_no_record(foreign: str) -> None:
    assert record_of(foreign) is None


def test_the_label_of_a_key_is_what_the_redrive_reports() -> None:
    assert record_of("article:SKU-1003 (product 3) #2") == Record(Kind.ARTICLE, "3", "SKU-1003 (product 3)")


A3, A5 = "article:SKU-1003 (product 3)", "article:SKU-1005 (product 5)"


def test_partitions_follow_the_failing_records() -> None:
    failing = {(Kind.ARTICLE, "5"), (Kind.ORDER, "2"), (Kind.SUPPLIER, "7")}
    names = {(Kind.SUPPLIER, "7"): "Nordic"}

    changes = partition_changes(failing, existing=[A3, A5, "order:2"], materialized=set(), names=names)

    assert changes.delete == [A3], "healed: removed"
    assert changes.add == ["supplier:Nordic (company 7)"]
    assert changes.unnamed == 0


def test_a_partition_redriven_successfully_goes_and_a_new_failure_gets_a_fresh_key() -> None:
    failing = {(Kind.ARTICLE, "3")}  # re-driven (materialized), then failed again before the sensor looked
    names = {(Kind.ARTICLE, "3"): "SKU-1003"}

    changes = partition_changes(failing, existing=[A3], materialized={A3, f"{A3} #2"}, names=names)

    assert changes.delete == [A3]
    assert changes.add == [f"{A3} #3"], "a key never materialized, so it does not show green"


def test_records_without_a_name_yet_wait_and_keys_nobody_made_are_removed() -> None:
    failing = {(Kind.ARTICLE, "3"), (Kind.ORDER, "10"), (Kind.ORDER, "9")}

    changes = partition_changes(failing, existing=["typed by hand"], materialized=set(), names={})

    assert changes.add == ["order:9", "order:10"] and changes.unnamed == 1
    assert changes.delete == ["typed by hand"]


def test_a_partition_with_a_run_queued_or_in_progress_stays_until_the_run_ends() -> None:
    changes = partition_changes(set(), existing=[A3, A5], materialized=set(), names={}, busy={A5})

    assert changes.delete == [A3]
