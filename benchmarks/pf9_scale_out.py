"""PF9 scale-out: merchant cycles per minute with two Celery workers against one (target >= 0.8 of double).

The deployment of docs/deploy.md on this machine (benchmarks/pf9_cluster.py): PostgreSQL, redis, the
webserver, the daemon with deploy/dagster.yaml, and `dagster-celery worker` processes running one step
at a time. Every merchant has a seeded sandbox of its own whose ERP and warehouse answer each call after
their latency (the remote systems' service times: the steps wait on them, as in production). First one worker syncs half of the merchants (one
operator-launched `sync_all` per merchant, all queued at once); then a second worker joins and the other
half, which holds the same data, is synced. Throughput is merchant cycles per minute from the first
launch to the last run's end; the efficiency is the two-worker throughput over twice the one-worker one.
The run processes (each run's orchestration) and the daemon share the machine with the workers: on two
cores they, not the workers, may be what stops the ratio.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import line
from benchmarks.pf9_cluster import Cluster, cluster, dump, until

TARGET = 0.8


def _cycle(found: Cluster, merchants: list[str]) -> float:
    """Seconds from launching one sync_all per merchant to the last one's end; every run must succeed."""
    started = time.perf_counter()
    run_ids = [found.launch("sync_all", {"dagster/partition": key, "sync_pipeline/merchant": key})
               for key in merchants]
    runs = [until(lambda run_id=run_id: found.finished(run_id), f"run {run_id} ending", 1800) for run_id in run_ids]
    elapsed = time.perf_counter() - started
    failed = [run["runId"] for run in runs if run["status"] != "SUCCESS"]
    if failed:
        raise RuntimeError(f"runs {failed} did not succeed\n{dump(found)}")
    return elapsed


def run(merchants_per_phase: int, erp_latency_ms: int, wms_latency_ms: int) -> str:
    keys = [f"m{index:02d}" for index in range(2 * merchants_per_phase)]
    first, second = keys[:merchants_per_phase], keys[merchants_per_phase:]
    with tempfile.TemporaryDirectory(prefix="pf9-") as folder:
        with cluster(Path(folder), keys, workers=["w1"], redelivery_seconds=900) as found:
            for merchant in found.merchants.values():
                merchant.admin("erp", "POST", "faults", {"latency_ms": erp_latency_ms})
                merchant.admin("wms", "POST", "faults", {"latency_ms": wms_latency_ms})
            one = _cycle(found, first)
            found.start_worker("w2", 900)
            two = _cycle(found, second)
    per_minute_one = 60 * merchants_per_phase / one
    per_minute_two = 60 * merchants_per_phase / two
    efficiency = per_minute_two / (2 * per_minute_one)
    return line("PF9", "scale-out, merchant cycles per minute with 2 Celery workers",
                f"{per_minute_two:.1f}/min ({merchants_per_phase} merchants in {two:.1f} s)",
                f"1 worker {per_minute_one:.1f}/min ({merchants_per_phase} merchants in {one:.1f} s)",
                efficiency, f">= {TARGET} of double", efficiency >= TARGET,
                f"ERP {erp_latency_ms} ms, WMS {wms_latency_ms} ms per call; one sync_all per merchant, "
                f"one step at a time per worker")
