"""The delta stock cycle fed by Ongoing's change feed, over both sandboxes (real HTTP).

Only the articles whose stock changed in the warehouse are read and compared; their changes are
marked reported once the comparison concluded for them, and an article left for later keeps them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import Delta, Everything, Selection
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.stock import sync_stock, sync_stock_changes
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import calls, erp_stock

PRODUCTS = [{"Id": n, "No": f"ART-{n}", "Name": f"Vare {n}", "Stock": "10", "StockControlled": True}
            for n in range(1, 9)]


def settled_catalogue(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    """Eight articles, both systems at 10, the feed empty (as after a first full sweep)."""
    erp_admin.post("products", PRODUCTS)
    assert sync_articles(erp, wms, None).created == len(PRODUCTS)
    wms_admin.post("stock", [{"ArticleNumber": p["No"], "NumberOfItems": 10} for p in PRODUCTS])
    sync_stock_changes(erp, wms)
    assert wms.inventory_changes() == []
    for system in (erp_admin, wms_admin):
        system.post("calls/reset")


def test_a_delta_cycle_reads_compares_and_marks_only_the_changed_articles(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    settled_catalogue(erp, wms, erp_admin, wms_admin)
    wms_admin.post("stock", [{"ArticleNumber": "ART-2", "NumberOfItems": 12},
                             {"ArticleNumber": "ART-5", "NumberOfItems": 3}])
    wms_admin.post("stock", {"ArticleNumber": "ART-5", "NumberOfItems": 4})  # two transactions for ART-5
    erp_admin.post("products", [{**PRODUCTS[6], "Stock": "99"}])  # ERP drift on ART-7: left to the full sweep

    report, _ = sync_stock_changes(erp, wms)

    assert (report.updated, report.failures) == (2, [])
    assert erp_stock(erp_admin) == {**{p["No"]: 10 for p in PRODUCTS}, "ART-2": 12, "ART-5": 4, "ART-7": 99}
    assert calls(wms_admin, "GetInventoryChanges") == 1
    assert calls(wms_admin, "GetInventoryByQuery") == 1  # the two changed articles, one page
    assert calls(wms_admin, "SetInventoryChangesToReported") == 3  # one per article and transaction
    assert report.details["stock_changes_read"] == report.details["stock_changes_reported"] == 2
    assert wms.inventory_changes() == []

    full, _ = sync_stock(erp, wms)  # the nightly sweep still compares everything
    assert full.updated == 1 and erp_stock(erp_admin)["ART-7"] == 10


def test_an_article_left_for_later_keeps_its_changes_unreported(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    settled_catalogue(erp, wms, erp_admin, wms_admin)
    wms_admin.post("stock", [{"ArticleNumber": "ART-1", "NumberOfItems": 6},
                             {"ArticleNumber": "ART-3", "NumberOfItems": 7}])

    report, _ = sync_stock_changes(erp, wms, held_products=[3])  # ART-3 is on an order in flight

    assert report.details["held_for_orders_in_flight"] == ["ART-3"]
    assert [change.ArticleNumber for change in wms.inventory_changes()] == ["ART-3"]
    assert erp_stock(erp_admin)["ART-3"] == 10

    sync_stock_changes(erp, wms)  # the order is through: ART-3 is compared again and written
    assert erp_stock(erp_admin)["ART-3"] == 7 and wms.inventory_changes() == []


def test_no_change_costs_one_warehouse_call_and_no_erp_read(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    settled_catalogue(erp, wms, erp_admin, wms_admin)
    report, _ = sync_stock_changes(erp, wms)
    assert (report.updated, report.unchanged) == (0, 0)
    assert wms_admin.get("calls")["counts"] == {"GetInventoryChanges": 1}
    assert calls(erp_admin, "GetProducts") == 0


@pytest.mark.parametrize("feed, selection, reads_the_feed", [
    (True, Delta(), True), (True, Everything(), False), (False, Delta(), False)])
def test_the_stock_process_reads_the_feed_on_a_delta_only_when_switched_on(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, tmp_path: Path,
        feed: bool, selection: Selection, reads_the_feed: bool) -> None:
    settled_catalogue(erp, wms, erp_admin, wms_admin)
    wms_admin.post("stock", {"ArticleNumber": "ART-4", "NumberOfItems": 1})
    ledger = Ledger(sqlite_url(tmp_path / "ledger.sqlite"))

    result = runner.run(process_named("stock"), selection, erp=erp, wms=wms, ledger=ledger,
                        config=ProcessConfig(stock_change_feed=feed), run_id="r1")

    assert result.report.updated == 1 and erp_stock(erp_admin)["ART-4"] == 1
    assert ledger.get(Kind.STOCK, "4") is not None  # the write is recorded in the ledger
    assert (calls(wms_admin, "GetInventoryChanges") == 1) is reads_the_feed
    assert (wms.inventory_changes() == []) is reads_the_feed  # marked reported only by the feed's cycle
