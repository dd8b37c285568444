"""Re-drive: one dead-lettered or named record goes through its process again, and nothing else is written."""

from __future__ import annotations

import dagster as dg

from sync_pipeline.ledger import Kind
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job
from sync_pipeline_tests.dagster.test_dry_run import ledger_of, reset_calls, writes_made

LONG_NAME = "x" * 120  # the warehouse takes at most 100 characters


def redrive(instance: dg.DagsterInstance, kind: str, key: str) -> dg.ExecuteInProcessResult:
    from sync_pipeline.definitions import build_definitions

    job = build_definitions().resolve_job_def("redrive_record")
    return job.execute_in_process(instance=instance, raise_on_error=False, run_config={
        "ops": {"redrive_one_record": {"config": {"kind": kind, "key": key}}}})


def outcome(result: dg.ExecuteInProcessResult) -> dict:
    events = [e for e in result.all_events if e.event_type_value in ("STEP_OUTPUT", "STEP_FAILURE")]
    data = events[-1].event_specific_data
    entries = data.metadata if hasattr(data, "metadata") else data.user_failure_data.metadata
    return {key: value.value for key, value in entries.items()}


def test_a_dead_lettered_article_fixed_in_the_erp_is_redriven_by_its_number(
        stack: Stack, instance: dg.DagsterInstance) -> None:
    stack.erp_admin.post("products", {"Id": 3, "Name": LONG_NAME})
    assert run_job("sync_all", instance).success
    ledger = ledger_of(instance)
    assert ledger.get(Kind.ARTICLE, "3").dead, "a refused record is dead-lettered at once"
    metadata = materialization_metadata(instance, "wms_articles")
    assert "| SKU-1003 |" in metadata["failures"] and "| no | 1 | dead-lettered |" in metadata["failures"]
    assert "1 dead-lettered article record(s)" in metadata["dead_letters"]
    assert "| 3 | error |" in metadata["dead_letters"] and "ArticleName is 120 characters" in metadata["dead_letters"]
    cursor = ledger.get_cursor("articles")

    stack.erp_admin.post("products", {"Id": 3, "Name": "Fixed name"})
    reset_calls(stack)
    result = redrive(instance, "article", "SKU-1003")
    assert result.success
    assert writes_made(stack) == {("ProcessArticle", "SKU-1003")}, "only that record was written"
    names = {a["ArticleNumber"]: a["ArticleName"] for a in stack.wms_admin.get("state")["articles"]}
    assert names["SKU-1003"] == "Fixed name"
    entry = ledger.get(Kind.ARTICLE, "3")
    assert (entry.dead, entry.state, entry.last_error) == (False, "sent", None)
    assert ledger.get_cursor("articles") == cursor, "the delta cursor did not move"
    shown = outcome(result)
    assert shown["was_failing"] is True and shown["outcome"] == "created"
    assert "dead-lettered" in shown["ledger_before"] and shown["ledger_after"] == "sent, 0 failed attempt(s)"
    assert ledger.dead_letters(Kind.ARTICLE) == []


def test_an_order_is_resynced_by_its_number_alone(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.erp_admin.post("orders", [{"OrderId": 3, "InvoiceTitle": "Ring before delivery"},
                                    {"OrderId": 4, "InvoiceTitle": "Changed too, not re-driven"}])
    reset_calls(stack)
    assert redrive(instance, "order", "3").success
    assert writes_made(stack) == {("ProcessOrder", "3")}

    refused = redrive(instance, "order", "SKU-1001")
    assert not refused.success
    assert "give the ERP order id, a whole number" in str(refused.get_step_failure_events()[0].event_specific_data)
    offer = redrive(instance, "order", "8")
    assert not offer.success and "is Offer, not Confirmed: not pushed" in outcome(offer)["failures"]
    assert writes_made(stack) == {("ProcessOrder", "3")}, "failed re-drives wrote nothing"


def test_a_shipped_order_whose_report_was_refused_is_reported_on_redrive(
        stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.erp_admin.post("orders", {"OrderId": 2, "OrderStatus": "Invoiced"})
    stack.wms_admin.post("orders/2/status", {"OrderStatusNumber": 450})
    assert run_job("report_shipped", instance).success
    assert ledger_of(instance).get(Kind.ORDER, "2").dead, "an invoiced order refuses the status: dead-lettered"

    stack.erp_admin.post("orders", {"OrderId": 2, "OrderStatus": "Confirmed"})
    reset_calls(stack)
    result = redrive(instance, "order", "2")
    assert result.success
    assert writes_made(stack) == {("SaveInvoices", "2")}
    orders = {o["OrderId"]: o["OrderStatus"] for o in stack.erp_admin.get("state")["orders"]}
    assert orders[2] == "OrderState_Sent"
    assert ledger_of(instance).get(Kind.ORDER, "2").state == "reported"


def test_one_stock_balance_is_redriven_by_article_number(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    synced = {p["No"]: p["Stock"] for p in stack.erp_admin.get("state")["products"]}
    stack.wms_admin.post("stock", [{"ArticleNumber": "SKU-1005", "NumberOfItems": 77},
                                   {"ArticleNumber": "SKU-1006", "NumberOfItems": 78}])
    reset_calls(stack)
    assert redrive(instance, "stock", "SKU-1005").success
    assert writes_made(stack) == {("SetStockQuantity", "5")}
    stock = {p["No"]: p["Stock"] for p in stack.erp_admin.get("state")["products"]}
    assert (stock["SKU-1005"], stock["SKU-1006"]) == ("77", synced["SKU-1006"]), "only the re-driven balance"
