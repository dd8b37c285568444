"""The stock change feed: GetInventoryChanges gives each unreported change, SetInventoryChangesToReported ends it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sync_pipeline.soap.errors import TerminalError
from sync_pipeline.wms import WmsClient
from sync_pipeline.wms.models import inventory_changes_of
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.samples import article, order


def test_stock_changes_are_given_until_marked_reported(client: WmsClient, wms_admin: Admin) -> None:
    for number in ("SKU-1001", "SKU-1002", "SKU-1003"):
        assert client.process_article(article(number)).success
    wms_admin.post("stock", {"ArticleNumber": "SKU-1001", "NumberOfItems": "10"})
    wms_admin.post("stock", {"ArticleNumber": "SKU-1001", "NumberOfItems": "7"})
    wms_admin.post("stock", {"ArticleNumber": "SKU-1003", "NumberOfItems": "4"})

    changes = {change.ArticleNumber: change for change in client.inventory_changes()}
    assert set(changes) == {"SKU-1001", "SKU-1003"}  # SKU-1002's stock never moved
    assert changes["SKU-1001"].NumberOfItems == Decimal("7")  # +10 then -3
    assert len(changes["SKU-1001"].InventoryIds) == 2

    first = changes["SKU-1001"]
    for inventory_id in first.InventoryIds:
        client.set_inventory_changes_to_reported(first.ArticleSystemId, inventory_id)
    assert [change.ArticleNumber for change in client.inventory_changes()] == ["SKU-1003"]


def test_a_shipped_pick_is_a_stock_change(client: WmsClient, wms_admin: Admin) -> None:
    client.process_article(article("SKU-1001"))
    wms_admin.post("stock", {"ArticleNumber": "SKU-1001", "NumberOfItems": "10"})
    (change,) = client.inventory_changes()
    client.set_inventory_changes_to_reported(change.ArticleSystemId, change.InventoryIds[0])
    assert client.process_order(order("20001", ("SKU-1001", 3))).success
    assert client.inventory_changes() == []  # booking items moves no physical stock

    wms_admin.post("orders/20001/status", {"OrderStatusNumber": 450})  # sent: the items left
    (shipped,) = client.inventory_changes()
    assert (shipped.ArticleNumber, shipped.NumberOfItems) == ("SKU-1001", Decimal("-3"))


def test_marking_an_unknown_change_is_refused_by_name(client: WmsClient, wms_admin: Admin) -> None:
    client.process_article(article("SKU-1001"))
    wms_admin.post("stock", {"ArticleNumber": "SKU-1001", "NumberOfItems": "1"})
    (change,) = client.inventory_changes()
    with pytest.raises(TerminalError, match="InventoryNotFound"):
        client.set_inventory_changes_to_reported(change.ArticleSystemId, change.InventoryIds[0] + 100)
    with pytest.raises(TerminalError, match="ArticleNotFound"):
        client.set_inventory_changes_to_reported(999_999, change.InventoryIds[0])
    assert client.inventory_changes() == [change]  # still unreported


def test_a_change_line_without_its_article_id_is_skipped_and_the_rest_read(caplog) -> None:
    result = {"GoodsOwnerId": 1, "InventoryChangeLines": {"InventoryChangeLine": [
        {"Article": {"SystemId": None, "ArticleNumber": "SKU-9"}, "InventoryChangesNumberOfItems": Decimal(1)},
        {"Article": {"SystemId": 5, "ArticleNumber": "SKU-5", "ProductCode": "5"},
         "InventoryChangesNumberOfItems": Decimal(-2),
         "InventoryTransactions": {"InventoryTransaction": [{"InventoryId": 8}, {"InventoryId": None}]}}]}}
    (change,) = inventory_changes_of(result)
    assert (change.ArticleNumber, change.ProductCode, change.InventoryIds) == ("SKU-5", "5", (8,))
    assert "without Article.SystemId" in caplog.text
