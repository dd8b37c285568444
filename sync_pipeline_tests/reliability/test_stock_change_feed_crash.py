"""The stock change feed stays as safe as the full walk: runs killed between reading the changes and
moving the feed's cursor lose nothing and write nothing twice.

A run (a process of its own, doing delta stock cycles of the stock process with SYNC_STOCK_CHANGE_FEED on,
its cursor in a ledger file, over and over) is killed with SIGKILL at the worst moments: right after the
warehouse answered the read of the changes (nothing compared yet), and right after the ERP took the
second of several stock writes (the run never learns it, the cursor has not moved). Afterwards the
cursor is where it was, and plain delta cycles bring every changed article's ERP stock to the
warehouse's figure, each article written once. The killed run's claims are released as an operator
does (or as their expiry would a few minutes later).
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from decimal import Decimal
from pathlib import Path

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.ledger import Ledger, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import Delta
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.reliability.crash_worker import forkserver
from sync_pipeline_tests.reliability.hooks import AfterWrites
from sync_pipeline_tests.reliability.sandboxes import Sandboxes

PRODUCTS = 12
WAIT_SECONDS = 60.0  # for the run to start and reach the armed call on a loaded machine
FEED_ON = ProcessConfig(stock_change_feed=True)
CURSOR = "stock_changes"


def delta_cycle(erp: ErpClient | ErpConnection, wms: WmsClient | WmsConnection, ledger_path: str) -> None:
    """One scheduled run of the stock process with the change feed."""
    erp_client = erp if isinstance(erp, ErpClient) else ErpClient(erp)
    wms_client = wms if isinstance(wms, WmsClient) else WmsClient(wms)
    with Ledger(sqlite_url(Path(ledger_path))) as ledger:
        runner.run(process_named("stock"), Delta(), erp=erp_client, wms=wms_client, ledger=ledger, config=FEED_ON)


def delta_cycles(erp: ErpConnection, wms: WmsConnection, ledger_path: str) -> None:
    """Runs of the stock process, one after another, until killed."""
    erp_client, wms_client = ErpClient(erp), WmsClient(wms)
    while True:
        delta_cycle(erp_client, wms_client, ledger_path)


def _stock(sandboxes: Sandboxes, figures: dict[int, int]) -> None:
    sandboxes.admin("wms", "POST", "stock", [{"ArticleNumber": f"ART-{n}", "NumberOfItems": q}
                                              for n, q in figures.items()])


def _killed_after(sandboxes: Sandboxes, after_calls: AfterWrites, operation: str, calls: int, ledger_path: str) -> None:
    context = forkserver()
    run = context.Process(target=delta_cycles,
                          args=(sandboxes.erp_connection(), sandboxes.wms_connection(), ledger_path), daemon=True)
    run.start()
    after_calls.arm(calls, lambda _op: os.kill(run.pid, signal.SIGKILL), operation)  # type: ignore[arg-type]
    assert after_calls.fired.wait(timeout=WAIT_SECONDS), f"the run never reached {operation}"
    run.join()
    assert run.exitcode == -signal.SIGKILL
    with Ledger(sqlite_url(Path(ledger_path))) as ledger:  # its claims would expire in 5 minutes: let them go now
        for holder in ledger.claim_holders():
            ledger.release(holder)


def _cursor(ledger_path: str) -> str | None:
    with Ledger(sqlite_url(Path(ledger_path))) as ledger:
        return ledger.get_cursor(CURSOR)


def _stock_writes(sandboxes: Sandboxes) -> Counter[str]:
    """SetStockQuantity calls the ERP took, by product id."""
    return Counter(call["key"] for call in sandboxes.admin("erp", "GET", "calls")["log"]
                   if call["operation"] == "SetStockQuantity")


def test_runs_killed_between_reading_changes_and_moving_the_cursor_miss_nothing_and_write_nothing_twice(
        tmp_path: Path) -> None:
    ledger_path = str(tmp_path / "ledger.sqlite")
    sandboxes = Sandboxes.start()
    try:
        erp, wms = sandboxes.clients()
        sandboxes.admin("erp", "POST", "products", [
            {"Id": n, "No": f"ART-{n}", "Name": f"Vare {n}", "Stock": "10", "StockControlled": True}
            for n in range(1, PRODUCTS + 1)])
        assert sync_articles(erp, wms, None).created == PRODUCTS
        _stock(sandboxes, {n: 10 for n in range(1, PRODUCTS + 1)})
        delta_cycle(erp, wms, ledger_path)  # the first cycle compares everything and starts the cursor
        settled = _cursor(ledger_path)
        assert settled is not None
        after_calls = AfterWrites([sandboxes.erp, sandboxes.wms], ("SetStockQuantity", "GetInventoryByQuery"))
        sandboxes.admin("erp", "POST", "calls/reset")

        _stock(sandboxes, {1: 11, 2: 12, 3: 13, 4: 14})
        _killed_after(sandboxes, after_calls, "GetInventoryByQuery", 1, ledger_path)  # read, nothing compared
        assert _cursor(ledger_path) == settled and _stock_writes(sandboxes) == Counter()

        _killed_after(sandboxes, after_calls, "SetStockQuantity", 2, ledger_path)  # two written, cursor not moved
        assert _cursor(ledger_path) == settled and sum(_stock_writes(sandboxes).values()) == 2

        _stock(sandboxes, {5: 15, 6: 16, 7: 17})
        for _ in range(2):  # the next scheduled runs
            delta_cycle(erp, wms, ledger_path)
        assert _cursor(ledger_path) != settled
        erp_stock = {p["No"]: Decimal(p["Stock"]) for p in sandboxes.admin("erp", "GET", "state")["products"]}
        wms_stock = {line.ArticleNumber: line.NumberOfItems for line in wms.inventory()}
        assert erp_stock == wms_stock
        assert [erp_stock[f"ART-{n}"] for n in range(1, 8)] == [11, 12, 13, 14, 15, 16, 17]
        assert _stock_writes(sandboxes) == Counter({str(n): 1 for n in range(1, 8)})  # each written once
    finally:
        sandboxes.stop()
