"""Each record written costs at most one ledger transaction (PF12): its outcome, state and stage times together.

Counted as the database sees them: SQLAlchemy's begin events on the ledger's engine, while the real
processes push articles and orders and report shipments over both sandboxes (real HTTP). A run pays
a few transactions of its own (claims, reading the entries and due retries), once however many batches
it reads and writes in; what each further record adds is the figure: a run of four against a run of one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from sqlalchemy import event

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, Stage, State, sqlite_url
from sync_pipeline.sync import articles
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.gate import Gate
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.shipped import report_shipped
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin

SMALL, LARGE = 1, 4


def product(product_id: int) -> dict[str, Any]:
    return {"Id": product_id, "No": f"P-{product_id}", "Name": f"Vare {product_id}", "Stock": "50",
            "StockControlled": True}


def order(order_id: int, product_id: int) -> dict[str, Any]:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 1, "CustomerDeliveryPhone": "+47 1",
            "InvoiceEmailAddress": "a@example.no", "InvoiceRows": [{"ProductId": product_id, "RowId": 1, "Quantity": "1"}]}


@contextmanager
def counted(ledger: Ledger) -> Iterator[list[str]]:
    """The ledger's transactions while the block runs: one 'begin' each (reads included)."""
    seen: list[str] = []

    def began(_connection: Any) -> None:
        seen.append("begin")

    event.listen(ledger.engine, "begin", began)
    try:
        yield seen
    finally:
        event.remove(ledger.engine, "begin", began)


def transactions(ledger: Ledger, kind: Kind, run_id: str, process: Callable[[Gate], SyncReport]) -> tuple[int, SyncReport]:
    with ledger.run(run_id) as run:
        gate = Gate(ledger, run, kind)
        with counted(ledger) as seen:
            report = process(gate)
    return len(seen), report


@pytest.fixture
def ledger(tmp_path) -> Iterator[Ledger]:
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as opened:
        yield opened


def per_record(small: tuple[int, SyncReport], large: tuple[int, SyncReport], written: Callable[[SyncReport], int]) -> float:
    (few, few_report), (many, many_report) = small, large
    assert (written(few_report), written(many_report)) == (SMALL, LARGE), (few_report, many_report)
    return (many - few) / (LARGE - SMALL)


def article_cost(erp: ErpClient, wms: WmsClient, erp_admin: Admin, ledger: Ledger) -> float:
    """What each further article written costs: a run of LARGE new products against a run of SMALL."""
    erp_admin.post("products", [product(1)])
    small = transactions(ledger, Kind.ARTICLE, "articles-1", lambda gate: sync_articles(erp, wms, None, gate=gate))
    erp_admin.post("products", [product(i) for i in range(2, 2 + LARGE)])
    large = transactions(ledger, Kind.ARTICLE, "articles-2",
                         lambda gate: sync_articles(erp, wms, small[1].cursor, gate=gate))
    return per_record(small, large, lambda r: r.created)


def test_an_article_written_costs_one_transaction(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                  ledger: Ledger) -> None:
    assert article_cost(erp, wms, erp_admin, ledger) == 1


def test_an_article_run_in_several_batches_claims_its_records_once(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                                   ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run's batches share one claim: the second batch's articles cost no more than the first's."""
    monkeypatch.setattr(articles, "FIRST_BATCH", 2)  # LARGE articles are then read and written in two batches

    assert article_cost(erp, wms, erp_admin, ledger) == 1


def test_an_order_pushed_costs_one_transaction_with_its_stage_times(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                                    ledger: Ledger) -> None:
    erp_admin.post("products", [product(1)])
    sync_articles(erp, wms, None)
    erp_admin.post("orders", [order(1, 1)])
    small = transactions(ledger, Kind.ORDER, "orders-1", lambda gate: push_orders(erp, wms, None, OrderOptions(), gate=gate))
    erp_admin.post("orders", [order(i, 1) for i in range(2, 2 + LARGE)])
    large = transactions(ledger, Kind.ORDER, "orders-2",
                         lambda gate: push_orders(erp, wms, small[1].cursor, OrderOptions(), gate=gate))

    assert per_record(small, large, lambda r: r.created) == 1
    times = ledger.stage_times(Kind.ORDER)
    assert sorted(times, key=int) == [str(i) for i in range(1, 2 + LARGE)]
    assert all(set(stages) == {Stage.CONFIRMED, Stage.CREATED_IN_WMS} for stages in times.values())
    assert ledger.keys_in_states(Kind.ORDER, [State.SENT]) == sorted(times)


def test_a_shipped_order_reported_costs_one_transaction_with_its_state_and_times(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger: Ledger) -> None:
    erp_admin.post("products", [product(1)])
    sync_articles(erp, wms, None)
    wms_admin.post("stock", [{"ArticleNumber": "P-1", "NumberOfItems": 20}])
    erp_admin.post("orders", [order(i, 1) for i in range(1, 2 + LARGE)])
    assert push_orders(erp, wms, None, OrderOptions()).created == 1 + LARGE
    shipped_at = datetime.now(timezone.utc)

    def ship(numbers: range) -> None:
        for number in numbers:
            wms_admin.post(f"orders/{number}/status", {"OrderStatusNumber": 450, "WayBill": f"WB-{number}"})

    ship(range(1, 2))
    small = transactions(ledger, Kind.ORDER, "shipped-1", lambda gate: report_shipped(erp, wms, None, OrderOptions(), gate=gate))
    ship(range(2, 2 + LARGE))
    large = transactions(ledger, Kind.ORDER, "shipped-2",
                         lambda gate: report_shipped(erp, wms, small[1].cursor, OrderOptions(), gate=gate))

    assert per_record(small, large, lambda r: r.updated) == 1
    reported = ledger.keys_in_states(Kind.ORDER, [State.REPORTED])
    assert sorted(reported, key=int) == [str(i) for i in range(1, 2 + LARGE)]
    times = ledger.stage_times(Kind.ORDER)
    assert all({Stage.SHIPPED, Stage.REPORTED} <= set(times[key]) for key in reported)
    assert all(times[key][Stage.REPORTED] >= shipped_at for key in reported)
