"""Reading replies into the models: UTC times, "not set" dates, empty lists, physical stock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import SecretStr, ValidationError

from sync_pipeline.wms import WmsConnection
from sync_pipeline.wms.models import InventoryLine, WmsOrder, WriteResult, orders_of

NOT_SET = datetime(1, 1, 1)


def order_reply(**info: object) -> dict:
    return {
        "OrderInfo": {"OrderId": 12, "GoodsOwnerOrderNumber": "10042", "OrderStatusNumber": 450,
                      "OrderStatusText": "Skickad", "ShippedTime": NOT_SET, "DeliveryDate": NOT_SET,
                      "WayBill": None, **info},
        "Consignee": {"Id": 3, "Name": "Kund AB", "Address": "Vägen 2", "PostCode": "41101", "City": "Göteborg",
                      "CountryCode": "SE", "CustomerNumber": "C-100",
                      "InvoiceAddress": {"AddressId": 4, "Name": "Kund AB Ekonomi", "City": "Göteborg"}},
        "PickedOrderLines": None,
        "Tracking": None,
    }


def test_missing_lines_and_tracking_are_empty_lists() -> None:
    order = WmsOrder.from_reply(order_reply())
    assert order.Lines == [] and order.Tracking == [] and order.waybills == []


def test_not_set_dates_are_none_and_real_ones_are_aware_utc() -> None:
    assert WmsOrder.from_reply(order_reply()).ShippedTime is None
    shipped = WmsOrder.from_reply(order_reply(ShippedTime=datetime(2026, 1, 2, 3, 4))).ShippedTime
    assert shipped == datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    cet = timezone(timedelta(hours=1))
    shifted = WmsOrder.from_reply(order_reply(ShippedTime=datetime(2026, 1, 2, 4, 4, tzinfo=cet))).ShippedTime
    assert shifted == shipped and shifted.tzinfo == timezone.utc
    # Year 1 with an offset has no UTC equivalent: still "not set", not an OverflowError.
    year_one = datetime(1, 1, 1, 0, 30, tzinfo=cet)
    assert WmsOrder.from_reply(order_reply(ShippedTime=year_one)).ShippedTime is None


def test_consignee_and_invoice_address_are_read() -> None:
    order = WmsOrder.from_reply(order_reply())
    assert order.Consignee.CustomerNumber == "C-100" and order.Consignee.City == "Göteborg"
    assert order.InvoiceAddress.Name == "Kund AB Ekonomi"


def test_waybills_come_from_the_order_and_its_outbound_tracking() -> None:
    reply = order_reply(WayBill="WB-1")
    reply["Tracking"] = {"OrderTrackingInfo": [
        {"Waybill": "WB-1", "TrackingUrl": None, "Created": datetime(2026, 1, 2), "IsReturn": False},
        {"Waybill": "WB-2", "TrackingUrl": "https://t/2", "Created": datetime(2026, 1, 2), "IsReturn": False},
        {"Waybill": "RET-1", "TrackingUrl": None, "Created": datetime(2026, 1, 3), "IsReturn": True},
    ]}
    assert WmsOrder.from_reply(reply).waybills == ["WB-1", "WB-2"]


def test_picked_lines_carry_article_and_quantities() -> None:
    reply = order_reply()
    reply["PickedOrderLines"] = {"PickedOrderLine": [
        {"Article": {"SystemId": 5, "ArticleNumber": "SKU-1001", "ProductCode": None}, "OrderLineSystemId": 9,
         "ExternalOrderLineCode": "1", "OrderedNumberOfItems": Decimal("3"), "PickedNumberOfItems": Decimal("2")},
        None,  # a nil array item
    ]}
    (line,) = WmsOrder.from_reply(reply).Lines
    assert (line.ArticleNumber, line.ExternalOrderLineCode, line.PickedNumberOfItems) == ("SKU-1001", "1", 2)


def test_orders_of_an_empty_result() -> None:
    assert orders_of(None) == [] and orders_of({"Orders": None}) == []


def test_inventory_uses_the_decimal_physical_stock() -> None:
    line = InventoryLine.from_reply({
        "Article": {"SystemId": 5, "ArticleNumber": "SKU-1001", "Name": "Bolt"},
        "NumberOfItems": 2, "NumberOfItemsDecimal": Decimal("2.5"),
        "NumberOfBookedItems": 4, "NumberOfBookedItemsDecimal": Decimal("4"),
        "SellableNumberOfItems": Decimal("-1.5"),
    })
    assert line.NumberOfItems == Decimal("2.5") and line.SellableNumberOfItems == Decimal("-1.5")


def test_refusal_message_and_record_error() -> None:
    result = WriteResult.from_file_result("SKU-1", {"Success": False, "ErrorMessage": "Unknown article X",
                                                    "Message": None, "OrderId": 0, "ArticleDefId": None})
    assert (result.success, result.message, result.order_id) == (False, "Unknown article X", None)
    assert result.record_error().key == "SKU-1" and "Unknown article X" in str(result.record_error())
    assert not result.record_error().retryable  # the same refusal would come back
    missing = WriteResult.from_file_result("10042", {"Success": False, "ErrorMessage":
                                                     "Order line 1: article with number SKU-9 does not exist",
                                                     "Message": None, "OrderId": 0, "ArticleDefId": None})
    assert missing.record_error().retryable  # the article sync may create it before the next attempt
    ok = WriteResult.from_file_result("SKU-1", {"Success": True, "Message": "Article created", "OrderId": 0,
                                                "ArticleDefId": 17})
    assert ok.record_error() is None and ok.article_def_id == 17


def test_a_missing_result_is_a_refusal_not_a_success() -> None:
    assert WriteResult.from_update_order_result("10042", None).success is False


def test_models_are_frozen() -> None:
    order = WmsOrder.from_reply(order_reply())
    with pytest.raises(ValidationError):
        order.OrderStatusNumber = 200  # type: ignore[misc]


def test_connection_keeps_the_password_out_of_its_repr() -> None:
    connection = WmsConnection(base_url="https://api.ongoingsystems.se/Demo/", goods_owner_code="DEMO",
                               username="demo", password=SecretStr("s3cret-pass"))
    assert "s3cret-pass" not in repr(connection) and "s3cret-pass" not in str(connection.model_dump())
    assert connection.service_url == "https://api.ongoingsystems.se/Demo/service.asmx"
    assert (connection.timeout, connection.page_size) == (30.0, 1000)


def test_connection_refuses_a_non_http_address() -> None:
    with pytest.raises(ValidationError):
        WmsConnection(base_url="api.ongoingsystems.se/Demo", goods_owner_code="DEMO", username="demo",
                      password="x")


def test_results_are_read_with_or_without_zeeps_unwrapping() -> None:
    from sync_pipeline.wms.models import order_statuses_of

    statuses = [{"OrderStatusId": 450, "OrderStatusName": "Sent"}]
    assert order_statuses_of({"OrderStatuses": {"OrderStatus": statuses}}) == order_statuses_of(
        {"OrderStatus": statuses})
    assert [s.OrderStatusId for s in order_statuses_of({"OrderStatus": statuses})] == [450]
    assert orders_of({"Order": None}) == []
