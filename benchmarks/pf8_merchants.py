"""PF8 many merchants: a simulated hour of 100 merchants' sync cycles on this machine.

Each merchant is an ERP client and a goods owner of one pair of sandboxes in a child process
(benchmarks/pf8_world.py), named in a tenants file; the code location's own definitions serve them,
every process asset partitioned by merchant. Each merchant's schedule (`sync_all_schedule_<key>`,
every SYNC_INTERVAL_MINUTES = 15) is evaluated as the daemon does at each tick, and the run it asks
for, `sync_all` of that merchant's partition with the schedule's tags, is executed in this process,
one run after another (one worker). Before the hour every merchant's first run loads its demo
catalogue and orders (not counted).

Time: the hour is simulated. Orders are confirmed in each merchant's ERP at random moments of the
hour, every merchant the same moments (so the merchants differ only in where their runs fall in the
machine's queue). At each tick (15, 30, 45 and 60 minutes) the orders confirmed by then are in the
ERPs and the tick's runs execute back to back; the simulated clock moves with the real one while runs
execute and jumps over the idle rest of the interval; a tick whose runs are still busy when the next
is due starts when they end. An order's freshness is from its confirmation to its ProcessOrder in the
warehouse (the sandbox's call log), in simulated seconds: the wait for the tick, the queue before its
merchant's run, and the run's own time. Baseline: one merchant's hour, the same moments, the same
way, in the same run.

Figures: runs per hour the machine sustains (runs ÷ the seconds spent running them), the freshness
p95 of each merchant (the worst merchant's against the one merchant's is the ratio), and this
process's CPU seconds per merchant-cycle (the sandboxes' CPU is the child's, not counted).
"""

from __future__ import annotations

import math
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import SCHEDULE_NAME_TAG

from benchmarks.common import line, order_record
from benchmarks.pf8_world import World, deployment, served
from sync_pipeline.sandbox.merchants import merchant_key

INTERVAL = 900.0  # seconds between a merchant's scheduled runs (SYNC_INTERVAL_MINUTES' default)
PRODUCTS = 24  # the demo catalogue of every merchant (product ids 1 … 24)
CUSTOMERS = 6
FIRST_ORDER = 500_000  # above every merchant's demo orders (<n>001 …)


@dataclass(frozen=True)
class Hour:
    merchants: int
    runs: int
    failed_runs: int
    busy: float  # real seconds the ticks' runs took
    cpu: float  # this process's CPU seconds in them
    p95: dict[str, float]  # per merchant: freshness p95, simulated seconds
    missing: int  # orders not in the warehouse by the hour's last tick

    @property
    def runs_per_hour(self) -> float:
        return 3600 * self.runs / self.busy

    @property
    def cpu_per_run(self) -> float:
        return self.cpu / self.runs

    @property
    def worst(self) -> float:
        return max(self.p95.values())


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def simulate(world: World, merchants: list[str], ticks: int, confirmations: list[float], folder: Path) -> Hour:
    """One simulated hour (`ticks` ticks) of these merchants; `confirmations`: when each merchant's orders come."""
    rng = random.Random(8)
    home = folder / f"home-{len(merchants)}"
    home.mkdir()
    with deployment(world, home, merchants), dg.instance_for_test(temp_dir=str(home)) as instance:
        from sync_pipeline.definitions import build_definitions  # reads the tenants file just written

        defs = build_definitions()
        job = defs.resolve_job_def("sync_all")
        schedules = {key: defs.resolve_schedule_def(f"sync_all_schedule_{key}") for key in merchants}
        repository = defs.get_repository_def()

        def scheduled_run(key: str) -> bool:
            """The tick of the merchant's schedule and the run it asks for, as the daemon would launch it."""
            schedule = schedules[key]
            context = dg.build_schedule_context(instance=instance, repository_def=repository)
            [request] = schedule.evaluate_tick(context).run_requests or []
            tags = {**(request.tags or {}), SCHEDULE_NAME_TAG: schedule.name}
            return job.execute_in_process(instance=instance, partition_key=request.partition_key, tags=tags,
                                          raise_on_error=False).success

        for key in merchants:
            scheduled_run(key)  # the initial load: demo catalogue and orders, not part of the hour

        order_ids = {key: [FIRST_ORDER + index * 1000 + n for n in range(len(confirmations))]
                     for index, key in enumerate(merchants)}
        arrived: dict[str, dict[int, float]] = {key: {} for key in merchants}  # order -> simulated arrival
        confirmed_up_to = 0
        simulated = 0.0
        runs = failed = 0
        busy = cpu = 0.0
        for tick in range(1, ticks + 1):
            begin = max(tick * INTERVAL, simulated)
            due = [n for n in range(confirmed_up_to, len(confirmations)) if confirmations[n] <= begin]
            for key in merchants:
                world.confirm_orders(key, [order_record(order_ids[key][n], 1 + n % CUSTOMERS,
                                                        rng.sample(range(1, PRODUCTS + 1), 2), rng) for n in due])
            confirmed_up_to += len(due)
            started, started_cpu = time.time(), time.process_time()
            for key in merchants:
                runs += 1
                failed += not scheduled_run(key)
            busy += time.time() - started
            cpu += time.process_time() - started_cpu
            simulated = begin + (time.time() - started)
            for key in merchants:
                for order_id, moment in world.arrivals(key).items():
                    if order_id in order_ids[key] and order_id not in arrived[key]:
                        arrived[key][order_id] = begin + (moment - started)

    p95s, missing = {}, 0
    for key in merchants:
        waits = [arrived[key][order_ids[key][n]] - confirmations[n]
                 for n in range(len(confirmations)) if order_ids[key][n] in arrived[key]]
        missing += len(confirmations) - len(waits)
        p95s[key] = p95(waits) if waits else math.inf
    return Hour(len(merchants), runs, failed, busy, cpu, p95s, missing)


def run(merchants: int, ticks: int, orders: int) -> str:
    """`merchants` merchants' hour of `ticks` ticks, `orders` orders each, against one merchant's."""
    rng = random.Random(8)
    span = ticks * INTERVAL
    confirmations = sorted(rng.uniform(0, span) for _ in range(orders))  # every merchant's moments
    keys = [merchant_key(number) for number in range(1, merchants + 2)]
    fleet, alone = keys[:-1], keys[-1:]  # the one merchant is a tenant of the same sandboxes
    with served(len(keys)) as world, tempfile.TemporaryDirectory(prefix="pf8-") as folder:
        one = simulate(world, alone, ticks, confirmations, Path(folder))
        many = simulate(world, fleet, ticks, confirmations, Path(folder))

    needed = merchants * 3600 / INTERVAL
    ratio = many.worst / one.worst
    span_text = "hour" if ticks * INTERVAL == 3600 else f"{ticks * INTERVAL / 60:.0f} minutes"
    return line("PF8", f"{merchants} merchants' simulated {span_text} ({ticks} schedule tick(s) every "
                       f"{INTERVAL / 60:.0f} min, {orders} orders per merchant, one run at a time in one process)",
                f"freshness p95 of the worst merchant {many.worst:.0f} s (median merchant "
                f"{statistics.median(many.p95.values()):.0f} s); {many.runs_per_hour:,.0f} runs/hour sustained "
                f"(the hour needs {needed:,.0f}); {many.cpu_per_run:.2f} CPU s per merchant-cycle",
                f"one merchant the same way {one.worst:.0f} s ({one.runs_per_hour:,.0f} runs/hour, "
                f"{one.cpu_per_run:.2f} CPU s per cycle)",
                ratio, "none set (issue 13 asks for the figures); recorded in docs/benchmarks.md", None,
                f"{many.runs} runs ({many.failed_runs} failed) in {many.busy:.0f} s; "
                f"{many.missing} of {merchants * orders} orders not in the warehouse by the last tick "
                f"(one merchant: {one.missing}); simulated seconds: confirmed -> in WMS")
