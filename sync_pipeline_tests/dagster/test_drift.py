"""The drift report end to end: both sandboxes, real Dagster runs, drift introduced through the admin APIs."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline.markdown_table import moment
from sync_pipeline.stock.history import history_of
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

CATEGORIES = ("articles_only_in_erp", "articles_only_in_wms", "orders_only_in_erp", "orders_only_in_wms",
              "shipped_not_reported", "erp_shipped_not_in_wms", "stock_differences")


def drift_check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    found = [e for e in result.get_asset_check_evaluations() if e.check_name == "drift_within_threshold"]
    assert len(found) == 1
    return found[0]


def counts(metadata: dict) -> dict[str, int]:
    return {name: metadata[name] for name in CATEGORIES}


@pytest.fixture(autouse=True)
def default_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNC_DRIFT_THRESHOLD", raising=False)


@pytest.fixture
def no_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_DRIFT_GRACE_MINUTES", "0")  # every difference counts at once


def test_in_step_after_a_cycle_then_exactly_the_drift_introduced(stack: Stack, instance: dg.DagsterInstance,
                                                                  no_grace, monkeypatch: pytest.MonkeyPatch) -> None:
    before = run_job("reconcile", instance)
    assert before.success
    assert materialization_metadata(instance, "drift_report")["drift_total"] > 0, "the demo starts out of step"

    assert run_job("sync_all", instance).success
    in_step = run_job("reconcile", instance)
    assert in_step.success
    metadata = materialization_metadata(instance, "drift_report")
    assert metadata["drift_total"] == 0 and set(counts(metadata).values()) == {0}
    assert drift_check(in_step).passed

    # A product only in the ERP, an order shipped in the WMS but not reported, a stock change in the WMS.
    stack.erp_admin.post("products", [{"Id": 50, "No": "SKU-NEW", "Name": "Ny vare", "Stock": "4"}])
    stack.wms_admin.post("orders/2/status", {"OrderStatusNumber": 450, "WayBill": "TRACK-2"})
    order_2 = next(o for o in stack.erp_admin.get("state")["orders"] if o["OrderId"] == 2)
    on_order_2 = {row["ProductId"] for row in order_2["InvoiceRows"]}
    untouched = next(pid for pid in range(24, 0, -1) if pid not in on_order_2)
    erp_stock = next(int(p["Stock"]) for p in stack.erp_admin.get("state")["products"] if p["Id"] == untouched)
    stack.wms_admin.post("stock", {"ArticleNumber": f"SKU-{1000 + untouched}", "NumberOfItems": 777})

    drifted = run_job("reconcile", instance)
    assert drifted.success, "drift fails the check, not the run"
    metadata = materialization_metadata(instance, "drift_report")
    assert counts(metadata) == {**dict.fromkeys(CATEGORIES, 0), "articles_only_in_erp": 1,
                                "shipped_not_reported": 1, "stock_differences": 1}
    assert metadata["drift_total"] == 3
    assert metadata["held_for_orders_in_flight"] == len(on_order_2), "order 2's own stock moves are held"
    report = metadata["drift"]
    assert "| SKU-NEW | 50 | Ny vare |" in report
    assert "| 2 | 450 |" in report and "| Confirmed |" in report
    assert f"| SKU-{1000 + untouched} | {untouched} | {erp_stock} | 777 | +{777 - erp_stock} |" in report

    check = drift_check(drifted)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert "SKU-NEW" in check.description and f"SKU-{1000 + untouched}" in check.description

    history = metadata["history"].splitlines()
    assert len(history) == 2 + 3, "one row per run, newest first"
    assert [row.split("|")[2].strip() for row in history[2:]] == ["3", "0", str(drift_total(before))]

    monkeypatch.setenv("SYNC_DRIFT_THRESHOLD", "3")
    assert drift_check(run_job("reconcile", instance)).passed, "three differences are within a threshold of 3"
    monkeypatch.delenv("SYNC_DRIFT_THRESHOLD")

    # The same changes, younger than the grace period, are in transit: not counted.
    monkeypatch.setenv("SYNC_DRIFT_GRACE_MINUTES", "30")
    later = run_job("reconcile", instance)
    metadata = materialization_metadata(instance, "drift_report")
    assert (metadata["drift_total"], metadata["in_transit"]) == (0, 3)
    assert drift_check(later).passed


def drift_total(result: dg.ExecuteInProcessResult) -> int:
    return result.asset_materializations_for_node("drift_report")[0].metadata["drift_total"].value


def test_stock_runs_show_how_many_articles_differed_over_time(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.wms_admin.post("stock", {"ArticleNumber": "SKU-1002", "NumberOfItems": 3})
    assert run_job("sync_all", instance).success
    metadata = materialization_metadata(instance, "stock_snapshot")
    assert metadata["largest_differences"] == [{"article": "SKU-1002", "erp": "10", "wms": "3", "difference": "-7"}]
    rows = metadata["differences_over_time"].splitlines()[2:]
    assert [row.split("|")[2].strip() for row in rows] == ["1", "8"], "newest first: 1 article now, 8 at first"
    assert "SKU-1002 -7" in rows[0] and "SKU-1003 +3" in rows[1]


def test_a_warehouse_that_lost_everything_is_drift_not_in_transit(stack: Stack, instance: dg.DagsterInstance) -> None:
    """Synced, then the warehouse emptied while the ERP's changes are minutes old (within the default grace):
    the ledger says every article and open order was written, so nothing is in flight, all of it is missing."""
    grace_minutes = 30  # the default SYNC_DRIFT_GRACE_MINUTES: the demo data changed moments ago
    assert run_job("sync_all", instance).success
    erp = stack.erp_admin.get("state")
    articles = {p["No"] for p in erp["products"] if p.get("No")}
    open_orders = {o["OrderId"] for o in erp["orders"] if o["OrderStatus"] == "Confirmed"}
    assert len(articles) == 24 and len(open_orders) == 8, "the demo data this test counts on"
    assert {o["GoodsOwnerOrderNumber"] for o in stack.wms_admin.get("state")["orders"]} == set(map(str, open_orders))
    stack.wms_admin.post("reset", {})
    assert stack.wms_admin.get("state")["orders"] == []

    assert run_job("reconcile", instance).success
    metadata = materialization_metadata(instance, "drift_report")
    assert (metadata["articles_only_in_erp"], metadata["orders_only_in_erp"], metadata["in_transit"]) == (24, 8, 0)
    report = metadata["drift"]
    assert all(f"| {number} |" in report for number in articles)
    assert f"In transit (changed in the last {grace_minutes} min, not counted): 0." in report

    # A product changed after the loss is a version the ledger has not written: that one is in flight.
    stack.erp_admin.post("products", [{"Id": 5, "Name": "Renamed after the loss"}])
    assert run_job("reconcile", instance).success
    metadata = materialization_metadata(instance, "drift_report")
    assert (metadata["articles_only_in_erp"], metadata["orders_only_in_erp"], metadata["in_transit"]) == (23, 8, 1)
    assert "| SKU-1005 |" not in metadata["drift"]


def test_each_stock_difference_says_since_when_it_has_differed(stack: Stack, instance: dg.DagsterInstance,
                                                                 no_grace) -> None:
    """A difference held over several stock cycles (its product is on an order the warehouse refused) stands
    since the first of them; one that appeared after the last cycle is new."""
    stack.erp_admin.post("orders", [{"OrderId": 20, "OrderStatus": "Confirmed", "CustomerId": 1,
                                     "InvoiceRows": [{"ProductId": 2, "Quantity": 1},
                                                     {"ProductId": 999, "Quantity": 1}]}])
    assert run_job("sync_all", instance).success
    stack.wms_admin.post("stock", {"ArticleNumber": "SKU-1002", "NumberOfItems": 3})
    held_cycles = [run_job("sync_all", instance), run_job("sync_all", instance)]
    assert all(result.success for result in held_cycles)
    stack.wms_admin.post("stock", {"ArticleNumber": "SKU-1005", "NumberOfItems": 1})

    assert run_job("reconcile", instance).success
    metadata = materialization_metadata(instance, "drift_report")
    history = history_of("SKU-1002", dagster_home=instance.root_directory)
    first_held = history[history["run_id"] == held_cycles[0].run_id]["taken_at"].iloc[0]
    last = history["taken_at"].iloc[-1]
    assert list(history["status"].tail(2)) == ["changed", "changed"], "the held difference was kept each cycle"
    report = metadata["drift"]
    assert (f"| SKU-1005 | 5 | 25 | 1 | -24 | new since the last cycle | WMS 25, ERP 25 (unchanged) at "
            f"{moment(last)} |") in report
    assert f"| SKU-1002 | 2 | 10 | 3 | -7 | {moment(first_held)} | WMS 3, ERP 10 (changed) at {moment(last)} |" in report
