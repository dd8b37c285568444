"""PF5 freshness: seconds from an order confirmed in the ERP to the order in the WMS, and from shipped
in the WMS to Sent in the ERP, with the two fast-path sensors running.

The pipeline's own Dagster definitions run here: each tick evaluates the sensors erp_new_orders and
wms_shipped_orders (dg.build_sensor_context, cursors carried from tick to tick as the daemon does)
and runs the job a sensor requests in-process, before the next tick. The daemon ticks a sensor at
most every 30 s (minimum_interval_seconds); the loop ticks every `interval` seconds (30 for the full
run, shorter for a smoke run), and the figure is valid for that interval. A background thread
confirms orders in the ERP at random moments and ships each in the warehouse some random time after
it arrived there. Arrival and Sent times come from the sandboxes' call logs (ProcessOrder and
SaveInvoices of that order).

Baseline: the vendor's integration polls every 15 minutes. Each event is replayed against that
schedule: its wait for the next tick is scaled from `interval` to 900 s, its processing time kept.
"""

from __future__ import annotations

import math
import random
import tempfile
import threading
import time
from datetime import datetime

import dagster as dg

from benchmarks.common import Stack, line, order_record, pipeline_environment, sandboxes, seed_orders, seed_shop

VENDOR_POLL_SECONDS = 900.0
QUIET_RUN = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
PRODUCTS = 50
FIRST_ORDER = 20_000


class Events(threading.Thread):
    """Confirms orders at random moments, then ships each some time after it reached the WMS."""

    def __init__(self, stack: Stack, orders: int, window: float, interval: float, rng: random.Random):
        super().__init__(name="pf5-events", daemon=True)
        self.stack, self.rng, self.interval = stack, rng, interval
        start = time.time()
        self.confirm_at = sorted(start + rng.uniform(0, window) for _ in range(orders))
        self.confirmed: dict[int, float] = {}
        self.shipped: dict[int, float] = {}
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as error:  # noqa: BLE001 - reported by the benchmark
            self.error = error

    def _run(self) -> None:
        pending = list(enumerate(self.confirm_at))
        ship_at: dict[int, float] = {}
        while not self.stop.is_set() and (pending or len(self.shipped) < len(self.confirm_at)):
            now = time.time()
            while pending and pending[0][1] <= now:
                index, _ = pending.pop(0)
                order_id = FIRST_ORDER + index
                seed_orders(self.stack, [order_record(order_id, 1 + index % 6,
                                                      self.rng.sample(range(1, PRODUCTS + 1), 2), self.rng)])
                self.confirmed[order_id] = time.time()
            for order_id in self.confirmed:
                if order_id not in ship_at and self.stack.wms.orders.get(str(order_id)) is not None:
                    ship_at[order_id] = time.time() + self.rng.uniform(0, self.interval)
            for order_id, moment in ship_at.items():
                if order_id not in self.shipped and moment <= time.time():
                    self.shipped[order_id] = time.time()
                    self.stack.admin("wms", "POST", f"orders/{order_id}/status", {"OrderStatusNumber": 450})
            time.sleep(0.02)


def _log_times(stack: Stack, system: str, operation: str) -> dict[int, float]:
    """When each order's first successful call of `operation` happened, from the sandbox's call log."""
    found: dict[int, float] = {}
    for entry in stack.admin(system, "GET", "calls")["log"]:
        key = entry.get("key") or ""
        if entry["operation"] == operation and entry["outcome"] == "ok" and key.isdigit():
            found.setdefault(int(key), datetime.fromisoformat(entry["time"]).timestamp())
    return found


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _waits(events: dict[int, float], ticks: list[float]) -> dict[int, float]:
    """Each event's wait for the next tick."""
    return {key: min((tick for tick in ticks if tick >= moment), default=moment) - moment
            for key, moment in events.items()}


def run(orders: int, interval: float, window: float) -> str:
    rng = random.Random(5)
    with sandboxes() as stack, tempfile.TemporaryDirectory(prefix="pf5-dagster-") as home, \
            pipeline_environment(stack, home):
        seed_shop(stack, PRODUCTS, rng)
        from sync_pipeline.definitions import build_definitions  # reads the environment set above

        defs = build_definitions()
        instance = dg.DagsterInstance.ephemeral()
        sensors = [defs.resolve_sensor_def(name) for name in ("erp_new_orders", "wms_shipped_orders")]
        cursors: dict[str, str | None] = {sensor.name: None for sensor in sensors}
        for sensor in sensors:  # a first tick sets each cursor, as when the daemon starts
            cursors[sensor.name] = _tick(defs, instance, sensor, cursors[sensor.name], run_jobs=False)
        stack.reset_calls()

        events = Events(stack, orders, window, interval, rng)
        events.start()
        ticks: list[float] = []
        deadline = time.time() + window + 20 * interval + 120
        failed_runs = 0
        while time.time() < deadline and (len(events.shipped) < orders or _unsent(stack, events)):
            ticks.append(time.time())
            for sensor in sensors:
                cursors[sensor.name], failures = _tick(defs, instance, sensor, cursors[sensor.name])
                failed_runs += failures
            time.sleep(max(0.0, ticks[-1] + interval - time.time()))
        events.stop.set()
        events.join()
        if events.error is not None:
            raise events.error
        arrived = _log_times(stack, "wms", "ProcessOrder")
        sent = _log_times(stack, "erp", "SaveInvoices")

    to_wms = {k: arrived[k] - t for k, t in events.confirmed.items() if k in arrived}
    to_erp = {k: sent[k] - t for k, t in events.shipped.items() if k in sent}
    missing = (len(events.confirmed) - len(to_wms)) + (len(events.shipped) - len(to_erp))
    if not to_wms or not to_erp:
        return line("PF5", "freshness", "no order made it through", "vendor poll every 15 min", None,
                    "<= 60 s p95", False, f"{failed_runs} failed runs")
    baseline = []
    for latencies, moments in ((to_wms, events.confirmed), (to_erp, events.shipped)):
        waits = _waits({k: moments[k] for k in latencies}, ticks)
        baseline.append(_p95([latencies[k] - waits[k] + waits[k] * VENDOR_POLL_SECONDS / interval
                              for k in latencies]))
    worst, worst_baseline = max(_p95(list(to_wms.values())), _p95(list(to_erp.values()))), max(baseline)
    return line("PF5", f"freshness with the sensors ticking every {interval:g} s",
                f"p95 {_p95(list(to_wms.values())):.1f} s ERP confirmed -> in WMS (n={len(to_wms)}), "
                f"p95 {_p95(list(to_erp.values())):.1f} s WMS shipped -> Sent in ERP (n={len(to_erp)})",
                f"vendor poll every 15 min: p95 {baseline[0]:.0f} s / {baseline[1]:.0f} s (same events)",
                worst / worst_baseline, "<= 60 s p95", worst <= 60 and not missing,
                f"{missing} events never completed; {failed_runs} failed runs; runs executed in-process "
                "(the daemon launches a process per run, adding its start-up time)")


def _unsent(stack: Stack, events: Events) -> bool:
    """Whether a shipped order is still waiting for its Sent status in the ERP."""
    if len(events.shipped) < len(events.confirm_at):
        return True
    statuses = {o["OrderId"]: o.get("OrderStatus") for o in stack.erp.state()["orders"]}
    return any(statuses.get(order_id) != "OrderState_Sent" for order_id in events.shipped)


def _tick(defs: dg.Definitions, instance: dg.DagsterInstance, sensor: dg.SensorDefinition, cursor: str | None,
          run_jobs: bool = True):
    """One evaluation of `sensor`; the run it requests is executed at once. Returns the new cursor
    (and, when running jobs, how many runs failed)."""
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=defs.resources,
                                      sensor_name=sensor.name)
    result = sensor.evaluate_tick(context)
    if not run_jobs:
        return result.cursor
    failures = 0
    for request in result.run_requests:
        job = defs.resolve_job_def(request.job_name or sensor.job_name)
        outcome = job.execute_in_process(instance=instance, tags=request.tags, raise_on_error=False,
                                         run_config=QUIET_RUN)
        failures += 0 if outcome.success else 1
    return result.cursor, failures
