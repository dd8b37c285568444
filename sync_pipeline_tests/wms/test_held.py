"""Whether the warehouse holds a payload as the ERP says, from what it shows of it (wms/held.py)."""

from __future__ import annotations

from decimal import Decimal

from sync_pipeline.wms.held import Holding, article_holding, order_holding, same_value, supplier_holding
from sync_pipeline.wms.models import InventoryLine, PickedLine, WmsOrder

ARTICLE = {"ArticleNumber": "SKU-1", "ProductCode": "1", "ArticleName": "Pledd", "ArticleDescription": None,
           "BarCode": "7000", "Weight": Decimal("1.50")}


def shown(**values) -> InventoryLine:
    fields = {"ArticleSystemId": 1, "ArticleNumber": "SKU-1", "ProductCode": "1", "ArticleName": "Pledd",
              "Description": "", "BarCode": "7000", "Weight": Decimal("1.5"), "NumberOfItems": Decimal(0),
              "NumberOfBookedItems": Decimal(0), "SellableNumberOfItems": Decimal(0)}
    return InventoryLine(**{**fields, **values})


def test_an_article_the_warehouse_lacks_is_absent() -> None:
    assert article_holding(ARTICLE, None) is Holding.ABSENT and Holding.ABSENT.needs_write


def test_an_article_shown_alike_in_every_element_is_the_same() -> None:
    assert article_holding(ARTICLE, shown()) is Holding.SAME and not Holding.SAME.needs_write


def test_one_element_shown_differently_differs() -> None:
    assert article_holding(ARTICLE, shown(ArticleName="Renamed")) is Holding.DIFFERS
    assert article_holding(ARTICLE, shown(Weight=Decimal("2"))) is Holding.DIFFERS


def test_an_element_the_warehouse_does_not_show_leaves_it_to_the_ledger() -> None:
    extra = {**ARTICLE, "StatisticsNumber": "6301"}  # not in what GetInventoryByQuery shows here
    assert article_holding(extra, shown()) is Holding.SAME_SHOWN and not Holding.SAME_SHOWN.needs_write


def test_the_main_supplier_is_compared_by_number_and_name() -> None:
    with_supplier = {**ARTICLE, "MainSupplier": {"SupplierNumber": "9", "SupplierName": "Ull AS"}}
    assert article_holding(with_supplier, shown(MainSupplierNumber="9", MainSupplierName="Ull AS")) is Holding.SAME
    assert article_holding(with_supplier, shown(MainSupplierNumber="8", MainSupplierName="Ull AS")) is Holding.DIFFERS
    supplier = {"SupplierNumber": "9", "SupplierName": "Ull AS", "Address": "Gata 1"}
    assert supplier_holding(supplier, []) is Holding.ABSENT
    assert supplier_holding(supplier, [shown(MainSupplierNumber="9", MainSupplierName="Ull AS")]) is Holding.SAME_SHOWN
    assert supplier_holding(supplier, [shown(MainSupplierNumber="9", MainSupplierName="Ull AS"),
                                       shown(MainSupplierNumber="9", MainSupplierName="Old")]) is Holding.DIFFERS


def test_an_order_is_compared_by_its_lines() -> None:
    order = {"OrderInfo": {}, "CustomerOrderLines": [
        {"ExternalOrderLineCode": "1", "ProductCode": "1", "NumberOfItems": Decimal(2)}]}
    line = PickedLine(ExternalOrderLineCode="1", ProductCode="1", OrderedNumberOfItems=Decimal("2.0"),
                      PickedNumberOfItems=Decimal(0))
    held = WmsOrder(OrderId=5, GoodsOwnerOrderNumber="1", OrderStatusNumber=200, Lines=[line])
    assert order_holding(order, None) is Holding.ABSENT
    assert order_holding(order, held) is Holding.SAME_SHOWN
    more = held.model_copy(update={"Lines": [line, line.model_copy(update={"ExternalOrderLineCode": "2"})]})
    assert order_holding(order, more) is Holding.DIFFERS
    fewer = held.model_copy(update={"Lines": [line.model_copy(update={"OrderedNumberOfItems": Decimal(1)})]})
    assert order_holding(order, fewer) is Holding.DIFFERS


def test_values_compare_as_the_warehouse_keeps_them() -> None:
    assert same_value(None, "") and same_value("", None) and same_value(Decimal("1.50"), Decimal("1.5"))
    assert same_value(2, "2.0") and not same_value("a", "A") and not same_value(None, "x")
