"""The payload builders: callers give business fields, the requests come out complete and valid."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import zeep
from lxml import etree

from sync_pipeline.wms import payloads
from sync_pipeline.wms.client import WSDL_PATH
from sync_pipeline_tests.contracts.real import ONGOING_2024, contracts_dir, validate_envelope
from sync_pipeline_tests.wms.status_calls import order_status_update

CREDENTIALS = {"GoodsOwnerCode": "DEMO", "UserName": "demo", "Password": "demo-password"}


@pytest.fixture(scope="module")
def ours() -> zeep.Client:
    return zeep.Client(str(WSDL_PATH), settings=zeep.Settings(strict=True, forbid_external=True))


def render(client: zeep.Client, operation: str, **payload: Any) -> etree._Element:
    """The request envelope zeep would send, checked against the real 2024 service description."""
    envelope = client.create_message(client.service, operation, **CREDENTIALS, **payload)
    validate_envelope(contracts_dir() / ONGOING_2024, envelope)
    return envelope


def text_of(envelope: etree._Element, local_name: str) -> list[str | None]:
    return [e.text for e in envelope.iter() if isinstance(e.tag, str) and etree.QName(e).localname == local_name]


def is_nil(envelope: etree._Element, local_name: str) -> bool:
    nil = "{http://www.w3.org/2001/XMLSchema-instance}nil"
    return any(etree.QName(e).localname == local_name and e.get(nil) == "true"
               for e in envelope.iter() if isinstance(e.tag, str))


ARTICLE = {"ArticleNumber": "SKU-1001", "ArticleName": "Bolt M8", "BarCode": "7350000000011", "Weight": 0.25}
SUPPLIER = {"SupplierNumber": "S-7", "SupplierName": "Bolts AB",
            "Address": {"Name": "Bolts AB", "Address": "Storgatan 1", "PostCode": "11122", "City": "Stockholm",
                        "CountryCode": "SE"}}
ORDER = {
    "OrderInfo": {"GoodsOwnerOrderNumber": "10042", "ReferenceNumber": "PO-9", "DeliveryDate": date(2026, 1, 15),
                  "WayOfDelivery": "DHL"},
    "Customer": {"CustomerNumber": "C-100", "Name": "Kund AB", "Address": "Vägen 2", "PostCode": "41101",
                 "City": "Göteborg", "CountryCode": "SE", "Email": "k@example.com",
                 "InvoiceAddress": {"Name": "Kund AB Ekonomi", "Address": "Box 5", "PostCode": "41102",
                                    "City": "Göteborg", "CountryCode": "SE"}},
    "CustomerOrderLines": [
        {"ExternalOrderLineCode": "1", "ArticleNumber": "SKU-1001", "NumberOfItems": Decimal("2")},
        {"ExternalOrderLineCode": "2", "ProductCode": "PC-5", "NumberOfItems": 1.5},
    ],
}


def test_article_is_created_or_updated_by_article_number(ours: zeep.Client) -> None:
    art = payloads.article_definition(ARTICLE)
    assert art["ArticleOperation"] == "CreateOrUpdate"
    assert art["ArticleIdentification"] == "ArticleNumber"
    assert art["IsStockArticle"] is True
    envelope = render(ours, "ProcessArticle", art=art)
    assert is_nil(envelope, "ArticleSystemId")  # required by the schema, "not set"
    assert text_of(envelope, "Weight") == ["0.25"]


def test_caller_cannot_change_how_the_article_is_identified() -> None:
    art = payloads.article_definition({**ARTICLE, "ArticleIdentification": "SystemId", "ArticleSystemId": 5})
    assert art["ArticleIdentification"] == "ArticleNumber" and art["ArticleSystemId"] is None


def test_a_non_stock_article_stays_non_stock() -> None:
    assert payloads.article_definition({**ARTICLE, "IsStockArticle": False})["IsStockArticle"] is False


def test_main_supplier_is_created_or_updated_by_supplier_number(ours: zeep.Client) -> None:
    art = payloads.article_definition({**ARTICLE, "MainSupplier": SUPPLIER})
    supplier = art["MainSupplier"]
    assert supplier["SupplierOperation"] == "CreateOrUpdate"
    assert supplier["SupplierIdentificationType"] == "SupplierNumber"
    assert supplier["Address"]["City"] == "Stockholm"
    envelope = render(ours, "ProcessArticle", art=art)
    assert is_nil(envelope, "IsEuCountry")
    assert text_of(envelope, "SupplierNumber") == ["S-7"]


def test_a_supplier_without_address_renders(ours: zeep.Client) -> None:
    art = payloads.article_definition({**ARTICLE, "MainSupplier": {"SupplierNumber": "S-8", "SupplierName": "X"}})
    assert "Address" not in art["MainSupplier"]
    render(ours, "ProcessArticle", art=art)


@pytest.mark.parametrize("article, message", [
    ({"ArticleName": "no number"}, "ArticleNumber"),
    ({"ArticleNumber": "  "}, "ArticleNumber"),
    ({"ArticleNumber": "A", "MainSupplier": {"SupplierName": "no number"}}, "SupplierNumber"),
])
def test_article_without_its_key_is_refused_before_sending(article: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        payloads.article_definition(article)


def test_order_gets_identification_operation_and_line_specifications(ours: zeep.Client) -> None:
    co = payloads.customer_order(ORDER)
    assert co["OrderInfo"]["OrderIdentification"] == "GoodsOwnerOrderNumber"
    assert co["OrderInfo"]["OrderOperation"] == "CreateOrUpdate"
    assert co["Customer"]["CustomerOperation"] == "CreateOrUpdate"
    assert co["Customer"]["CustomerIdentification"] == "CustomerNumber"
    first, second = co["CustomerOrderLines"]["CustomerOrderLine"]
    assert first["OrderLineIdentification"] == "ExternalOrderLineCode"
    assert first["ArticleIdentification"] == "ArticleNumber"
    assert second["ArticleIdentification"] == "ProductCode"  # the line only has a product code
    assert first["SubOrderLineSpecification"] == "ArticleRegisterSpecification"
    envelope = render(ours, "ProcessOrder", co=co)
    assert text_of(envelope, "DeliveryDate") == ["2026-01-15T00:00:00"]
    assert text_of(envelope, "NumberOfItems") == ["2", "1.5"]
    for nil_id in ("CustomerId", "DeliveryAddressId", "InvoiceAddressId"):
        assert is_nil(envelope, nil_id)
    assert text_of(envelope, "NotifyByEmail") == ["false", "false"]  # customer and invoice address


def test_a_line_can_ask_for_product_code_identification_explicitly() -> None:
    line = payloads.order_line({"ExternalOrderLineCode": "9", "ArticleNumber": "A", "ProductCode": "P",
                                "ArticleIdentification": "ProductCode", "NumberOfItems": 1})
    assert line["ArticleIdentification"] == "ProductCode"


def test_order_lines_may_come_in_the_wsdl_wrapper(ours: zeep.Client) -> None:
    wrapped = {**ORDER, "CustomerOrderLines": {"CustomerOrderLine": ORDER["CustomerOrderLines"]}}
    assert payloads.customer_order(wrapped) == payloads.customer_order(ORDER)


def test_business_flags_win_over_the_neutral_defaults() -> None:
    order = {**ORDER, "Customer": {**ORDER["Customer"], "NotifyByEmail": True}}
    assert payloads.customer_order(order)["Customer"]["NotifyByEmail"] is True


@pytest.mark.parametrize("change, message", [
    (lambda o: o["OrderInfo"].pop("GoodsOwnerOrderNumber"), "GoodsOwnerOrderNumber"),
    (lambda o: o["OrderInfo"].pop("DeliveryDate"), "DeliveryDate"),
    (lambda o: o.pop("Customer"), "Customer"),
    (lambda o: o["Customer"].pop("CustomerNumber"), "CustomerNumber"),
    (lambda o: o["CustomerOrderLines"][1].update(ExternalOrderLineCode="1"), "unique"),
    (lambda o: o["CustomerOrderLines"][0].pop("ExternalOrderLineCode"), "ExternalOrderLineCode"),
    (lambda o: o["CustomerOrderLines"][0].pop("NumberOfItems"), "NumberOfItems"),
    (lambda o: o["CustomerOrderLines"][0].pop("ArticleNumber"), "ArticleNumber"),
    (lambda o: o.update(Lines=[]), "no elements"),
])
def test_incomplete_orders_are_refused_before_sending(change: Any, message: str) -> None:
    import copy

    order = copy.deepcopy(ORDER)
    change(order)
    with pytest.raises(ValueError, match=message):
        payloads.customer_order(order)


def test_builders_do_not_change_what_the_caller_passed() -> None:
    import copy

    order = copy.deepcopy(ORDER)
    payloads.customer_order(order)
    payloads.article_definition({**ARTICLE, "MainSupplier": SUPPLIER})
    assert order == ORDER


def test_tiny_and_huge_numbers_render_without_exponents(ours: zeep.Client) -> None:
    art = payloads.article_definition({**ARTICLE, "Weight": 1e-7, "Price": Decimal("1E+3")})
    envelope = render(ours, "ProcessArticle", art=art)
    assert text_of(envelope, "Weight") == ["0.0000001"]
    assert text_of(envelope, "Price") == ["1000"]


def test_aware_times_are_sent_in_utc() -> None:
    stockholm = timezone(timedelta(hours=1))
    sent = payloads.plain({"DeliveryDate": datetime(2026, 1, 15, 9, 0, tzinfo=stockholm)})["DeliveryDate"]
    assert sent == datetime(2026, 1, 15, 8, 0, tzinfo=timezone.utc)


def test_status_update_identifies_the_order_by_number(ours: zeep.Client) -> None:
    update = order_status_update("10042", 450, "WB-1")
    envelope = render(ours, "UpdateOrder", updateOrder=update)
    assert text_of(envelope, "OrderIdentificationType") == ["GoodsOwnerOrderNumber"]
    assert text_of(envelope, "OrderStatus") == ["450"]
    assert text_of(envelope, "Waybill") == ["WB-1"]
    assert "UpdateOrderWaybill" not in order_status_update("10042", 450)


def test_inventory_query_pages_and_filters(ours: zeep.Client) -> None:
    since = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
    query = payloads.inventory_query(max_articles=50, article_system_id_from=7,
                                     article_numbers=["A", "B"], changed_since=since)
    envelope = render(ours, "GetInventoryByQuery", GetInventoryQuery=query)
    assert text_of(envelope, "MaxArticlesToGet") == ["50"]
    assert text_of(envelope, "ArticleSystemIdFrom") == ["7"]
    assert text_of(envelope, "string") == ["A", "B"]
    assert text_of(envelope, "StockInfoChangedFrom") == ["2026-01-01T12:00:00Z"]


def test_order_filters_send_unused_required_filters_as_nil(ours: zeep.Client) -> None:
    query = payloads.order_filters(max_orders=10, order_id_from=0, status_from=400, status_to=450)
    envelope = render(ours, "GetOrdersByQuery", query=query)
    assert text_of(envelope, "OrderStatusFrom") == ["400"]
    for name in ("DeliveryDateFrom", "ShippedTimeTo", "LastUpdatedFrom", "PickOrderIdFrom"):
        assert is_nil(envelope, name)


def test_naive_filter_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        payloads.order_filters(max_orders=1, order_id_from=0, changed_since=datetime(2026, 1, 1))


def test_a_single_string_is_not_taken_for_a_list_of_characters() -> None:
    with pytest.raises(TypeError):
        payloads.inventory_query(max_articles=1, article_system_id_from=0, article_numbers="SKU-1001")


def test_way_of_delivery_type_is_created_or_updated_by_code(ours: zeep.Client) -> None:
    order = {**ORDER, "OrderInfo": {**ORDER["OrderInfo"], "WayOfDeliveryType": {"Code": "7", "Name": "DHL Parcel"}}}
    co = payloads.customer_order(order)
    delivery = co["OrderInfo"]["WayOfDeliveryType"]
    assert delivery["WayOfDeliveryTypeOperation"] == "CreateOrUpdate"  # a name renamed in the ERP follows
    assert delivery["WayOfDeliveryTypeIdentification"] == "Code"
    render(ours, "ProcessOrder", co=co)
    kept = payloads.way_of_delivery_type({"Code": "7", "Name": "DHL", "WayOfDeliveryTypeOperation": "CreateOrFind"})
    assert kept["WayOfDeliveryTypeOperation"] == "CreateOrFind"  # the warehouse keeps its own names
    with pytest.raises(ValueError, match="WayOfDeliveryTypeOperation"):
        payloads.way_of_delivery_type({"Code": "7", "WayOfDeliveryTypeOperation": "FindOrCreate"})
    by_name = payloads.way_of_delivery_type({"Name": "Pickup"})
    assert by_name["WayOfDeliveryTypeIdentification"] == "Name"
    with pytest.raises(ValueError):
        payloads.way_of_delivery_type({})
