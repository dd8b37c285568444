"""PF12 ledger transactions per record written: articles, orders and shipped orders as the assets run them.

Each process runs through processes/runner.py with a fresh SQLite ledger (claims under the run's id,
the cursor saved, the claims released), three times: a first run with `records` new records (it also
finds no cursor yet: not counted), then `records` again, then twice as many. The ledger's transactions are SQLAlchemy's begin events on its engine (reads included).
What a record adds is the difference between the two runs divided by the records it added; what a
run pays whatever its size (claims, reading the entries, due retries, the cursor, the release) is
the rest. Baseline: one transaction per record, the outcome itself.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.common import Stack, article_number, line, order_record, sandboxes, seed_companies, seed_orders, seed_products
from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Ledger, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.articles import ARTICLES
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.model import SyncProcess
from sync_pipeline.processes.orders import ORDERS
from sync_pipeline.processes.selection import Delta
from sync_pipeline.processes.shipped import SHIPPED
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.wms import WmsClient

FIRST_ORDER = 10_000


def run(records: int) -> str:
    rng = random.Random(12)
    with sandboxes() as stack, tempfile.TemporaryDirectory() as home:
        with Ledger(sqlite_url(Path(home) / "ledger.sqlite")) as ledger:
            erp, wms = stack.erp_client(), stack.wms_client()
            seed_companies(stack)
            first, small, large = (range(1, records + 1), range(records + 1, 2 * records + 1),
                                   range(2 * records + 1, 4 * records + 1))
            figures = {
                "article": measure(ledger, erp, wms, ARTICLES, lambda r: r.created,
                                   lambda ids: seed_products(stack, ids, rng), first, small, large),
                "order": measure(ledger, erp, wms, ORDERS, lambda r: r.created,
                                 lambda ids: orders_for(stack, ids, rng), first, small, large),
                "shipped order": measure(ledger, erp, wms, SHIPPED, lambda r: r.updated,
                                         lambda ids: ship(stack, ids), first, small, large),
            }
            erp.close()
    worst = max(per_record for per_record, _ in figures.values())
    each = ", ".join(f"{name}: {per_record:.2f} per record + {per_run} per run"
                     for name, (per_record, per_run) in figures.items())
    return line("PF12", f"ledger transactions per record written (runs of {records:,} then {2 * records:,} records)",
                f"{worst:.2f} transactions per record at most", "1 per record (its outcome)", worst, "<= 1",
                worst <= 1.0, each)


def measure(ledger: Ledger, erp: ErpClient, wms: WmsClient, process: SyncProcess, written: Callable[[SyncReport], int],
            prepare: Callable[[list[int]], None], first: range, small: range, large: range) -> tuple[float, int]:
    """(transactions each further record adds, transactions a run pays whatever its size)."""
    counts = []
    for number, ids in enumerate((first, small, large), start=1):
        prepare(list(ids))
        with counted(ledger) as seen:
            report = runner.run(process, Delta(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig(),
                                run_id=f"pf12-{process.name}-{number}").report
        assert written(report) == len(ids) and not report.failures, report.summary()
        counts.append(len(seen))
    per_record = (counts[2] - counts[1]) / (len(large) - len(small))
    return per_record, round(counts[1] - per_record * len(small))


@contextmanager
def counted(ledger: Ledger) -> Iterator[list[Any]]:
    seen: list[Any] = []

    def began(connection: Any) -> None:
        seen.append(connection)

    event.listen(ledger.engine, "begin", began)
    try:
        yield seen
    finally:
        event.remove(ledger.engine, "begin", began)


def orders_for(stack: Stack, ids: list[int], rng: random.Random) -> None:
    """One confirmed order per product (the product's article in the warehouse, with stock to pick)."""
    assert stack.wms is not None
    for product_id in ids:
        stack.wms.inventory.set_physical(article_number(product_id), Decimal(100))
    seed_orders(stack, [order_record(FIRST_ORDER + i, 1 + i % 6, [i], rng) for i in ids])


def ship(stack: Stack, ids: list[int]) -> None:
    for i in ids:
        stack.admin("wms", "POST", f"orders/{FIRST_ORDER + i}/status", {"OrderStatusNumber": 450, "WayBill": f"PF12-{i}"})
