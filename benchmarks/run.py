"""Runs the performance measures PF1 … PF7 against in-process sandboxes, one result line each.

    python benchmarks/run.py            # the full scale (30 to 60 minutes on 2 cores)
    python benchmarks/run.py --quick    # a small-scale smoke of every measure (about a minute)
    python benchmarks/run.py --only PF3,PF4

Each line starts with the measure's id and gives the figure, its baseline (measured in the same
run; PF4's floor and PF6's request limit are fixed figures), the ratio and the target. Figures of a --quick run say nothing about performance. The last
full results, with the machine they came from, are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import platform
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python benchmarks/run.py` from anywhere

import dagster  # noqa: E402,F401 - imported first so that its loggers can be quietened below

from benchmarks import (  # noqa: E402
    pf1_writes,
    pf2_stock_diff,
    pf3_decode,
    pf4_orders,
    pf5_freshness,
    pf6_budget,
    pf7_memory,
    pf8_merchants,
    pf9_scale_out,
    pf10_stock_changes,
    pf11_reads,
    pf12_ledger,
)


@dataclass(frozen=True)
class Scale:
    pf1_articles: int
    pf2_articles: int
    pf3_products: int
    pf4_orders: int
    pf5_orders: int
    pf5_interval: int
    pf5_window: float
    pf6_orders: int
    pf6_changes: int
    pf6_catalogue: int
    pf6_cycles: int
    pf7_articles: int
    pf5_shipped_interval: int | None = None  # the shipped-order sensor's own interval (None: pf5_interval)
    pf6_shipped_interval: int = 30  # the shipped-order sensor's interval in the simulated day
    pf10_large: int = 5_000
    pf10_small: int = 500
    pf11_catalogue: int = 500
    pf12_records: int = 10
    pf8_merchants: int = 2  # merchants in the simulated hour (and one more alone, the baseline)
    pf8_ticks: int = 1  # their schedules' 15-minute ticks
    pf8_orders: int = 2  # orders confirmed per merchant
    pf9_merchants: int = 1  # merchants synced per phase (one worker, then two)
    pf9_erp_latency_ms: int = 0
    pf9_wms_latency_ms: int = 0


FULL = Scale(pf1_articles=50_000, pf2_articles=1_000_000, pf3_products=50_000, pf4_orders=500,
             pf5_orders=16, pf5_interval=30, pf5_window=240.0,
             pf6_orders=2_000, pf6_changes=2_500, pf6_catalogue=50_000, pf6_cycles=96, pf7_articles=100_000,
             pf10_large=50_000, pf10_small=5_000, pf11_catalogue=50_000,
             pf8_merchants=100, pf8_ticks=4, pf8_orders=8,
             pf12_records=50, pf9_merchants=6, pf9_erp_latency_ms=200,
             pf9_wms_latency_ms=50)
QUICK = Scale(pf1_articles=2_000, pf2_articles=100_000, pf3_products=2_000, pf4_orders=40,
              pf5_orders=4, pf5_interval=2, pf5_window=3.0,
              pf6_orders=40, pf6_changes=50, pf6_catalogue=100, pf6_cycles=4, pf7_articles=500)


def measures(scale: Scale) -> dict[str, Callable[[], str]]:
    return {
        "PF1": lambda: pf1_writes.run(scale.pf1_articles),
        "PF2": lambda: pf2_stock_diff.run(scale.pf2_articles),
        "PF3": lambda: pf3_decode.run(scale.pf3_products),
        "PF4": lambda: pf4_orders.run(scale.pf4_orders),
        "PF5": lambda: pf5_freshness.run(scale.pf5_orders, scale.pf5_interval, scale.pf5_window,
                                         scale.pf5_shipped_interval),
        "PF6": lambda: pf6_budget.run(scale.pf6_orders, scale.pf6_changes, scale.pf6_catalogue, scale.pf6_cycles,
                                      scale.pf6_shipped_interval),
        "PF7": lambda: pf7_memory.run(scale.pf7_articles),
        "PF8": lambda: pf8_merchants.run(scale.pf8_merchants, scale.pf8_ticks, scale.pf8_orders),
        "PF9": lambda: pf9_scale_out.run(scale.pf9_merchants, scale.pf9_erp_latency_ms,
                                          scale.pf9_wms_latency_ms),
        "PF10": lambda: pf10_stock_changes.run(scale.pf10_large, scale.pf10_small),
        "PF11": lambda: pf11_reads.run(scale.pf11_catalogue),
        "PF12": lambda: pf12_ledger.run(scale.pf12_records),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scale: checks that every measure runs")
    parser.add_argument("--only", help="comma-separated ids, e.g. PF3,PF4")
    parser.add_argument("--pf5-interval", type=int, help="seconds between sensor ticks (full: 30, quick: 2)")
    parser.add_argument("--shipped-interval", type=int,
                        help="seconds between the shipped-order sensor's ticks in PF5 and PF6 "
                             "(SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS; default: as the other sensor)")
    args = parser.parse_args()

    scale = QUICK if args.quick else FULL
    if args.pf5_interval:
        scale = Scale(**{**scale.__dict__, "pf5_interval": args.pf5_interval})
    if args.shipped_interval:
        scale = Scale(**{**scale.__dict__, "pf5_shipped_interval": args.shipped_interval,
                         "pf6_shipped_interval": args.shipped_interval})
    chosen = measures(scale)
    if args.only:
        wanted = [name.strip().upper() for name in args.only.split(",")]
        unknown = [name for name in wanted if name not in chosen]
        if unknown:
            parser.error(f"unknown measure(s) {unknown}; known: {', '.join(chosen)}")
        chosen = {name: chosen[name] for name in wanted}

    logging.getLogger("dagster").setLevel(logging.WARNING)  # sensor and run logs would drown the results
    print(f"# {'quick' if args.quick else 'full'} run, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}", flush=True)
    failed = []
    for name, measure in chosen.items():
        started = time.perf_counter()
        # The sensors' and runs' own log lines (Dagster gives each sensor context a console logger
        # of its own) are kept back, and shown only if the measure fails.
        held_back = io.StringIO()
        try:
            with contextlib.redirect_stderr(held_back):
                result = measure()
        except Exception:  # noqa: BLE001 - the other measures still run; the exit code tells
            failed.append(name)
            print(f"{name} FAILED:\n{held_back.getvalue()}{traceback.format_exc()}", flush=True)
            continue
        print(f"{result} [{time.perf_counter() - started:.0f} s]", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
