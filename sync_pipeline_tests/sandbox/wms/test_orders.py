"""ProcessOrder and UpdateOrder, read back through GetOrdersByQuery."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import (
    DELIVERY,
    NOT_SET,
    Ongoing,
    customer,
    invoice_address,
    line,
    order,
)


@pytest.fixture
def articles(ongoing: Ongoing, wms_admin: Admin) -> Ongoing:
    ongoing.process_article("SKU-1", ArticleName="Tent", ProductCode="P-1")
    ongoing.process_article("SKU-2", ArticleName="Stove", ProductCode="P-2")
    wms_admin.post("stock", [{"ArticleNumber": "SKU-1", "NumberOfItems": 10},
                             {"ArticleNumber": "SKU-2", "NumberOfItems": 1}])
    return ongoing


def kari(**fields: object) -> dict:
    return customer(CustomerNumber="2", Name="Kari Nordmann", Address="Storgata 1", PostCode="0155", City="Oslo",
                    CountryCode="NO", TelePhone="+47 22 00 00 00", MobilePhone="+47 912 34 567",
                    Email="kari@example.no",
                    InvoiceAddress=invoice_address(Name="Kari Nordmann AS", Address="Postboks 9", PostCode="0101",
                                                   City="Oslo", CountryCode="NO", Email="faktura@example.no"),
                    **fields)


def test_an_order_is_created_and_read_back_with_consignee_lines_and_status(articles: Ongoing) -> None:
    result = articles.process_order(order(
        "1001", [line("1", 2, article_number="SKU-1"), line("2", 1, product_code="P-2")], customer=kari(),
        ReferenceNumber="PO-55", SalesCode="web", OrderRemark="Leave at the door", WayOfDelivery="Bring",
        WayOfDeliveryType={"WayOfDeliveryTypeOperation": "CreateOrFind", "WayOfDeliveryTypeIdentification": "Code",
                           "Code": "BRING", "Name": "Bring Pakke"}))

    assert (result.Success, result.GoodsOwnerOrderNumber) == (True, "1001")
    found = articles.order("1001")
    info = found.OrderInfo
    assert (info.OrderId, info.GoodsOwnerOrderNumber, info.OrderStatusNumber, info.OrderStatusText) == (
        result.OrderId, "1001", 200, "Open")
    assert (info.ReferenceNumber, info.SalesCode, info.OrderRemark, info.WayOfDelivery) == (
        "PO-55", "web", "Leave at the door", "Bring")
    assert (info.WayOfDeliveryTypeCode, info.WayOfDeliveryTypeName) == ("BRING", "Bring Pakke")
    assert info.DeliveryDate == DELIVERY
    assert info.ShippedTime == NOT_SET
    consignee = found.Consignee
    assert (consignee.Name, consignee.Address, consignee.PostCode, consignee.City, consignee.CountryCode) == (
        "Kari Nordmann", "Storgata 1", "0155", "Oslo", "NO")
    assert (consignee.TelePhone, consignee.MobilePhone, consignee.Email, consignee.CustomerNumber) == (
        "+47 22 00 00 00", "+47 912 34 567", "kari@example.no", "2")
    invoice = consignee.InvoiceAddress
    assert (invoice.Name, invoice.Address, invoice.PostCode, invoice.Email) == (
        "Kari Nordmann AS", "Postboks 9", "0101", "faktura@example.no")
    lines = [(l.ExternalOrderLineCode, l.Article.ArticleNumber, l.Article.ProductCode, l.OrderedNumberOfItems,
              l.PickedNumberOfItems) for l in found.PickedOrderLines.PickedOrderLine]
    assert lines == [("1", "SKU-1", "P-1", Decimal(2), Decimal(0)), ("2", "SKU-2", "P-2", Decimal(1), Decimal(0))]


def test_an_open_order_books_its_items(articles: Ongoing) -> None:
    articles.process_order(order("1001", [line("1", 2, article_number="SKU-1"), line("2", 3, product_code="P-2")]))

    tent, stove = articles.inventory_of("SKU-1"), articles.inventory_of("SKU-2")
    assert (tent.NumberOfItemsDecimal, tent.NumberOfBookedItems, tent.SellableNumberOfItems) == (10, 2, 8)
    assert (stove.NumberOfItemsDecimal, stove.NumberOfBookedItems, stove.SellableNumberOfItems) == (1, 3, -2)


def test_creating_an_existing_order_is_refused(articles: Ongoing) -> None:
    first = articles.process_order(order("1001", [line("1", article_number="SKU-1")], operation="Create"))

    again = articles.process_order(order("1001", [line("1", 5, article_number="SKU-1")], operation="Create"))

    assert again.Success is False
    assert "already exists" in again.ErrorMessage and again.OrderId == first.OrderId
    assert articles.order("1001").PickedOrderLines.PickedOrderLine[0].OrderedNumberOfItems == 1


def test_updating_an_unknown_order_is_refused(articles: Ongoing) -> None:
    for operation in ("Update", "Remove"):
        result = articles.process_order(order("404", [line("1", article_number="SKU-1")], operation=operation))
        assert result.Success is False and "does not exist" in result.ErrorMessage
    assert articles.orders() == []


def test_an_unknown_article_refuses_the_whole_order_naming_the_line(articles: Ongoing) -> None:
    result = articles.process_order(order("1001", [line("1", article_number="SKU-1"),
                                                   line("2", article_number="SKU-404")]))
    by_code = articles.process_order(order("1002", [line("7", product_code="P-404")]))

    assert result.Success is False
    assert "Order line 2" in result.ErrorMessage and "SKU-404" in result.ErrorMessage
    assert by_code.Success is False and "P-404" in by_code.ErrorMessage
    assert articles.orders() == []
    assert articles.inventory_of("SKU-1").NumberOfBookedItems == 0


@pytest.mark.parametrize(("lines", "expected"), [
    ([line("1", article_number="SKU-1"), line("1", article_number="SKU-2")], "ExternalOrderLineCode 1"),
    ([line("1", 0, article_number="SKU-1")], "NumberOfItems must be greater than 0"),
    ([line("1", -2, article_number="SKU-1")], "NumberOfItems must be greater than 0"),
])
def test_bad_lines_refuse_the_order(articles: Ongoing, lines: list, expected: str) -> None:
    result = articles.process_order(order("1001", lines))

    assert result.Success is False and expected in result.ErrorMessage
    assert articles.orders() == []


def test_an_update_replaces_the_lines_and_rebooks_stock(articles: Ongoing) -> None:
    articles.process_order(order("1001", [line("1", 2, article_number="SKU-1")], customer=kari()))

    result = articles.process_order(order("1001", [line("1", 5, article_number="SKU-1"),
                                                   line("2", 1, article_number="SKU-2")], OrderRemark="Call first"))

    assert result.Success is True and "updated" in result.Message
    found = articles.order("1001")
    assert [l.OrderedNumberOfItems for l in found.PickedOrderLines.PickedOrderLine] == [5, 1]
    assert found.OrderInfo.OrderRemark == "Call first"
    assert found.Consignee.Name == "Kari Nordmann"  # not sent again, kept
    assert articles.inventory_of("SKU-1").NumberOfBookedItems == 5
    assert articles.inventory_of("SKU-2").NumberOfBookedItems == 1


@pytest.mark.parametrize("operation", ["CreateOrUpdate", "Update", "Remove"])
def test_no_changes_once_the_warehouse_started(articles: Ongoing, wms_admin: Admin, operation: str) -> None:
    articles.process_order(order("1001", [line("1", 2, article_number="SKU-1")]))
    wms_admin.post("orders/1001/status", {"OrderStatusNumber": 300})

    result = articles.process_order(order("1001", [line("1", 9, article_number="SKU-1")], operation=operation))

    assert result.Success is False
    assert result.ErrorMessage == ("Order cannot be updated, the warehouse has started working on it "
                                   "(status 300)")
    found = articles.order("1001")
    assert found.OrderInfo.OrderStatusNumber == 300
    assert found.PickedOrderLines.PickedOrderLine[0].OrderedNumberOfItems == 2


def test_remove_cancels_an_open_order_and_releases_its_items(articles: Ongoing) -> None:
    articles.process_order(order("1001", [line("1", 2, article_number="SKU-1")]))

    result = articles.process_order(order("1001", operation="Remove"))

    assert result.Success is True
    info = articles.order("1001").OrderInfo
    assert (info.OrderStatusNumber, info.OrderStatusText) == (1000, "Cancelled")
    assert articles.inventory_of("SKU-1").NumberOfBookedItems == 0
    again = articles.process_order(order("1001", [line("1", article_number="SKU-1")]))
    assert again.Success is False and "cancelled" in again.ErrorMessage


def test_update_order_sets_status_and_waybill(articles: Ongoing) -> None:
    articles.process_order(order("1001", [line("1", 2, article_number="SKU-1")]))

    result = articles.update_order("1001", status=450, waybill="370000000000000017")

    assert result.Success is True
    found = articles.order("1001")
    assert (found.OrderInfo.OrderStatusNumber, found.OrderInfo.WayBill) == (450, "370000000000000017")
    assert [t.Waybill for t in found.Tracking.OrderTrackingInfo] == ["370000000000000017"]
    assert found.OrderInfo.ShippedTime != NOT_SET
    assert articles.inventory_of("SKU-1").NumberOfItemsDecimal == 8


def test_update_order_refuses_unknown_orders_and_statuses(articles: Ongoing) -> None:
    articles.process_order(order("1001", [line("1", article_number="SKU-1")]))

    unknown_order = articles.update_order("404", status=450)
    unknown_status = articles.update_order("1001", status=451)

    assert unknown_order.Success is False and "404" in unknown_order.Message
    assert unknown_status.Success is False and "451" in unknown_status.Message
    assert articles.order("1001").OrderInfo.OrderStatusNumber == 200
