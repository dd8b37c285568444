"""PF7 memory: peak RSS of an initial load of `articles` articles, in a child process of its own.

The sandboxes (and the catalogue they hold) stay in this process; the child is the pipeline alone:
it builds its clients from the same settings the code location uses, notes its RSS, runs the
article sync from an empty cursor (every product read in one GetProducts reply, every article
written to the WMS) and reports its peak RSS (getrusage RUSAGE_SELF in the child: the peak of that
process alone, where RUSAGE_CHILDREN would be the largest child so far). Baseline: the child's RSS
just before the load.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys

from benchmarks.common import BIG_REPLY_TIMEOUT, ROOT, line, sandboxes, seed_products
from sync_pipeline.sandbox.demo_stack import sandbox_environment

LIMIT_MB = 1024


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def child() -> None:
    """The initial load, reporting {"before_mb", "peak_mb", "created", "failed"} as JSON on stdout."""
    from sync_pipeline.erp import ErpClient
    from sync_pipeline.settings import load_settings
    from sync_pipeline.sync.articles import sync_articles
    from sync_pipeline.wms import WmsClient

    settings = load_settings(None)
    erp = ErpClient(settings.erp_connection(timeout=BIG_REPLY_TIMEOUT))
    wms = WmsClient(settings.wms_connection(timeout=BIG_REPLY_TIMEOUT))
    before = _rss_mb()
    report = sync_articles(erp, wms, None)
    print(json.dumps({"before_mb": before, "peak_mb": _rss_mb(), "created": report.created,
                      "failed": report.failed}))


def run(articles: int) -> str:
    with sandboxes() as stack:
        seed_products(stack, range(1, articles + 1), random.Random(7))
        environment = {**os.environ, **sandbox_environment(stack.erp_server.url, stack.wms_server.url)}
        done = subprocess.run([sys.executable, "-c", "from benchmarks.pf7_memory import child; child()"],
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
