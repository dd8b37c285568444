"""What the operator sees of rows without a product: the wms_orders materialization of a scheduled
sync_all run over the seeded sandboxes (real HTTP), with a text row and a freight row staged through
the ERP sandbox's admin route and the freight setting on."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job


def confirmed(order_id: int, *rows: dict) -> dict:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 1, "InvoiceRows": list(rows)}


def test_rows_left_out_and_the_freight_way_of_delivery_are_in_the_materialization(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_FREIGHT_ROW_PATTERN", "^frakt")
    freight = {"RowId": 3, "Name": "Frakt Posten", "Quantity": "1", "Price": "99"}
    stack.erp_admin.post("orders", [
        confirmed(41, {"ProductId": 1, "RowId": 1, "Quantity": "2"}, {"RowId": 2, "Type": "Text", "Name": "Gift wrap"},
                  freight),
        confirmed(42, freight),
    ])

    assert run_job("sync_all", instance).success

    metadata = materialization_metadata(instance, "wms_orders")
    assert [(row["RowId"], row["Name"]) for row in metadata["rows_left_out"]["41"]] == [
        (2, "Gift wrap"), (3, "Frakt Posten")]
    assert metadata["way_of_delivery_from_freight_row"] == {"41": "Frakt Posten"}
    assert metadata["failed"] == 1
    assert "| 42 | InvoiceRows |" in metadata["failures"] and "nothing to pick" in metadata["failures"]
    orders = {o["GoodsOwnerOrderNumber"]: o for o in stack.wms_admin.get("state")["orders"]}
    assert "42" not in orders
    assert [line["ExternalOrderLineCode"] for line in orders["41"]["Lines"]] == ["1"]
    assert orders["41"]["OrderInfo"]["WayOfDelivery"] == "Frakt Posten"
