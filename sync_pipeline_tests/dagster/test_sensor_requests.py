"""What the ERP order sensor costs 24SevenOffice: one request a tick (GetInvoices by ChangedAfter, the
description's own search), counted in the sandbox's call log; a new order is still seen by it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import dagster as dg

from sync_pipeline.erp.client import ONE_READ_SPAN
from sync_pipeline_tests.dagster.conftest import Stack
from sync_pipeline_tests.dagster.test_sensors import CONFIRMED_DEMO_ORDERS, Ticks, build_definitions


def erp_requests(stack: Stack) -> Counter[str]:
    """The SOAP operations 24SevenOffice answered since the last look (the log is emptied)."""
    log = stack.erp_admin.get("calls")["log"]
    stack.erp_admin.post("calls/reset", {})
    return Counter(c["operation"] for c in log if c["operation"] != "Login")


def test_each_erp_sensor_tick_is_one_request(stack: Stack, instance: dg.DagsterInstance) -> None:
    ticks = Ticks(build_definitions(), "erp_new_orders", instance)
    assert isinstance(ticks.tick(), dg.RunRequest)  # the seeded demo orders
    erp_requests(stack)

    for _ in range(5):
        assert isinstance(ticks.tick(), str)
    assert erp_requests(stack) == Counter({"GetInvoices": 5}), "five quiet ticks, five requests"

    stack.erp_admin.post("orders", {"OrderId": 8, "OrderStatus": "Confirmed"})  # an Offer becomes Confirmed
    request = ticks.tick()
    assert isinstance(request, dg.RunRequest) and request.tags["sync_pipeline/orders"] == "8"
    assert erp_requests(stack) == Counter({"GetInvoices": 1})


def test_a_cursor_far_back_reads_the_long_way(stack: Stack, instance: dg.DagsterInstance) -> None:
    """GetInvoices by a wide ChangedAfter times out at 24SevenOffice: an old cursor lists the ids first."""
    ticks = Ticks(build_definitions(), "erp_new_orders", instance)
    ticks.cursor = (datetime.now(timezone.utc) - ONE_READ_SPAN - timedelta(minutes=1)).isoformat()
    erp_requests(stack)
    request = ticks.tick()
    assert isinstance(request, dg.RunRequest) and request.tags["sync_pipeline/orders"] == CONFIRMED_DEMO_ORDERS
    assert erp_requests(stack) == Counter({"GetOrderSyncList": 1, "GetInvoices": 1})
