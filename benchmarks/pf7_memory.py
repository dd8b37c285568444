"""PF7 memory: peak RSS of an initial load of `articles` articles, in a child process of its own.

The sandboxes (and the catalogue they hold) stay in this process; the child is the pipeline alone:
it builds its clients from the same settings the code location uses, notes its current RSS, runs the
article sync from an empty cursor (every product read in one GetProducts reply, every article
written to the WMS) and reports its peak RSS (getrusage RUSAGE_SELF in the child: the peak of that
process alone, where RUSAGE_CHILDREN would be the largest child so far). Baseline: the child's RSS
just before the load.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

from benchmarks.common import BIG_REPLY_TIMEOUT, ROOT, line, sandboxes, seed_products
from sync_pipeline.sandbox.demo_stack import sandbox_environment

LIMIT_MB = 1024


def run(articles: int) -> str:
    with sandboxes() as stack:
        seed_products(stack, range(1, articles + 1), random.Random(7))
        environment = {**os.environ, **sandbox_environment(stack.erp_url, stack.wms_url)}
        done = subprocess.run([sys.executable, "-m", "benchmarks.pf7_child", str(BIG_REPLY_TIMEOUT)],
                              cwd=ROOT, env=environment, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the initial load failed:\n{done.stderr[-3000:]}")
        written = stack.calls("wms")["ProcessArticle"]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    peak, before = result["peak_mb"], result["before_mb"]
    return line("PF7", f"memory of a {articles:,}-article initial load",
                f"peak RSS {peak:,.0f} MB", f"the same process before the load {before:,.0f} MB", peak / before,
                f"<= {LIMIT_MB:,} MB peak", peak <= LIMIT_MB and result["failed"] == 0,
                f"{result['created']:,} articles created, {written:,} ProcessArticle calls, "
                f"{result['failed']} failed")
