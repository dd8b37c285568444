"""Rows without a product and ways of delivery, through both sandboxes over real HTTP (issue 12, items 4
and 7): text, freight, fee and discount rows stay out of the warehouse order and are listed in the run's
metadata; an order of such rows only is refused by name; a freight row's text can become the way of
delivery; a way of delivery renamed in the ERP is renamed in the warehouse (or not, as set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sync_pipeline.assets.reporting import report_metadata
from sync_pipeline.erp import ErpClient
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.settings import SettingsError
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.settings_environment import clear_settings, load
from sync_pipeline_tests.sync.conftest import wms_orders

PRODUCTS = [{"Id": 1, "No": "A-1", "Name": "Kaffe", "Stock": "5", "StockControlled": True},
            {"Id": 2, "No": "B-2", "Name": "Te", "Stock": "7", "StockControlled": True}]
TEXT_ROW = {"RowId": 2, "Type": "Text", "Name": "Gift wrap, please"}
FREIGHT_ROW = {"RowId": 3, "Name": "Frakt Posten", "Quantity": "1", "Price": "99"}
FEE_ROW = {"RowId": 4, "Name": "Invoice fee", "Quantity": "1", "Price": "39"}
DISCOUNT_ROW = {"RowId": 5, "Name": "Rabatt", "Quantity": "1", "Price": "-50"}


def order(order_id: int, *rows: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 1, "CustomerDeliveryPhone": "+47 1",
            "InvoiceEmailAddress": "a@example.no", "InvoiceRows": list(rows), **fields}


def product_row(product_id: int, row_id: int, quantity: str) -> dict[str, Any]:
    return {"ProductId": product_id, "RowId": row_id, "Quantity": quantity}


@pytest.fixture
def catalogue(erp: ErpClient, wms: WmsClient, erp_admin: Admin) -> None:
    erp_admin.post("products", PRODUCTS)
    assert sync_articles(erp, wms, None).created == len(PRODUCTS)


def lines_of(wms_admin: Admin, number: str) -> list[tuple[str, str, str]]:
    return [(line["ExternalOrderLineCode"], line["ArticleNumber"], str(line["NumberOfItems"]))
            for line in wms_orders(wms_admin)[number]["Lines"]]


def way_of_delivery(wms_admin: Admin, number: str) -> tuple[Any, Any]:
    info = wms_orders(wms_admin)[number]["OrderInfo"]
    return info.get("WayOfDelivery"), info.get("WayOfDeliveryType")


# -- rows without a product -------------------------------------------------------------------------


def test_rows_without_a_product_stay_out_of_the_warehouse_and_are_listed(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue: None) -> None:
    erp_admin.post("orders", [order(21, product_row(1, 1, "2"), TEXT_ROW, FREIGHT_ROW, FEE_ROW, DISCOUNT_ROW,
                                    product_row(2, 6, "1"))])

    report = push_orders(erp, wms, None, OrderOptions())

    assert (report.created, report.failed) == (1, 0)
    assert lines_of(wms_admin, "21") == [("1", "A-1", "2"), ("6", "B-2", "1")]
    left_out = report.details["rows_left_out"]["21"]
    assert [(row["row"], row["RowId"], row.get("Type"), row["Name"]) for row in left_out] == [
        (2, 2, "Text", "Gift wrap, please"), (3, 3, None, "Frakt Posten"), (4, 4, None, "Invoice fee"),
        (5, 5, None, "Rabatt")]
    assert (left_out[1]["Quantity"], left_out[1]["Price"], left_out[3]["Price"]) == ("1", "99", "-50")
    # the operator reads them in the materialization's metadata
    assert report_metadata(report)["rows_left_out"].data["21"] == left_out
    assert way_of_delivery(wms_admin, "21") == (None, None)  # freight as way of delivery is off by default

    again = push_orders(erp, wms, report.cursor, OrderOptions())
    assert (again.created, again.updated, again.failed) == (0, 0, 0)
    assert "rows_left_out" not in again.details  # listed when the order is sent, not on every run


def test_an_order_of_rows_without_a_product_only_is_refused_by_name(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue: None) -> None:
    erp_admin.post("orders", [order(22, TEXT_ROW, FREIGHT_ROW), order(23, product_row(1, 1, "1"))])

    report = push_orders(erp, wms, None, OrderOptions())

    assert (report.created, report.failed) == (1, 1)
    (refused,) = report.failures
    assert (refused.key, refused.field) == ("22", "InvoiceRows")
    assert "only rows without a product (2" in refused.message and "nothing to pick" in refused.message
    assert sorted(wms_orders(wms_admin)) == ["23"]


def test_a_text_row_naming_a_product_is_still_only_text(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue: None) -> None:
    erp_admin.post("orders", [order(24, product_row(1, 1, "1"),
                                    {"ProductId": 2, "RowId": 2, "Type": "TextBold", "Quantity": "1"})])

    report = push_orders(erp, wms, None, OrderOptions())

    assert lines_of(wms_admin, "24") == [("1", "A-1", "1")]
    assert [row["Type"] for row in report.details["rows_left_out"]["24"]] == ["TextBold"]


# -- a freight row's text as the way of delivery ----------------------------------------------------


def test_a_freight_rows_text_becomes_the_way_of_delivery_of_an_order_without_one(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue: None) -> None:
    erp_admin.post("orders", [
        order(25, product_row(1, 1, "1"), TEXT_ROW, FREIGHT_ROW),
        order(26, product_row(1, 1, "1"), FREIGHT_ROW, DeliveryMethod={"Id": 5, "Description": "Bring"}),
        order(27, product_row(1, 1, "1"), FEE_ROW),
    ])

    report = push_orders(erp, wms, None, OrderOptions(freight_row_pattern="^frakt|freight"))

    assert (report.created, report.failed) == (3, 0)
    assert way_of_delivery(wms_admin, "25") == ("Frakt Posten", {"Name": "Frakt Posten"})
    assert way_of_delivery(wms_admin, "26") == ("Bring", {"Code": "5", "Name": "Bring"})  # its own one kept
    assert way_of_delivery(wms_admin, "27") == (None, None)  # a fee is not freight
    assert report.details["way_of_delivery_from_freight_row"] == {"25": "Frakt Posten"}
    assert [row["Name"] for row in report.details["rows_left_out"]["25"]] == ["Gift wrap, please", "Frakt Posten"]


# -- ways of delivery renamed in the ERP ------------------------------------------------------------


def rename_delivery_method(erp_admin: Admin, order_id: int, name: str) -> None:
    erp_admin.post("orders", [{"OrderId": order_id, "DeliveryMethod": {"Id": 7, "Description": name}}])


def test_a_way_of_delivery_renamed_in_the_erp_is_renamed_in_the_warehouse(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue: None) -> None:
    posten = {"Id": 7, "Description": "Posten"}
    erp_admin.post("orders", [order(31, product_row(1, 1, "1"), DeliveryMethod=posten),
                              order(32, product_row(2, 1, "1"), DeliveryMethod=posten)])
    first = push_orders(erp, wms, None, OrderOptions())
    assert way_of_delivery(wms_admin, "31")[1] == {"Code": "7", "Name": "Posten"}

    rename_delivery_method(erp_admin, 32, "Posten Norge")
    second = push_orders(erp, wms, first.cursor, OrderOptions())

    assert (second.updated, second.failed) == (1, 0)
    assert way_of_delivery(wms_admin, "32") == ("Posten Norge", {"Code": "7", "Name": "Posten Norge"})
    # the warehouse's way of delivery itself is renamed: the other order linked to it shows the new name
    assert way_of_delivery(wms_admin, "31")[1] == {"Code": "7", "Name": "Posten Norge"}


def test_the_warehouse_keeps_its_own_names_when_set_so(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue: None) -> None:
    options = OrderOptions(way_of_delivery_names="warehouse")
    erp_admin.post("orders", [order(33, product_row(1, 1, "1"), DeliveryMethod={"Id": 7, "Description": "Posten"})])
    first = push_orders(erp, wms, None, options)

    rename_delivery_method(erp_admin, 33, "Posten Norge")
    second = push_orders(erp, wms, first.cursor, options)

    assert (second.updated, second.failed) == (1, 0)  # the order is updated, linked to the warehouse's entry
    assert way_of_delivery(wms_admin, "33") == ("Posten Norge", {"Code": "7", "Name": "Posten"})


# -- the settings -----------------------------------------------------------------------------------


def test_the_settings_reach_the_order_options_and_refuse_wrong_values(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    clear_settings(monkeypatch, tmp_path)
    defaults = ProcessConfig.from_settings(load(monkeypatch)).orders
    assert (defaults.freight_row_pattern, defaults.way_of_delivery_names) == (None, "erp")
    chosen = load(monkeypatch, SYNC_FREIGHT_ROW_PATTERN="^(frakt|freight)", SYNC_WAY_OF_DELIVERY_NAMES="Warehouse")
    options = ProcessConfig.from_settings(chosen).orders
    assert (options.freight_row_pattern, options.way_of_delivery_names) == ("^(frakt|freight)", "warehouse")
    with pytest.raises(SettingsError) as wrong:
        load(monkeypatch, SYNC_FREIGHT_ROW_PATTERN="frakt(", SYNC_WAY_OF_DELIVERY_NAMES="both")
    problems = str(wrong.value)
    assert "SYNC_FREIGHT_ROW_PATTERN" in problems and "regular expression" in problems
    assert "SYNC_WAY_OF_DELIVERY_NAMES" in problems and "'both'" in problems
