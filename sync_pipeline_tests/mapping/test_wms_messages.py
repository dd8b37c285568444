"""Mapped records, completed by the WMS client's payload builders, are valid Ongoing messages.

Rendered with zeep from the project's own service description and validated against the vendor's
real 2024 schema: what the maps produce can actually be sent.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import zeep

from sync_pipeline.mapping import ExtraField, map_article, map_order, map_supplier
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.wms import payloads
from sync_pipeline_tests.contracts.real import (
    WMS_WSDL_DIR,
    real_wsdl,
    validate_envelope,
)

from .records import company, order, phones, product

EXTRA = (
    ExtraField(map="order_line", target="LinePrice", source="Price"),
    ExtraField(map="article", target="PurchasePrice", source="InPrice"),
    ExtraField(map="order_info", target="FreeText1", source="OrderStatus"),
)


@functools.cache
def _ongoing() -> zeep.Client:
    return zeep.Client(str(WMS_WSDL_DIR / "ongoing.wsdl"))


def _valid(operation: str, **payload) -> None:
    client = _ongoing()
    envelope = client.create_message(
        client.service, operation, GoodsOwnerCode="DEMO", UserName="demo", Password="demo-password", **payload
    )
    validate_envelope(real_wsdl(WMS_WSDL_DIR / "ongoing.wsdl"), envelope)


def test_a_mapped_order_with_every_field_and_extra_field_is_a_valid_process_order():
    mapped = map_order(order(CustomerDeliveryPhone=None), company(PhoneNumbers=phones(Mobile="+47 900")), EXTRA)
    co = payloads.customer_order(mapped)
    assert co["OrderInfo"]["WayOfDeliveryType"]["Code"] == "3"
    _valid("ProcessOrder", co=co)


def test_a_sparse_mapped_order_is_a_valid_process_order():
    sparse = order(
        DeliveryDate=None, DeliveryMethod=None, Addresses=None, CustomerName=None, CustomerDeliveryName=None,
        CustomerDeliveryPhone=None, InvoiceEmailAddress=None, ReferenceNumber=None, YourReference=None, InvoiceTitle=None,
        InvoiceRows=[{"ProductId": 1, "RowId": 1, "Quantity": Decimal("0.5")}],
    )
    _valid("ProcessOrder", co=payloads.customer_order(map_order(sparse)))


def test_a_mapped_article_with_its_mapped_supplier_is_a_valid_process_article():
    article = map_article(product(), EXTRA)
    article["MainSupplier"] = map_supplier(
        company(Id=9, Type="Supplier", Addresses={"Post": {"Street": "Gate 1", "PostalCode": "0150", "City": "Oslo", "Country": "no"}})
    )
    _valid("ProcessArticle", art=payloads.article_definition(article))


REAL_ONLY = (
    ExtraField(map="article", target="StatisticsNumber", source="ProductCode"),
    ExtraField(map="article", target="CountryOfOriginCode", source="StockLocation"),
    ExtraField(map="article", target="CustomerPrice", source="CashPriceIncTax"),
    ExtraField(map="article", target="ArticleCategory.Code", source="CategoryId"),
    ExtraField(map="order_info", target="OrderType.OrderTypeCode", source="TypeOfSaleId"),
    ExtraField(map="order_info", target="OutboundWarehouse.WarehouseCode", source="DeliveryAlternative"),
    ExtraField(map="customer", target="Address2", source="Addresses.Delivery.Name"),
    ExtraField(map="customer", target="Coordinates.Latitude", source="Commission"),
    ExtraField(map="order_line", target="VatCode.VatPercent", source="VatRate"),
    ExtraField(map="order_line", target="OrderLineType.Code", source="Type"),
)


def test_real_only_extra_fields_and_their_structures_make_a_valid_process_article():
    record = {**product().model_dump(exclude_none=True), "ProductCode": "0901.21", "StockLocation": "co",
              "CashPriceIncTax": 62.375, "CategoryId": 7}
    article = map_article(record, REAL_ONLY)
    assert article["ArticleCategory"]["TypeOperation"] == "FindOrCreate"
    _valid("ProcessArticle", art=payloads.article_definition(article))


def test_real_only_extra_fields_and_their_structures_make_a_valid_process_order():
    record = order().model_dump(exclude_none=True)
    record.update(TypeOfSaleId=2, DeliveryAlternative="OSL", Commission=Decimal("59.91"))
    record["Addresses"]["Delivery"]["Name"] = "c/o Lager"
    record["InvoiceRows"] = [{**row, "VatRate": Decimal(25), "Type": "Normal"} for row in record["InvoiceRows"]]
    co = payloads.customer_order(map_order(record, extra=REAL_ONLY))
    assert co["Customer"]["Coordinates"] == {"Latitude": Decimal("59.91"), "Longitude": None}
    _valid("ProcessOrder", co=co)


def test_variant_groups_colours_and_sizes_make_a_valid_process_article():
    catalogue = VariantRule(parts=("color", "size")).catalogue([{"No": "TS", "Name": "Tee"}, {"No": "TS-RED-L"}])
    article = catalogue.article({"No": "TS-RED-L"}, map_article(product(No="TS-RED-L")))
    assert (article["ArticleGroup"]["ArticleGroupCode"], article["ArticleColor"]["ColorCode"],
            article["ArticleSize"]["SizeCode"]) == ("TS", "RED", "L")
    _valid("ProcessArticle", art=payloads.article_definition(article))
