"""Dry run: the job computes the writes a cycle would make, writes nothing anywhere, and the next real
cycle makes exactly those writes."""

from __future__ import annotations

import dagster as dg
from sqlalchemy import select

from sync_pipeline.ledger import Ledger
from sync_pipeline.ledger.schema import cursors, entries
from sync_pipeline.resources import LedgerResource
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

WRITE_OPERATIONS = {"ProcessArticle", "ProcessOrder", "UpdateOrder", "SetStockQuantity", "SaveInvoices",
                    "SaveProducts", "SaveCompanies"}
CONFIRMED_DEMO_ORDERS = {"1", "2", "3", "4", "5", "6", "7", "10"}


def ledger_of(instance: dg.DagsterInstance) -> Ledger:
    return LedgerResource().ledger(home=instance.root_directory)


def ledger_rows(instance: dg.DagsterInstance) -> tuple[list, list]:
    with ledger_of(instance).engine.connect() as connection:
        return (sorted(tuple(row) for row in connection.execute(select(entries))),
                sorted(tuple(row) for row in connection.execute(select(cursors))))


SESSION_COUNTERS = ("logins", "sessions")  # reading logs in; that is not data


def states(stack: Stack) -> tuple[dict, dict]:
    erp = {k: v for k, v in stack.erp_admin.get("state").items() if k not in SESSION_COUNTERS}
    return erp, stack.wms_admin.get("state")


def writes_made(stack: Stack) -> set[tuple[str, str]]:
    log = stack.erp_admin.get("calls")["log"] + stack.wms_admin.get("calls")["log"]
    return {(call["operation"], call["key"]) for call in log if call["operation"] in WRITE_OPERATIONS}


def reset_calls(stack: Stack) -> None:
    stack.erp_admin.post("calls/reset")
    stack.wms_admin.post("calls/reset")


def dry_run(stack: Stack, instance: dg.DagsterInstance) -> tuple[dict, list[dict]]:
    """Runs the dry_run job and checks it changed nothing; returns its metadata and planned writes."""
    systems, ledger = states(stack), ledger_rows(instance)
    reset_calls(stack)
    result = run_job("dry_run", instance)
    assert result.success
    assert states(stack) == systems, "neither system changed"
    assert writes_made(stack) == set(), "no write reached either sandbox"
    assert ledger_rows(instance) == ledger, "the ledger (entries and cursors) did not change"
    metadata = materialization_metadata(instance, "dry_run_plan")
    return metadata, metadata["plan_json"]


def planned(plan: list[dict]) -> set[tuple[str, str]]:
    return {(write["operation"], write["record"]) for write in plan}


def test_before_go_live_the_dry_run_lists_every_article_and_order_and_writes_nothing(
        stack: Stack, instance: dg.DagsterInstance) -> None:
    metadata, plan = dry_run(stack, instance)
    assert ledger_rows(instance) == ([], []), "no ledger entries, no cursors"
    articles = {w["record"] for w in plan if w["operation"] == "ProcessArticle"}
    assert articles == {f"SKU-{1000 + i}" for i in range(1, 25)}
    assert {w["record"] for w in plan if w["operation"] == "ProcessOrder"} == CONFIRMED_DEMO_ORDERS
    first = next(w for w in plan if w["record"] == "SKU-1001")
    assert (first["change"], first["before"]) == ("create", None)
    assert first["after"]["ArticleName"] and first["after"]["ProductCode"] == "1"
    assert metadata["ProcessArticle"] == 24 and metadata["planned_writes"] == len(plan)
    assert "| Ongoing WMS | ProcessOrder | 10 | create | — |" in metadata["plan"]

    reset_calls(stack)
    assert run_job("sync_all", instance).success
    made = writes_made(stack)
    wms_writes = {w for w in made if w[0] in ("ProcessArticle", "ProcessOrder")}
    assert planned(plan) - {w for w in planned(plan) if w[0] == "SetStockQuantity"} == wms_writes
    # The stock of articles the same cycle creates is not in the warehouse yet when the dry run reads it.
    assert "stock of articles this cycle would create" in metadata["note"]


def test_after_changes_the_dry_run_plans_exactly_the_writes_the_next_cycle_makes(
        stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.erp_admin.post("products", [{"Id": 2, "Name": "Kaffe mørk"},
                                      {"Id": 25, "No": "SKU-1025", "Name": "Te", "Stock": 0}])
    stack.erp_admin.post("orders", {"OrderId": 8, "OrderStatus": "Confirmed"})
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "W-1"})
    stack.wms_admin.post("stock", {"ArticleNumber": "SKU-1005", "NumberOfItems": 77})

    _, plan = dry_run(stack, instance)
    by_write = {(w["operation"], w["record"]): w for w in plan}
    renamed = by_write[("ProcessArticle", "SKU-1002")]
    assert (renamed["change"], renamed["after"]["ArticleName"]) == ("update", "Kaffe mørk")
    assert renamed["before"]["ArticleName"] != "Kaffe mørk"
    assert by_write[("ProcessArticle", "SKU-1025")]["change"] == "create"
    assert by_write[("ProcessOrder", "8")]["before"] is None
    shipped = by_write[("SaveInvoices", "1")]  # status, tracking line and delivered rows in one write
    text = "Takk for handelen! Bytterett 30 dager."
    assert shipped["before"] == {"OrderStatus": "Confirmed", "InvoiceText": text,
                                 "InvoiceRows": [{"RowId": 1}, {"RowId": 2}, {"RowId": 3}]}
    assert shipped["after"] == {
        "OrderStatus": "OrderState_Sent", "InvoiceText": f"{text}\nTracking: W-1 (Posten Norge – Pakke til hentested)",
        "InvoiceRows": [{"RowId": 1, "QuantityDelivered": "4", "QuantityRest": "0"},
                        {"RowId": 2, "QuantityDelivered": "2", "QuantityRest": "0"},
                        {"RowId": 3, "QuantityDelivered": "1", "QuantityRest": "0"}]}
    stock = by_write[("SetStockQuantity", "5")]
    assert (stock["before"]["Stock"], stock["after"]) == ("25", {"Stock": "77"})

    reset_calls(stack)
    assert run_job("sync_all", instance).success
    assert writes_made(stack) == planned(plan), "the real cycle wrote exactly what the dry run planned"
