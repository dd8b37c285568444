"""PF6 request budget: a simulated day of 96 fifteen-minute cycles, counted by the sandboxes' call logs.

The day: `orders` orders and `changes` product changes, spread over the hours as a shop's day is
(quiet at night, busiest in office hours). Within each cycle the two fast-path sensors tick every
30 simulated seconds (30 ticks) and each run they request is run at once; orders are confirmed
between ticks, and the warehouse ships each order one to four cycles after it arrived. At the end
of the cycle the schedule's sync_all runs: articles, orders, shipped orders, stock. Sensors are the
code location's own (evaluated with dg.build_sensor_context); runs are the sync functions the assets
call, with their cursors carried as the assets carry them.

Requests are counted per cycle from GET /_sandbox/calls (the log is reset between cycles) and
grouped into hours. The limit that matters is 24SevenOffice's 7,200 requests an hour; Ongoing's
requests are reported alongside. The sandbox clock is not moved: a cycle takes seconds, not 15
minutes, which changes no count.

The full run holds the whole catalogue in both sandboxes (50,000 products and articles), so every
stock cycle reads all of it: one GetProducts request on the ERP side, whatever the catalogue's size,
and one GetInventoryByQuery page per 1,000 articles on the WMS side.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter

import dagster as dg

from benchmarks.common import Stack, change_products, line, loaded_cursor, order_record, pipeline_environment, \
    sandboxes, seed_orders, seed_shop
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.shipped import report_shipped
from sync_pipeline.sync.stock import sync_stock

CYCLES_PER_DAY = 96
TICKS_PER_CYCLE = 30  # the sensors' 30 s minimum interval in a 15-minute cycle
LIMIT_PER_HOUR = 7200
TARGET_SHARE = 0.08  # issue 14 (until 2026-12-07: 25 %)
SENSOR_LOOKS_PER_HOUR = TICKS_PER_CYCLE * 4  # the ERP order sensor: one GetInvoices a look since 2026-12-07
# A shop's day: weight of each hour (orders and edits alike).
HOURLY_WEIGHT = [1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 8, 7, 8, 9, 8, 7, 5, 4, 4, 3, 3, 2, 1]


def spread(total: int, cycles: int, rng: random.Random) -> list[int]:
    """How many of `total` events fall in each cycle, following HOURLY_WEIGHT."""
    weights = [HOURLY_WEIGHT[(cycle * 24) // CYCLES_PER_DAY] for cycle in range(cycles)]
    counts = Counter(rng.choices(range(cycles), weights=weights, k=total))
    return [counts[cycle] for cycle in range(cycles)]


class Day:
    """The pipeline's state across the simulated day: cursors, sensor cursors, clients."""

    def __init__(self, stack: Stack, defs: dg.Definitions, instance: dg.DagsterInstance):
        self.stack, self.defs, self.instance = stack, defs, instance
        self.erp, self.wms = stack.erp_client(), stack.wms_client()
        self.options = OrderOptions()
        self.articles_cursor = loaded_cursor(stack)
        self.orders_cursor: Cursor | None = None  # no order yet: the first run reads them all
        self.shipped_cursor: Cursor | None = None
        self.sensors = {name: defs.resolve_sensor_def(name) for name in ("erp_new_orders", "wms_shipped_orders")}
        self.sensor_cursors: dict[str, str | None] = {name: None for name in self.sensors}
        self.failures = 0
        for name in self.sensors:
            self.tick(name, run=False)  # the daemon's first tick sets the cursor

    def tick(self, name: str, run: bool = True) -> None:
        sensor = self.sensors[name]
        context = dg.build_sensor_context(instance=self.instance, cursor=self.sensor_cursors[name],
                                          resources=self.defs.resources, sensor_name=name)
        result = sensor.evaluate_tick(context)
        self.sensor_cursors[name] = result.cursor
        if run and result.run_requests:
            self.push() if name == "erp_new_orders" else self.report()

    def push(self) -> None:
        report = push_orders(self.erp, self.wms, self.orders_cursor, self.options)
        self.orders_cursor = report.cursor or self.orders_cursor
        self.failures += report.failed

    def report(self) -> None:
        report = report_shipped(self.erp, self.wms, self.shipped_cursor, self.options)
        self.shipped_cursor = report.cursor or self.shipped_cursor
        self.failures += report.failed

    def sync_all(self) -> None:
        articles = sync_articles(self.erp, self.wms, self.articles_cursor)
        self.articles_cursor = articles.cursor or self.articles_cursor
        self.push()
        self.report()
        stock, _ = sync_stock(self.erp, self.wms)
        self.failures += articles.failed + stock.failed


def run(orders: int, changes: int, catalogue: int, cycles: int = CYCLES_PER_DAY) -> str:
    rng = random.Random(6)
    per_cycle_orders = spread(orders, cycles, rng)
    per_cycle_changes = spread(changes, cycles, rng)
    with sandboxes() as stack, tempfile.TemporaryDirectory(prefix="pf6-dagster-") as home, \
            pipeline_environment(stack, home):
        seed_shop(stack, catalogue, rng)
        from sync_pipeline.definitions import build_definitions  # reads the environment set above

        day = Day(stack, build_definitions(), dg.DagsterInstance.ephemeral())
        next_order = 30_000
        to_ship: dict[int, list[int]] = {}  # cycle -> orders the warehouse ships then
        erp_per_cycle: list[int] = []
        wms_per_cycle: list[int] = []
        erp_operations: Counter[str] = Counter()
        for cycle in range(cycles):
            stack.reset_calls()
            change_products(stack, rng.sample(range(1, catalogue + 1), per_cycle_changes[cycle]), version=cycle + 1)
            new_orders = list(range(next_order, next_order + per_cycle_orders[cycle]))
            next_order += len(new_orders)
            shipments = to_ship.pop(cycle, [])
            for tick in range(TICKS_PER_CYCLE):
                confirm = new_orders[tick::TICKS_PER_CYCLE]
                if confirm:
                    seed_orders(stack, [order_record(o, 1 + o % 6, rng.sample(range(1, catalogue + 1), 2), rng)
                                        for o in confirm])
                for order_id in shipments[tick::TICKS_PER_CYCLE]:
                    stack.admin("wms", "POST", f"orders/{order_id}/status", {"OrderStatusNumber": 450})
                day.tick("erp_new_orders")
                day.tick("wms_shipped_orders")
            day.sync_all()
            for order_id in new_orders:
                to_ship.setdefault(cycle + rng.randint(1, 4), []).append(order_id)
            erp_calls, wms_calls = stack.calls("erp"), stack.calls("wms")
            erp_per_cycle.append(sum(erp_calls.values()))
            wms_per_cycle.append(sum(wms_calls.values()))
            erp_operations += erp_calls
        day.erp.close()

    hours = [sum(erp_per_cycle[h:h + 4]) for h in range(0, cycles, 4)]
    wms_hours = [sum(wms_per_cycle[h:h + 4]) for h in range(0, cycles, 4)]
    busiest = max(hours)
    share = busiest / LIMIT_PER_HOUR
    top = ", ".join(f"{name} {count:,}" for name, count in erp_operations.most_common(5))
    stock_pages = -(-catalogue // 1000)
    return line("PF6", f"request budget of a simulated day ({cycles} cycles: {orders:,} orders, "
                       f"{changes:,} product changes, catalogue of {catalogue:,} in the sandboxes)",
                f"busiest hour {busiest:,} ERP requests = {share:.1%} of the limit",
                f"24SevenOffice limit {LIMIT_PER_HOUR:,} requests/hour", share, "<= 8 % of the limit",
                share <= TARGET_SHARE and day.failures == 0,
                f"day total {sum(erp_per_cycle):,} ERP requests (top: {top}); WMS busiest hour "
                f"{max(wms_hours):,} requests, of which {stock_pages} inventory page(s) per stock cycle; "
                f"the ERP order sensor's looks are {SENSOR_LOOKS_PER_HOUR} of each hour's requests; "
                f"{day.failures} failed records")
