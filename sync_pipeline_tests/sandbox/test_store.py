"""The sandbox store: views of a kind follow every write, never change once taken, and cannot be changed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sync_pipeline.sandbox.store import Store


def plain(value: Any) -> Any:
    """A view's frozen document as the plain JSON-like value Store.get would return."""
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    if hasattr(value, "items"):
        return {key: plain(item) for key, item in value.items()}
    return value


def test_a_view_follows_puts_deletes_and_clear() -> None:
    store = Store()
    store.put("article", "A", {"SystemId": 2, "Stock": Decimal("1.5")})
    assert plain(store.view("article")["A"]) == {"SystemId": 2, "Stock": "1.5"}  # as stored: decimals as text

    store.put("article", "B", {"SystemId": 1})
    store.put("article", "A", {"SystemId": 2, "Stock": "3"})
    assert [plain(d) for d in store.view("article").values()] == list(store.all("article"))
    assert [d["SystemId"] for d in store.view("article").sorted_by("SystemId")] == [1, 2]

    store.delete("article", "B")
    assert list(store.view("article")) == ["A"]
    store.clear()
    assert len(store.view("article")) == 0 and store.view("article").get("A") is None


def test_a_view_keeps_the_write_order_of_all() -> None:
    store = Store()
    for key in "abc":
        store.put("kind", key, {"Id": ord(key)})
    store.view("kind")  # from here on the decoded documents are kept up to date, not read again
    store.put("kind", "a", {"Id": 1})  # a replaced document moves to the end, as its row does

    assert list(store.view("kind")) == ["b", "c", "a"]
    assert [plain(d) for d in store.view("kind").values()] == list(store.all("kind"))


def test_a_view_taken_before_a_write_does_not_change() -> None:
    store = Store()
    store.put("stock", "A", {"Number": 1})
    before = store.view("stock")
    ordered = before.sorted_by("Number")

    store.put("stock", "A", {"Number": 2})
    store.put("stock", "B", {"Number": 3})
    store.delete("stock", "A")

    assert plain(before["A"]) == {"Number": 1} and "B" not in before
    assert before.sorted_by("Number") is ordered
    assert list(store.view("stock")) == ["B"]


def test_documents_in_a_view_cannot_be_changed() -> None:
    store = Store()
    store.put("order", 7, {"OrderId": 7, "Lines": [{"Quantity": 1}], "Info": {"Remark": "x"}})
    order = store.view("order")[7]  # any key is looked up as its string, as Store.get does

    with pytest.raises(TypeError):
        order["OrderId"] = 8
    with pytest.raises(TypeError):
        order["Lines"][0]["Quantity"] = 5
    with pytest.raises(AttributeError):
        order["Lines"].append({})
    with pytest.raises(TypeError):
        order["Info"]["Remark"] = "y"
    with pytest.raises(TypeError):
        store.view("order").index_by("OrderId")[8] = order
    assert store.get("order", 7) == {"OrderId": 7, "Lines": [{"Quantity": 1}], "Info": {"Remark": "x"}}


def test_get_and_all_hand_out_copies_a_caller_may_change() -> None:
    store = Store()
    store.put("order", 7, {"OrderId": 7, "Lines": [{"Quantity": 1}]})
    store.view("order")

    mine = store.get("order", 7)
    mine["Lines"][0]["Quantity"] = 5
    (listed,) = store.all("order")
    listed["OrderId"] = 8

    assert plain(store.view("order")[7]) == store.get("order", 7) == {"OrderId": 7, "Lines": [{"Quantity": 1}]}


def test_index_by_a_field() -> None:
    store = Store()
    store.put("article", "SKU-1", {"SystemId": 10, "ArticleNumber": "SKU-1"})
    store.put("article", "SKU-2", {"SystemId": 11, "ArticleNumber": "SKU-2"})

    by_id = store.view("article").index_by("SystemId")

    assert {system_id: d["ArticleNumber"] for system_id, d in by_id.items()} == {10: "SKU-1", 11: "SKU-2"}


def test_namespaces_sharing_a_file_keep_apart_and_a_new_store_reads_what_is_there(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    erp, wms = Store(path, namespace="erp:"), Store(path, namespace="wms:")
    erp.put("product", 1, {"Id": 1})
    wms.put("article", "A", {"SystemId": 1})
    wms.view("article")

    erp.clear()
    assert len(erp.view("product")) == 0
    assert list(wms.view("article")) == ["A"]
    assert list(Store(path, namespace="wms:").view("article")) == ["A"]  # e.g. after a restart with --state
