"""Cancellations both ways, through the runner over both real HTTP sandboxes and a real ledger: an ERP order
moved back to Offer or deleted before picking is cancelled in the warehouse, one moved after picking started
is left alone and reported once, and a warehouse-cancelled order is marked in the ERP and reported once."""

from __future__ import annotations

from typing import Iterator

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.cancellations import CANCELLATIONS
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import ByKeys, Delta, Everything
from sync_pipeline.sync.cancellations import MARKED, REMOVED, TOO_LATE, CancelOptions
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_orders
from sync_pipeline_tests.sync.test_options import PRODUCTS, order, statuses

CONFIG = ProcessConfig()


@pytest.fixture
def ledger(tmp_path) -> Iterator[Ledger]:
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as store:
        yield store


@pytest.fixture
def pushed(erp: ErpClient, wms: WmsClient, erp_admin: Admin, ledger: Ledger) -> list[int]:
    """Orders 11-15 Confirmed in the ERP and pushed to the warehouse (status 200 Open); the process has run once."""
    erp_admin.post("products", PRODUCTS)
    runner.run(process_named("articles"), Delta(), erp=erp, wms=wms, ledger=ledger, config=CONFIG, run_id="a")
    ids = [11, 12, 13, 14, 15]
    erp_admin.post("orders", [order(i, (1, 1, "1")) for i in ids])
    assert runner.run(process_named("orders"), Delta(), erp=erp, wms=wms, ledger=ledger, config=CONFIG,
                      run_id="o").report.created == len(ids)
    first = cancel(erp, wms, ledger, Delta(), "c0")  # the first run reads every open order: none is cancelled
    assert (first.failures, first.updated, first.unchanged) == ([], 0, 0)
    return ids


def cancel(erp: ErpClient, wms: WmsClient, ledger: Ledger, selection, run_id: str, config: ProcessConfig = CONFIG):
    return runner.run(CANCELLATIONS, selection, erp=erp, wms=wms, ledger=ledger, config=config, run_id=run_id).report


def removals(wms_admin: Admin) -> list[str]:
    """The orders the warehouse cancelled on a ProcessOrder (OrderOperation Remove), in turn."""
    return [call["key"] for call in wms_admin.get("calls")["log"]
            if call["operation"] == "ProcessOrder" and "cancelled" in (call["detail"] or "")]


def wms_status(wms_admin: Admin) -> dict[str, int]:
    return {number: o["OrderStatusNumber"] for number, o in wms_orders(wms_admin).items()}


def test_erp_cancellations_reach_the_warehouse_before_picking_and_are_reported_once_after(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger: Ledger, pushed) -> None:
    wms_admin.post("orders/12/status", {"OrderStatusNumber": 320})  # the warehouse allocated 12: picking started
    erp_admin.post("orders", [{"OrderId": 11, "OrderStatus": "Offer"}, {"OrderId": 12, "OrderStatus": "Draft"}])
    erp_admin.post("orders/delete", [{"OrderId": 13}])
    wms_admin.post("calls/reset")

    delta = cancel(erp, wms, ledger, Delta(), "c1")

    assert wms_status(wms_admin) == {"11": 1000, "12": 320, "13": 200, "14": 200, "15": 200}
    assert removals(wms_admin) == ["11"]
    assert delta.details[REMOVED] == {"11": "set to Offer in 24SevenOffice: cancelled in the warehouse "
                                            "(was status 200 Open)"}
    [late] = delta.failures
    assert (late.key, late.field) == ("12", "OrderStatusNumber")
    assert late.message.startswith("set to Draft in 24SevenOffice, but the warehouse has started on it (status 320")
    assert late.message.endswith(TOO_LATE)
    assert ledger.get(Kind.CANCELLATION, "12").dead and ledger.get(Kind.CANCELLATION, "11").state == "settled"

    # A deleted order is not in the ERP's changed list: the full read (operator's, or the daily sweep) finds it.
    full = cancel(erp, wms, ledger, Everything(), "c2")
    again = cancel(erp, wms, ledger, Delta(), "c3")

    assert wms_status(wms_admin) == {"11": 1000, "12": 320, "13": 1000, "14": 200, "15": 200}
    assert removals(wms_admin) == ["11", "13"]
    assert full.details[REMOVED] == {"13": "deleted in 24SevenOffice: cancelled in the warehouse "
                                           "(was status 200 Open)"}
    assert full.failures == [] and again.failures == [], "the too-late order is reported once, not every cycle"
    assert full.details["dead"] == ["12"]
    assert statuses(erp_admin)[15] == "Confirmed" and statuses(erp_admin)[14] == "Confirmed"


def test_a_warehouse_cancellation_marks_the_erp_order_and_is_reported_once(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger: Ledger, pushed) -> None:
    wms_admin.post("orders/14/status", {"OrderStatusNumber": 1000})
    erp_admin.post("calls/reset")

    first = cancel(erp, wms, ledger, Delta(), "c1")
    second = cancel(erp, wms, ledger, Everything(), "c2")

    assert statuses(erp_admin)[14] == "Inactive"
    assert {k: v for k, v in statuses(erp_admin).items() if k != 14} == {i: "Confirmed" for i in pushed if i != 14}
    assert first.details[MARKED] == {"14": "set from Confirmed to Inactive in 24SevenOffice"}
    [alert] = first.failures
    assert (alert.key, alert.field) == ("14", "OrderStatusNumber")
    assert alert.message == ("cancelled in the warehouse (status 1000 Cancelled): set from Confirmed to Inactive "
                             "in 24SevenOffice; tell the customer")
    assert second.failures == [] and MARKED not in second.details and second.updated == 0
    assert [c["operation"] for c in erp_admin.get("calls")["log"]].count("SaveInvoices") == 1
    assert wms_status(wms_admin) == {"11": 200, "12": 200, "13": 200, "14": 1000, "15": 200}
    assert ledger.get(Kind.CANCELLATION, "14").state == "settled" and not ledger.get(Kind.CANCELLATION, "14").dead


def test_with_marking_off_the_erp_order_is_left_as_it_is_and_reported_once(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger: Ledger, pushed) -> None:
    off = ProcessConfig(cancellations=CancelOptions(cancelled_status=None))
    wms_admin.post("orders/15/status", {"OrderStatusNumber": 1000})

    first = cancel(erp, wms, ledger, Delta(), "c1", off)
    second = cancel(erp, wms, ledger, Delta(), "c2", off)

    assert statuses(erp_admin)[15] == "Confirmed"
    assert [f.message for f in first.failures] == [
        "cancelled in the warehouse (status 1000 Cancelled): left Confirmed in 24SevenOffice "
        "(SYNC_WMS_CANCELLED_ERP_STATUS=off); tell the customer"]
    assert second.failures == []


def test_a_redrive_of_a_too_late_order_clears_once_the_warehouse_cancelled_it(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger: Ledger, pushed) -> None:
    wms_admin.post("orders/12/status", {"OrderStatusNumber": 400})
    erp_admin.post("orders", [{"OrderId": 12, "OrderStatus": "Offer"}])
    assert [f.key for f in cancel(erp, wms, ledger, Delta(), "c1").failures] == ["12"]
    ledger.redrive(Kind.CANCELLATION, "12")  # as the failed_records partition cancellation:12 does
    assert [f.key for f in cancel(erp, wms, ledger, ByKeys(("12",)), "c2").failures] == ["12"], "still picked"

    wms_admin.post("orders/12/status", {"OrderStatusNumber": 1000})  # the operator had the warehouse intercept it
    ledger.redrive(Kind.CANCELLATION, "12")
    healed = cancel(erp, wms, ledger, ByKeys(("12",)), "c3")

    assert healed.failures == [] and statuses(erp_admin)[12] == "Offer"
    assert not ledger.get(Kind.CANCELLATION, "12").failing


def test_other_erp_statuses_leave_the_warehouse_order_alone(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger: Ledger, pushed) -> None:
    # A merchant's own step after confirming (e.g. ForInvoicing) is not a cancellation.
    erp_admin.post("orders", [{"OrderId": 11, "OrderStatus": "ForInvoicing"}])

    report = cancel(erp, wms, ledger, Delta(), "c1")

    assert report.failures == [] and removals(wms_admin) == []
    assert wms_status(wms_admin)["11"] == 200


def test_a_returned_order_is_not_a_warehouse_cancellation(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger: Ledger, pushed) -> None:
    wms_admin.post("orders/15/status", {"OrderStatusNumber": 450})
    wms_admin.post("orders/15/status", {"OrderStatusNumber": 800})  # shipped, then returned: not cancelled

    report = cancel(erp, wms, ledger, Delta(), "c1")

    assert report.failures == [] and MARKED not in report.details
    assert statuses(erp_admin)[15] == "Confirmed"
