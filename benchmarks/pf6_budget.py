"""PF6 request budget: a simulated day of 96 fifteen-minute cycles, counted by the sandboxes' call logs.

The day: `orders` orders and `changes` product changes, spread over the hours as a shop's day is
(quiet at night, busiest in office hours). Within each cycle the ERP order sensor ticks every 30
simulated seconds (30 ticks) and the shipped-order sensor every `shipped_interval` seconds
(SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS; 30 by default), and each run they request is run at once;
orders are confirmed between the ERP sensor's ticks, and the warehouse ships each order one to four
cycles after it arrived, spread over the shipped sensor's ticks. A push run is what the job
push_orders runs with the sensor's request: the articles' changes first only when the request selects
the articles asset (an order names a product the ledger does not have as written), then the orders.
The sensor reads the merchant's ledger, which holds the seeded catalogue as written, as the initial
load leaves it; the runs themselves keep no ledger (the articles stay written). At the end of the cycle the schedule's
sync_all runs: articles, orders, shipped orders, stock. Sensors are the code location's own
(evaluated with dg.build_sensor_context); runs are the sync functions the assets call, with their
cursors carried as the assets carry them.

Requests are counted per cycle from GET /_sandbox/calls (the log is reset between cycles) and
grouped into hours. The limit that matters is 24SevenOffice's 7,200 requests an hour; Ongoing's
requests are reported alongside. The sandbox clock is not moved: a cycle takes seconds, not 15
minutes, which changes no count.

The full run holds the whole catalogue in both sandboxes (50,000 products and articles), so every
stock cycle reads all of it: one GetProducts request on the ERP side, whatever the catalogue's size,
and one GetInventoryByQuery page per 1,000 articles on the WMS side.
"""

from __future__ import annotations

import math
import random
import tempfile
from collections import Counter
from datetime import datetime, timezone

import dagster as dg

from benchmarks.common import Stack, change_products, line, loaded_cursor, order_record, pipeline_environment, \
    sandboxes, seed_orders, seed_shop
from sync_pipeline.ledger import Kind, State
from sync_pipeline.ledger.engine import connected
from sync_pipeline.ledger.rows import chunks, insert_missing
from sync_pipeline.processes.registry import process_named
from sync_pipeline.tenants import Merchants
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.shipped import report_shipped
from sync_pipeline.sync.stock import sync_stock

CYCLES_PER_DAY = 96
CYCLE_SECONDS = 900
ERP_SENSOR_SECONDS = 30  # the ERP order sensor's interval (SYNC_SENSOR_INTERVAL_SECONDS, the default)
TICKS_PER_CYCLE = CYCLE_SECONDS // ERP_SENSOR_SECONDS
LIMIT_PER_HOUR = 7200
ARTICLES_ASSET = dg.AssetKey(process_named("articles").asset.key)
TARGET_SHARE = 0.08  # issue 14 (until 2026-12-07: 25 %)
SENSOR_LOOKS_PER_HOUR = TICKS_PER_CYCLE * 4  # the ERP order sensor: one GetInvoices a look since 2026-12-07
# A shop's day: weight of each hour (orders and edits alike).
HOURLY_WEIGHT = [1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 8, 7, 8, 9, 8, 7, 5, 4, 4, 3, 3, 2, 1]


def spread(total: int, cycles: int, rng: random.Random) -> list[int]:
    """How many of `total` events fall in each cycle, following HOURLY_WEIGHT."""
    weights = [HOURLY_WEIGHT[(cycle * 24) // CYCLES_PER_DAY] for cycle in range(cycles)]
    counts = Counter(rng.choices(range(cycles), weights=weights, k=total))
    return [counts[cycle] for cycle in range(cycles)]


def record_initial_load(defs: dg.Definitions, instance: dg.DagsterInstance, catalogue: int) -> None:
    """The merchant's ledger as the initial load of the catalogue leaves it: every article written."""
    merchants: Merchants = (defs.resources or {})["merchants"]
    ledger = merchants.get(None).ledger(home=instance.root_directory)
    with connected(ledger.engine, transaction=True) as connection:
        for keys in chunks([str(product_id) for product_id in range(1, catalogue + 1)]):
            insert_missing(connection, Kind.ARTICLE, keys, datetime.now(timezone.utc), state=State.SENT)


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
        self.pushes = self.pushes_with_articles = 0
        for name in self.sensors:
            self.tick(name, run=False)  # the daemon's first tick sets the cursor

    def tick(self, name: str, run: bool = True) -> None:
        sensor = self.sensors[name]
        context = dg.build_sensor_context(instance=self.instance, cursor=self.sensor_cursors[name],
                                          definitions=self.defs, resources=self.defs.resources, sensor_name=name)
        result = sensor.evaluate_tick(context)
        self.sensor_cursors[name] = result.cursor
        if run and result.run_requests:
            (request,) = result.run_requests
            self.push(request) if name == "erp_new_orders" else self.report()

    def push(self, request: dg.RunRequest) -> None:
        """The job push_orders narrowed to the request's assets: the articles' changes first when selected."""
        if request.asset_selection is None or ARTICLES_ASSET in request.asset_selection:
            self.articles()
            self.pushes_with_articles += 1
        self.orders()
        self.pushes += 1

    def articles(self) -> None:
        articles = sync_articles(self.erp, self.wms, self.articles_cursor)
        self.articles_cursor = articles.cursor or self.articles_cursor
        self.failures += articles.failed

    def orders(self) -> None:
        report = push_orders(self.erp, self.wms, self.orders_cursor, self.options)
        self.orders_cursor = report.cursor or self.orders_cursor
        self.failures += report.failed

    def report(self) -> None:
        report = report_shipped(self.erp, self.wms, self.shipped_cursor, self.options)
        self.shipped_cursor = report.cursor or self.shipped_cursor
        self.failures += report.failed

    def sync_all(self) -> None:
        self.articles()
        self.orders()
        self.report()
        stock, _ = sync_stock(self.erp, self.wms)
        self.failures += stock.failed


def run(orders: int, changes: int, catalogue: int, cycles: int = CYCLES_PER_DAY,
        shipped_interval: int = ERP_SENSOR_SECONDS) -> str:
    step_seconds = math.gcd(ERP_SENSOR_SECONDS, shipped_interval)  # both sensors tick on this grid
    steps = CYCLE_SECONDS // step_seconds
    rng = random.Random(6)
    per_cycle_orders = spread(orders, cycles, rng)
    per_cycle_changes = spread(changes, cycles, rng)
    with sandboxes() as stack, tempfile.TemporaryDirectory(prefix="pf6-dagster-") as home, \
            pipeline_environment(stack, home):
        seed_shop(stack, catalogue, rng)
        from sync_pipeline.definitions import build_definitions  # reads the environment set above

        defs, instance = build_definitions(), dg.DagsterInstance.ephemeral()
        record_initial_load(defs, instance, catalogue)
        day = Day(stack, defs, instance)
        next_order = 30_000
        to_ship: dict[int, list[int]] = {}  # cycle -> orders the warehouse ships then
        erp_per_cycle: list[int] = []
        wms_per_cycle: list[int] = []
        erp_operations: Counter[str] = Counter()
        erp_cycle_operations: list[Counter[str]] = []
        for cycle in range(cycles):
            stack.reset_calls()
            change_products(stack, rng.sample(range(1, catalogue + 1), per_cycle_changes[cycle]), version=cycle + 1)
            new_orders = list(range(next_order, next_order + per_cycle_orders[cycle]))
            next_order += len(new_orders)
            shipments = to_ship.pop(cycle, [])
            for step in range(steps):
                moment = step * step_seconds
                erp_tick = moment % ERP_SENSOR_SECONDS == 0
                confirm = new_orders[moment // ERP_SENSOR_SECONDS::TICKS_PER_CYCLE] if erp_tick else []
                if confirm:
                    seed_orders(stack, [order_record(o, 1 + o % 6, rng.sample(range(1, catalogue + 1), 2), rng)
                                        for o in confirm])
                for order_id in shipments[step::steps]:
                    stack.admin("wms", "POST", f"orders/{order_id}/status", {"OrderStatusNumber": 450})
                if erp_tick:
                    day.tick("erp_new_orders")
                if moment % shipped_interval == 0:
                    day.tick("wms_shipped_orders")
            day.sync_all()
            for order_id in new_orders:
                to_ship.setdefault(cycle + rng.randint(1, 4), []).append(order_id)
            erp_calls, wms_calls = stack.calls("erp"), stack.calls("wms")
            erp_per_cycle.append(sum(erp_calls.values()))
            wms_per_cycle.append(sum(wms_calls.values()))
            erp_operations += erp_calls
            erp_cycle_operations.append(erp_calls)
        day.erp.close()

    hours = [sum(erp_per_cycle[h:h + 4]) for h in range(0, cycles, 4)]
    wms_hours = [sum(wms_per_cycle[h:h + 4]) for h in range(0, cycles, 4)]
    busiest = max(hours)
    busiest_start = hours.index(busiest) * 4
    busiest_operations = sum(erp_cycle_operations[busiest_start:busiest_start + 4], Counter[str]())
    in_busiest = ", ".join(f"{name} {count:,}" for name, count in busiest_operations.most_common())
    share = busiest / LIMIT_PER_HOUR
    top = ", ".join(f"{name} {count:,}" for name, count in erp_operations.most_common(5))
    stock_pages = -(-catalogue // 1000)
    # What no change to the runs can take away: one SetStockQuantity per product whose stock moved (the
    # service's description has no form that sets several) and the ERP sensor's looks.
    floor = busiest_operations["SetStockQuantity"] + SENSOR_LOOKS_PER_HOUR
    return line("PF6", f"request budget of a simulated day ({cycles} cycles: {orders:,} orders, "
                       f"{changes:,} product changes, catalogue of {catalogue:,} in the sandboxes; "
                       f"shipped-order sensor every {shipped_interval} s)",
                f"busiest hour {busiest:,} ERP requests = {share:.1%} of the limit",
                f"24SevenOffice limit {LIMIT_PER_HOUR:,} requests/hour", share, "<= 8 % of the limit",
                share <= TARGET_SHARE and day.failures == 0,
                f"busiest hour: {in_busiest}; the limit that stays: SetStockQuantity, one request per "
                f"product whose stock moved (no array form in the description), and the sensor's looks "
                f"are {floor:,} = {floor / LIMIT_PER_HOUR:.1%} of that hour before any run's own request; day total {sum(erp_per_cycle):,} ERP requests (top: {top}); WMS busiest hour "
                f"{max(wms_hours):,} requests, of which {stock_pages} inventory page(s) per stock cycle; "
                f"the ERP order sensor's looks are {SENSOR_LOOKS_PER_HOUR} of each hour's requests; "
                f"{day.pushes:,} push runs, {day.pushes_with_articles:,} of them with the articles step; "
                f"{day.failures} failed records")
