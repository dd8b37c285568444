"""Which assets a run of the ERP order sensor selects: the orders alone when the ledger has every product the
orders name as written to the warehouse, the changed articles first when one is not (issue 14, PF6)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import dagster as dg

from sync_pipeline.automation.sensors import _named_products
from sync_pipeline.erp.models import InvoiceOrder, InvoiceRow, RowType
from sync_pipeline_tests.dagster.conftest import SCHEDULED, Stack, run_job
from sync_pipeline_tests.dagster.test_sensor_requests import erp_requests
from sync_pipeline_tests.dagster.test_sensors import Ticks, build_definitions, wms_order_numbers
from sync_pipeline_tests.tenants.fixtures import MerchantStack

ORDERS_ONLY = [dg.AssetKey("wms_orders")]


def confirmed_order(order_id: int, *rows: dict[str, Any]) -> dict[str, Any]:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 3, "InvoiceRows": list(rows)}


def product_row(row_id: int, product_id: int) -> dict[str, Any]:
    return {"RowId": row_id, "ProductId": product_id, "Quantity": 1, "Type": "Normal"}


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()
            if event.asset_key is not None}


def test_orders_naming_written_articles_select_the_orders_alone(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success  # every demo article written, the ledger says so
    ticks = Ticks(build_definitions(), "erp_new_orders", instance)
    ticks.tick()  # the demo orders
    stack.erp_admin.post("products", {"Id": 3, "Name": "Endret i ERP"})  # changed, but the warehouse has it
    stack.erp_admin.post("orders", confirmed_order(11, product_row(1, 3), product_row(2, 7),
                                                   {"RowId": 3, "Type": "Text", "Name": "Takk for handelen"}))
    erp_requests(stack)

    request = ticks.tick()
    assert isinstance(request, dg.RunRequest) and request.tags["sync_pipeline/orders"] == "11"
    assert request.asset_selection == ORDERS_ONLY, "a text row names nothing; products 3 and 7 are written"
    assert erp_requests(stack) == Counter({"GetInvoices": 1}), "the look costs the ERP nothing more"

    result = ticks.run(request)
    assert result.success and materialized(result) == {"wms_orders"}
    assert "11" in wms_order_numbers()
    assert "GetProducts" not in erp_requests(stack), "the run read no products"


def test_an_order_naming_a_product_never_written_selects_the_articles_too(stack: Stack,
                                                                         instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    ticks = Ticks(build_definitions(), "erp_new_orders", instance)
    ticks.tick()
    stack.erp_admin.post("products", {"Id": 25, "No": "SKU-2001", "Name": "Ny vare"})
    stack.erp_admin.post("orders", confirmed_order(11, product_row(1, 3)))
    stack.erp_admin.post("orders", confirmed_order(12, product_row(1, 25)))

    request = ticks.tick()
    assert isinstance(request, dg.RunRequest) and request.tags["sync_pipeline/orders"] == "11,12"
    assert request.asset_selection is None, "the whole job: the new product's article first"

    result = ticks.run(request)
    assert result.success and materialized(result) == {"wms_articles", "wms_orders"}
    assert {"11", "12"} <= wms_order_numbers()
    assert "SKU-2001" in {a["ArticleNumber"] for a in stack.wms_admin.get("state")["articles"]}


def test_before_any_article_is_written_the_run_writes_articles_first(stack: Stack,
                                                                    instance: dg.DagsterInstance) -> None:
    request = Ticks(build_definitions(), "erp_new_orders", instance).tick()
    assert isinstance(request, dg.RunRequest) and request.asset_selection is None, "the ledger has no article"


def test_a_line_to_pick_without_a_product_leaves_the_ledger_nothing_to_vouch_for() -> None:
    """Text, freight and fee rows (a RowId, no ProductId) name nothing; a line with neither is damaged."""
    text_row = InvoiceRow(RowId=2, Type=RowType.TEXT, Name="Takk for handelen")
    fee_row = InvoiceRow(RowId=3, Name="Frakt", Price=Decimal(99))
    assert _named_products([InvoiceOrder(OrderId=11, InvoiceRows=[InvoiceRow(RowId=1, ProductId=3), text_row,
                                                                   fee_row])]) == {3}
    assert _named_products([InvoiceOrder(OrderId=12, InvoiceRows=[InvoiceRow(Quantity=Decimal(1))])]) is None


def test_each_merchants_sensor_asks_that_merchants_ledger(merchants: dict[str, MerchantStack], instance: dg.DagsterInstance) -> None:
    from sync_pipeline.definitions import build_definitions as partitioned  # the tenants file: read late

    defs = partitioned()
    written = defs.resolve_job_def("sync_all").execute_in_process(instance=instance, partition_key="acme",
                                                                 tags=SCHEDULED, raise_on_error=False)
    assert written.success  # acme's articles written; beta's ledger has none

    for key, selection in (("acme", ORDERS_ONLY), ("beta", None)):
        ticks = Ticks(defs, f"erp_new_orders_{key}", instance)
        request = ticks.tick()  # the demo's confirmed orders, new to this sensor
        assert isinstance(request, dg.RunRequest) and request.partition_key == key
        assert request.asset_selection == selection, key
        pushed = defs.resolve_job_def("push_orders").execute_in_process(
            instance=instance, partition_key=key, tags=request.tags, asset_selection=request.asset_selection,
            raise_on_error=False)
        assert pushed.success and materialized(pushed) == ({"wms_orders"} if selection else {"wms_articles", "wms_orders"})
