"""PF7 initial load of `articles` articles: peak RSS, and time against the serialized write floor.

Each sandbox runs in a child process of its own (`sandboxes_apart`, as PF4's: two remote services
share no interpreter lock, with each other or with the benchmark), answering every call `LATENCY_MS`
after it arrived (their own work inside it, as a remote service's answer time). Another child is the
pipeline alone: it builds its clients from the same settings the code location uses, notes its
current RSS, runs the article sync from an empty cursor (the catalogue listed, then read by id a
page of 1,000 at a time while the writes before go; every article written to the WMS) and reports its peak RSS (VmHWM: the peak of that process
alone), how long the load took and how long its writes' exchanges took (median and mean). Baselines: the child's RSS just before the load; the write floor,
one ProcessArticle per latency (Ongoing takes one write at a time per goods owner).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

from benchmarks.common import BIG_REPLY_TIMEOUT, ROOT, Stack, line, sandboxes_apart, seed_products
from sync_pipeline.sandbox.demo_stack import sandbox_environment

LIMIT_MB = 256
LATENCY_MS = 20.0
TIME_LIMIT = 1.05  # x the write floor


def run(articles: int) -> str:
    with sandboxes_apart(seed_catalogue, articles) as stack:
        stack.faults(latency_ms=LATENCY_MS)
        environment = {**os.environ, **sandbox_environment(stack.erp_url, stack.wms_url)}
        done = subprocess.run([sys.executable, "-m", "benchmarks.pf7_child", str(BIG_REPLY_TIMEOUT)],
                              cwd=ROOT, env=environment, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the initial load failed:\n{done.stderr[-3000:]}")
        written = stack.calls("wms")["ProcessArticle"]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    peak, before, seconds = result["peak_mb"], result["before_mb"], result["seconds"]
    floor = written * LATENCY_MS / 1000
    ratio = seconds / floor if floor else None
    met = peak <= LIMIT_MB and ratio is not None and ratio <= TIME_LIMIT and result["failed"] == 0
    return line("PF7", f"{articles:,}-article initial load at {LATENCY_MS:g} ms per call",
                f"peak RSS {peak:,.0f} MB; {seconds:,.1f} s", f"the same process before the load {before:,.0f} MB; "
                f"write floor {floor:,.1f} s (one ProcessArticle per {LATENCY_MS:g} ms)", ratio,
                f"<= {LIMIT_MB:,} MB peak, <= {TIME_LIMIT:.2f} x the floor", met,
                f"peak / before {peak / before:.2f}; the catalogue's listing {result['read_seconds']:,.1f} s "
                f"({result['read_first_byte_seconds']:,.1f} s to its reply's first byte, the rest the transfer and "
                f"the parse), peak after it {result['read_peak_mb']:,.0f} MB; then {result['pages']:,} pages by id in "
                f"{result['pages_seconds']:,.1f} s, beside the writes; a write's exchange {result['write_median_ms']:.2f} ms "
                f"(median; mean {result['write_mean_ms']:.2f} ms); {result['created']:,} articles created, "
                f"{written:,} ProcessArticle calls, {result['failed']} failed")


def seed_catalogue(stack: Stack, articles: int) -> None:
    """The ERP's catalogue of `articles` products (the warehouse starts empty)."""
    seed_products(stack, range(1, articles + 1), random.Random(7))
