"""The payload hash: equal for payloads that send the same thing, different for any change."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from uuid import UUID

import pytest

from sync_pipeline.ledger import canonical_json, payload_hash
from sync_pipeline.mapping import map_article, map_order
from sync_pipeline_tests.mapping.records import order, product


class Colour(Enum):
    RED = "red"


def test_the_same_values_in_another_form_hash_the_same():
    oslo = timezone(timedelta(hours=2))
    one = {"Weight": Decimal("0.750"), "Lines": [{"NumberOfItems": Decimal("2")}],
           "DeliveryDate": datetime(2024, 5, 17, 2, 0, tzinfo=oslo), "Name": "Brød"}
    other = {"Name": "Brød", "DeliveryDate": datetime(2024, 5, 17, 0, 0, tzinfo=timezone.utc),
             "Lines": [{"NumberOfItems": 2}], "Weight": 0.75}
    assert payload_hash(one) == payload_hash(other)
    assert canonical_json(one) == ('{"DeliveryDate":"2024-05-17T00:00:00Z","Lines":[{"NumberOfItems":"2"}],'
                                   '"Name":"Brød","Weight":"0.75"}')


@pytest.mark.parametrize("value, text", [
    (Decimal("1.50"), '"1.5"'), (Decimal("100"), '"100"'), (Decimal("1E+2"), '"100"'), (Decimal("-0.00"), '"0"'),
    (0.1, '"0.1"'), (7, '"7"'), (True, "true"), (None, "null"), (Colour.RED, '"red"'),
    (date(2024, 1, 2), '"2024-01-02"'), (UUID(int=1), '"00000000-0000-0000-0000-000000000001"'),
    ({3, 1, 2}, '["1","2","3"]'), ((1, "a"), '["1","a"]'), ({1: "x"}, '{"1":"x"}'),
])
def test_canonical_forms(value, text):
    assert canonical_json(value) == text


@pytest.mark.parametrize("changed", [
    {"Weight": Decimal("0.751")},
    {"Name": "Brød "},
    {"Lines": [{"NumberOfItems": 2}, {"NumberOfItems": 1}]},  # list order is what is sent
    {"Extra": None},
    {"DeliveryDate": datetime(2024, 5, 17, 0, 0, 1, tzinfo=timezone.utc)},
])
def test_any_change_changes_the_hash(changed):
    base = {"Name": "Brød", "Weight": Decimal("0.75"), "Lines": [{"NumberOfItems": 1}, {"NumberOfItems": 2}],
            "DeliveryDate": datetime(2024, 5, 17, tzinfo=timezone.utc)}
    assert payload_hash({**base, **changed}) != payload_hash(base)


def test_mapped_records_hash_stably():
    assert payload_hash(map_article(product())) == payload_hash(map_article(product()))
    assert payload_hash(map_order(order())) == payload_hash(map_order(order()))
    assert payload_hash(map_article(product())) != payload_hash(map_article(product(Weight=Decimal("0.8"))))
    digest = payload_hash(map_order(order()))
    assert len(digest) == 64 and set(digest) <= set("0123456789abcdef")


@pytest.mark.parametrize("value", [object(), {"x": b"bytes"}, {("a",): 1}, Decimal("NaN"), float("inf")])
def test_values_without_a_stable_form_are_refused(value):
    with pytest.raises((TypeError, ValueError)):
        payload_hash(value)
