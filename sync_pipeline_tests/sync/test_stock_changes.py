"""The delta stock cycle fed by the stock change feed, over both sandboxes (real HTTP).

The feed is GetInventoryByQuery with StockInfoChangedFrom = the cursor: only the articles whose stock
changed in the warehouse since then are read and compared, whatever moved it (an adjustment, a pick
shipped, a return). The warehouse's clock and this machine's are one controlled clock here, so that
"minutes pass" between cycles as they do between scheduled runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

from sync_pipeline.assets.reporting import cursor_line
from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import Delta, Everything, Selection
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.wms import WmsSandbox
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.stock import (
    CHANGES_READ,
    CLOCK_SKEW,
    COMPARED_AGAIN,
    FEED_REACH,
    FULL_COMPARISON,
    sync_stock,
    sync_stock_changes,
)
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, line, order
from sync_pipeline_tests.sync.conftest import calls, erp_stock

PRODUCTS = [{"Id": n, "No": f"ART-{n}", "Name": f"Vare {n}", "Stock": "10", "StockControlled": True}
            for n in range(1, 9)]


class Clock:
    """One clock for the warehouse and the pipeline; it moves only when a test says minutes pass."""

    def __init__(self) -> None:
        self.moment = datetime.now(timezone.utc).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.moment

    def minutes_pass(self, minutes: int = 5) -> None:
        self.moment += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wms_server(clock: Clock) -> Iterator[SandboxServer]:
    server = SandboxServer(WmsSandbox(Store(), now=clock), port=0).start()
    yield server
    server.stop()


def cycle(erp: ErpClient, wms: WmsClient, cursor: Cursor | None, clock: Clock, **options):  # noqa: ANN003, ANN201
    """One scheduled delta cycle, minutes after whatever happened before it."""
    clock.minutes_pass()
    return sync_stock_changes(erp, wms, cursor, now=clock, **options)[0]


def settled_catalogue(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, clock: Clock) -> Cursor:
    """Eight articles, both systems at 10, and the cursor a first feed cycle leaves (it compared everything)."""
    erp_admin.post("products", PRODUCTS)
    assert sync_articles(erp, wms, None).created == len(PRODUCTS)
    wms_admin.post("stock", [{"ArticleNumber": p["No"], "NumberOfItems": 10} for p in PRODUCTS])
    first = cycle(erp, wms, None, clock)
    assert first.details[FULL_COMPARISON] == "no cursor yet" and first.unchanged == len(PRODUCTS)
    assert first.cursor is not None and first.cursor.moment == clock() - CLOCK_SKEW
    for system in (erp_admin, wms_admin):
        system.post("calls/reset")
    clock.minutes_pass()
    return first.cursor


def test_a_delta_cycle_reads_and_compares_only_the_changed_articles(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, clock: Clock) -> None:
    cursor = settled_catalogue(erp, wms, erp_admin, wms_admin, clock)
    wms_admin.post("stock", [{"ArticleNumber": "ART-2", "NumberOfItems": 12},
                             {"ArticleNumber": "ART-5", "NumberOfItems": 3}])
    wms_admin.post("stock", {"ArticleNumber": "ART-5", "NumberOfItems": 4})
    erp_admin.post("products", [{**PRODUCTS[6], "Stock": "99"}])  # ERP drift on ART-7: left to the full sweep

    report = cycle(erp, wms, cursor, clock)

    assert (report.updated, report.unchanged, report.failures) == (2, 0, [])
    assert report.details[CHANGES_READ] == 2
    assert erp_stock(erp_admin) == {**{p["No"]: 10 for p in PRODUCTS}, "ART-2": 12, "ART-5": 4, "ART-7": 99}
    assert wms_admin.get("calls")["counts"] == {"GetInventoryByQuery": 3}  # the change page, "from" probed, end
    assert "SetInventoryChangesToReported" not in wms_admin.get("calls")["counts"]
    assert report.cursor is not None and report.cursor.moment == clock() - CLOCK_SKEW and not report.cursor.again

    full, _ = sync_stock(erp, wms)  # the nightly sweep still compares everything
    assert full.updated == 1 and erp_stock(erp_admin)["ART-7"] == 10


def test_a_pick_shipped_in_the_warehouse_reaches_the_erp_stock_on_the_next_cycle(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, wms_server: SandboxServer,
        clock: Clock) -> None:
    cursor = settled_catalogue(erp, wms, erp_admin, wms_admin, clock)
    ongoing = Ongoing(wms_server.url)
    assert ongoing.process_order(order("77", [line("1", 3, article_number="ART-3")]))["Success"]
    booked = cycle(erp, wms, cursor, clock)  # a booking moves no physical stock: compared, equal
    assert (booked.updated, booked.unchanged) == (0, 1)

    clock.minutes_pass()
    wms_admin.post("orders/77/status", {"OrderStatusNumber": 450, "WayBill": "PICK-1"})  # picked and shipped
    shipped = cycle(erp, wms, booked.cursor, clock)

    assert shipped.updated == 1 and erp_stock(erp_admin)["ART-3"] == 7
    assert erp_stock(erp_admin) == {**{p["No"]: 10 for p in PRODUCTS}, "ART-3": 7}


def test_an_article_left_for_later_is_compared_again_though_the_feed_no_longer_lists_it(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, clock: Clock) -> None:
    cursor = settled_catalogue(erp, wms, erp_admin, wms_admin, clock)
    wms_admin.post("stock", [{"ArticleNumber": "ART-1", "NumberOfItems": 6},
                             {"ArticleNumber": "ART-3", "NumberOfItems": 7}])

    held = cycle(erp, wms, cursor, clock, held_products=[3])  # ART-3 is on an order in flight

    assert held.details["held_for_orders_in_flight"] == ["ART-3"]
    assert erp_stock(erp_admin)["ART-1"] == 6 and erp_stock(erp_admin)["ART-3"] == 10
    assert held.cursor is not None and held.cursor.again == ("3",)
    assert "read again next run: 3" in cursor_line(Cursor.from_json(held.cursor.to_json()))  # as the ledger keeps it

    again = cycle(erp, wms, held.cursor, clock)  # the order is through; the warehouse changed nothing since
    assert (again.details[CHANGES_READ], again.details[COMPARED_AGAIN]) == (0, 1)
    assert again.updated == 1 and erp_stock(erp_admin)["ART-3"] == 7
    assert again.cursor is not None and not again.cursor.again


def test_no_change_costs_one_warehouse_call_and_no_erp_read(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, clock: Clock) -> None:
    cursor = settled_catalogue(erp, wms, erp_admin, wms_admin, clock)
    report = cycle(erp, wms, cursor, clock)
    assert (report.updated, report.unchanged) == (0, 0)
    assert wms_admin.get("calls")["counts"] == {"GetInventoryByQuery": 1}
    assert calls(erp_admin, "GetProducts") == 0


def test_a_cursor_older_than_the_service_reaches_is_replaced_by_a_full_comparison(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, clock: Clock) -> None:
    cursor = settled_catalogue(erp, wms, erp_admin, wms_admin, clock)
    wms_admin.post("stock", {"ArticleNumber": "ART-8", "NumberOfItems": 1})
    clock.moment += FEED_REACH  # the feed was off (or the runs failed) for a day

    report = cycle(erp, wms, cursor, clock)

    assert "older than the service reaches" in report.details[FULL_COMPARISON]
    assert (report.updated, report.unchanged, report.failures) == (1, len(PRODUCTS) - 1, [])
    assert report.cursor is not None and report.cursor.moment == clock() - CLOCK_SKEW


@pytest.mark.parametrize("feed, selection, moves_the_cursor", [
    (True, Delta(), True), (True, Everything(), False), (False, Delta(), False)])
def test_the_stock_process_keeps_the_feeds_cursor_in_the_ledger_on_a_delta_only_when_switched_on(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, tmp_path: Path,
        feed: bool, selection: Selection, moves_the_cursor: bool) -> None:
    erp_admin.post("products", PRODUCTS)
    assert sync_articles(erp, wms, None).created == len(PRODUCTS)
    wms_admin.post("stock", [{"ArticleNumber": p["No"], "NumberOfItems": 10} for p in PRODUCTS])
    wms_admin.post("stock", {"ArticleNumber": "ART-4", "NumberOfItems": 1})
    ledger = Ledger(sqlite_url(tmp_path / "ledger.sqlite"))

    result = runner.run(process_named("stock"), selection, erp=erp, wms=wms, ledger=ledger,
                        config=ProcessConfig(stock_change_feed=feed), run_id="r1")

    assert result.report.updated == 1 and erp_stock(erp_admin)["ART-4"] == 1
    assert ledger.get(Kind.STOCK, "4") is not None  # the write is recorded in the ledger
    assert (ledger.get_cursor("stock_changes") is not None) is moves_the_cursor
