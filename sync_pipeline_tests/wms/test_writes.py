"""Articles, orders and status updates written through the client to the WMS sandbox."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.samples import article, order
from sync_pipeline_tests.wms.status_calls import update_order_status

SUPPLIER = {"SupplierNumber": "S-7", "SupplierName": "Bolts AB",
            "Address": {"Name": "Bolts AB", "Address": "Storgatan 1", "PostCode": "11122", "City": "Stockholm",
                        "CountryCode": "SE"}}


def the_order(client: WmsClient, number: str):
    (found,) = list(client.orders(order_numbers=[number]))
    return found


def test_article_is_created_then_updated_in_place(client: WmsClient) -> None:
    created = client.process_article(article("SKU-1001", Weight=Decimal("0.25")))
    assert created.success and created.key == "SKU-1001" and created.article_def_id
    updated = client.process_article(article("SKU-1001", ArticleName="Bolt M8 x 40"))
    assert updated.success and updated.article_def_id == created.article_def_id
    (line,) = list(client.inventory(article_numbers=["SKU-1001"]))
    assert line.ArticleName == "Bolt M8 x 40" and line.ArticleSystemId == created.article_def_id


def test_article_carries_its_main_supplier(client: WmsClient, wms_admin: Admin) -> None:
    result = client.process_article(article("SKU-1002", MainSupplier=SUPPLIER))
    assert result.success, result.message
    renamed = {**SUPPLIER, "SupplierName": "Bolts & Nuts AB"}
    assert client.process_article(article("SKU-1003", MainSupplier=renamed)).success
    state = str(wms_admin.get("state"))
    assert "S-7" in state and "Bolts & Nuts AB" in state  # CreateOrUpdate by SupplierNumber updated it


def test_refused_article_is_a_result_with_the_message(client: WmsClient) -> None:
    result = client.process_article(article("SKU-1004", ArticleName="x" * 300))
    assert not result.success
    assert "ArticleName" in result.message
    assert result.record_error().key == "SKU-1004"


def test_order_is_created_and_read_back(client: WmsClient) -> None:
    for number in ("SKU-1001", "SKU-1002"):
        assert client.process_article(article(number)).success
    result = client.process_order(order("10042", ("SKU-1001", 2), ("SKU-1002", 5), ReferenceNumber="PO-9"))
    assert result.success, result.message
    assert result.key == "10042" and result.order_id

    read = the_order(client, "10042")
    assert read.OrderId == result.order_id
    assert read.ReferenceNumber == "PO-9"
    assert read.OrderStatusNumber == 200
    assert read.ShippedTime is None  # not sent yet: the "not set" date is no date
    assert read.DeliveryDate == datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert read.Consignee.CustomerNumber == "C-100" and read.Consignee.City == "Göteborg"
    assert read.Consignee.Email == "kund@example.com"
    assert read.InvoiceAddress.Name == "Kund AB Ekonomi" and read.InvoiceAddress.Address == "Box 5"
    assert [(line.ExternalOrderLineCode, line.ArticleNumber, line.OrderedNumberOfItems) for line in read.Lines] == [
        ("1", "SKU-1001", 2), ("2", "SKU-1002", 5)]


def test_sending_the_same_order_again_updates_it(client: WmsClient) -> None:
    client.process_article(article("SKU-1001"))
    first = client.process_order(order("10043", ("SKU-1001", 1)))
    again = client.process_order(order("10043", ("SKU-1001", 3)))
    assert again.success and again.order_id == first.order_id
    assert [line.OrderedNumberOfItems for line in the_order(client, "10043").Lines] == [3]


def test_order_with_an_unknown_article_is_refused_with_the_message(client: WmsClient) -> None:
    result = client.process_order(order("10044", ("NO-SUCH-SKU", 1)))
    assert not result.success
    assert "NO-SUCH-SKU" in result.message
    assert list(client.orders(order_numbers=["10044"])) == []


def test_order_cannot_change_once_the_warehouse_started(client: WmsClient, wms_admin: Admin) -> None:
    client.process_article(article("SKU-1001"))
    assert client.process_order(order("10045", ("SKU-1001", 1))).success
    wms_admin.post("orders/10045/status", {"OrderStatusNumber": 300})
    result = client.process_order(order("10045", ("SKU-1001", 9)))
    assert not result.success
    assert "300" in result.message
    assert [line.OrderedNumberOfItems for line in the_order(client, "10045").Lines] == [1]


def test_status_update_with_waybill_shows_in_the_order(client: WmsClient) -> None:
    client.process_article(article("SKU-1001"))
    client.process_order(order("10046", ("SKU-1001", 2)))
    result = update_order_status(client, "10046", 450, waybill="WB-70701234")
    assert result.success, result.message
    assert result.key == "10046" and result.order_id

    read = the_order(client, "10046")
    assert read.OrderStatusNumber == 450
    assert read.ShippedTime is not None and read.ShippedTime.tzinfo == timezone.utc
    assert read.WayBill == "WB-70701234" and read.waybills == ["WB-70701234"]
    assert [line.PickedNumberOfItems for line in read.Lines] == [2]


def test_status_update_of_an_unknown_order_is_refused(client: WmsClient) -> None:
    result = update_order_status(client, "NO-SUCH-ORDER", 450)
    assert not result.success and "NO-SUCH-ORDER" in result.message


def test_shipped_by_the_warehouse_is_read_with_its_waybill(client: WmsClient, wms_admin: Admin) -> None:
    client.process_article(article("SKU-1001"))
    client.process_order(order("10047", ("SKU-1001", 1)))
    wms_admin.post("orders/10047/status", {"OrderStatusNumber": 450, "WayBill": "WB-1"})
    (shipped,) = list(client.orders(status_from=450, status_to=450))
    assert shipped.GoodsOwnerOrderNumber == "10047" and shipped.waybills == ["WB-1"]
