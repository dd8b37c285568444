"""An order already in the warehouse whose changed version failed to go there is pushed again by the next run.

The first push makes the order `sent` in the ledger. When the user then changes it in the ERP and that
update fails (the warehouse was away), the run's cursor moves past the order, so only the ledger's retry
brings the change to the warehouse: a failure at `sent` must be retried as one at `pending` is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import BackoffPolicy, Kind, Ledger, State, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import Delta
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import erp_orders, wms_orders
from sync_pipeline_tests.sync.test_options import ShipsAfterReading, catalogue, order  # noqa: F401 - fixture

ORDERS = process_named("orders")
NO_WAIT = BackoffPolicy(base=timedelta(milliseconds=1), cap=timedelta(milliseconds=1), max_attempts=5)


def later(erp_admin: Admin, order_id: int) -> str:
    """Ten seconds after the order's last change."""
    changed = datetime.fromisoformat(str(erp_orders(erp_admin)[order_id]["DateChanged"]).replace("Z", "+00:00"))
    return (changed + timedelta(seconds=10)).isoformat()


def quantities(wms_admin: Admin, number: str) -> list[Decimal]:
    return [Decimal(str(line["NumberOfItems"])) for line in wms_orders(wms_admin)[number]["Lines"]]


def test_a_changed_order_whose_update_failed_reaches_the_warehouse_on_the_next_run(
        tmp_path, erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue) -> None:  # noqa: F811
    erp_admin.post("orders", [order(81, (1, 1, "1"))])
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite"), backoff=NO_WAIT) as ledger:
        def push(client: object) -> runner.ProcessRun:
            return runner.run(ORDERS, Delta(), erp=erp, wms=client, ledger=ledger, config=ProcessConfig())

        assert push(wms).report.created == 1
        assert ledger.entries(Kind.ORDER, ["81"])["81"].state is State.SENT
        erp_admin.post("orders", [order(81, (1, 1, "4"))])  # the user changes the quantity
        # A new order comes in later, past the cursor's overlap: the failing run's cursor moves beyond 81.
        erp_admin.post("orders", [order(82, (2, 1, "1"))])
        erp_admin.post("orders/date_changed", [{"OrderId": 82, "DateChanged": later(erp_admin, 81)}])
        # The warehouse goes away once the run has read what it holds: the update's write fails.
        away = ShipsAfterReading(wms, lambda: wms_admin.post("faults", {"error_rate": 1.0}))
        failed = push(away)
        assert sorted(f.key for f in failed.report.failures) == ["81", "82"]
        assert quantities(wms_admin, "81") == [1]
        wms_admin.post("faults", {})

        again = push(wms)

        assert again.report.failures == [] and (again.report.created, again.report.updated) == (1, 1)
        assert quantities(wms_admin, "81") == [4], "the change reached the warehouse"
        assert not ledger.entries(Kind.ORDER, ["81"])["81"].failing
