"""The stock change feed stays as safe as the full walk: runs killed between reading the changes and
marking them reported lose nothing.

A run (a process of its own, doing delta stock cycles over and over) is killed with SIGKILL at the
worst moments: right after the ERP took a stock write (the run never learns it, nothing is marked
yet), and right after the warehouse marked the first of several changes reported. Afterwards the
changes not marked are still in the feed, and plain delta cycles bring every changed article's ERP
stock to the warehouse's figure and empty the feed.
"""

from __future__ import annotations

import os
import signal
from decimal import Decimal

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.stock import sync_stock_changes
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.reliability.crash_worker import forkserver
from sync_pipeline_tests.reliability.hooks import AfterWrites
from sync_pipeline_tests.reliability.sandboxes import Sandboxes

PRODUCTS = 12
WAIT_SECONDS = 60.0  # for the run to start and reach the armed write on a loaded machine


def delta_cycles(erp: ErpConnection, wms: WmsConnection) -> None:
    """A run of the stock process with the change feed, cycle after cycle, until killed."""
    erp_client, wms_client = ErpClient(erp), WmsClient(wms)
    while True:
        sync_stock_changes(erp_client, wms_client)


def _stock(sandboxes: Sandboxes, figures: dict[int, int]) -> None:
    sandboxes.admin("wms", "POST", "stock", [{"ArticleNumber": f"ART-{n}", "NumberOfItems": q}
                                              for n, q in figures.items()])


def _killed_after(sandboxes: Sandboxes, after_writes: AfterWrites, operation: str, writes: int) -> None:
    context = forkserver()
    run = context.Process(target=delta_cycles, args=(sandboxes.erp_connection(), sandboxes.wms_connection()),
                          daemon=True)
    run.start()
    after_writes.arm(writes, lambda _op: os.kill(run.pid, signal.SIGKILL), operation)  # type: ignore[arg-type]
    assert after_writes.fired.wait(timeout=WAIT_SECONDS), f"the run never reached {operation}"
    run.join()
    assert run.exitcode == -signal.SIGKILL


def test_runs_killed_between_reading_and_marking_changes_miss_nothing() -> None:
    sandboxes = Sandboxes.start()
    try:
        erp, wms = sandboxes.clients()
        sandboxes.admin("erp", "POST", "products", [
            {"Id": n, "No": f"ART-{n}", "Name": f"Vare {n}", "Stock": "10", "StockControlled": True}
            for n in range(1, PRODUCTS + 1)])
        assert sync_articles(erp, wms, None).created == PRODUCTS
        _stock(sandboxes, {n: 10 for n in range(1, PRODUCTS + 1)})
        sync_stock_changes(erp, wms)
        assert wms.inventory_changes() == []
        after_writes = AfterWrites([sandboxes.erp, sandboxes.wms],
                                   ("SetStockQuantity", "SetInventoryChangesToReported"))

        _stock(sandboxes, {1: 11, 2: 12, 3: 13, 4: 14})
        _killed_after(sandboxes, after_writes, "SetStockQuantity", 2)  # two written, none marked
        assert {c.ArticleNumber for c in wms.inventory_changes()} == {"ART-1", "ART-2", "ART-3", "ART-4"}

        _stock(sandboxes, {5: 15, 6: 16, 7: 17})
        _killed_after(sandboxes, after_writes, "SetInventoryChangesToReported", 1)  # one marked of several
        left = {c.ArticleNumber for c in wms.inventory_changes()}
        assert len(left) == 6 and left <= {f"ART-{n}" for n in range(1, 8)}

        for _ in range(3):  # the next scheduled cycles
            sync_stock_changes(erp, wms)
        assert wms.inventory_changes() == []
        erp_stock = {p["No"]: Decimal(p["Stock"]) for p in sandboxes.admin("erp", "GET", "state")["products"]}
        wms_stock = {line.ArticleNumber: line.NumberOfItems for line in wms.inventory()}
        assert erp_stock == wms_stock
        assert [erp_stock[f"ART-{n}"] for n in range(1, 8)] == [11, 12, 13, 14, 15, 16, 17]
    finally:
        sandboxes.stop()
