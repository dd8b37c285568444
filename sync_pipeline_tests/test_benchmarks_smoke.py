"""`python benchmarks/run.py --quick` keeps working: every measure runs and prints its line.

Figures are not checked (timings on a CI machine mean nothing); the full run's are in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.run import QUICK, measures

ROOT = Path(__file__).resolve().parent.parent
MEASURES = list(measures(QUICK))  # every measure run.py knows, in its order


def test_the_quick_benchmark_run_prints_a_line_for_every_measure():
    # The sandboxes and the pipeline's defaults: nothing from the caller's environment.
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("SO24_", "ONGOING_", "SYNC_", "DAGSTER_"))}
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--quick"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=420)

    assert done.returncode == 0, done.stdout + done.stderr[-4000:]
    results = [line for line in done.stdout.splitlines() if line.startswith("PF")]
    assert [line.split()[0] for line in results] == MEASURES, done.stdout
    assert "FAILED" not in done.stdout
    for result in results:  # the shape benchmarks.common.line() gives every measure
        assert all(part in result for part in ("; baseline ", "; ratio ", "; target ")), result


def test_pf7_counts_the_load_alone_not_the_parent_it_was_started_from():
    """Linux keeps a forked child's pre-exec peak in ru_maxrss: PF7 once reported the benchmark
    process's size (1 GB after PF6) as the load's peak."""
    ballast = bytearray(400 * 2**20)
    for index in range(0, len(ballast), 4096):  # touched, so it is resident
        ballast[index] = 1
    done = subprocess.run([sys.executable, "-c", "from benchmarks.pf7_child import peak_rss_mb; print(peak_rss_mb())"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 300, done.stdout
    del ballast


def test_a_missed_pf5_says_what_interval_its_target_needs_from_the_run_figures():
    from benchmarks.pf5_freshness import what_stops

    # Order 1: confirmed at 100, its run created at 110, written at 116 (6 s after the run was created);
    # order 2 the same with 4 s. Shipped order 1: its run created 1 s after, written 19 s after (18 s).
    runs = [{"jobName": "push_orders", "creationTime": 110.0, "tags": [{"key": "sync_pipeline/orders", "value": "1"}]},
            {"jobName": "push_orders", "creationTime": 210.0, "tags": [{"key": "sync_pipeline/orders", "value": "2"}]},
            {"jobName": "report_shipped", "creationTime": 301.0,
             "tags": [{"key": "sync_pipeline/orders", "value": "1"}]}]
    said = what_stops({1: 16.0, 2: 14.0}, {1: 100.0, 2: 200.0}, {1: 19.0}, {1: 300.0}, runs)

    # p95 of 6 s and 4 s is 6 s: 9 s left for the wait, looks every 9.5 s, 380 an hour (5.3 % of 7,200).
    assert "to WMS: from run created to written 6.0 s (p95) leaves 9.0 s for the wait: looks every 9.5 s = 380 " \
           "24SevenOffice requests an hour by the sensor alone = 5.3% of its limit" in said
    assert "to ERP: from run created to written alone takes 18.0 s (p95" in said
