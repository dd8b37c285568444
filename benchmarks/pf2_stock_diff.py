"""PF2 stock comparison: benchmarks/stock_diff.py's measure, in a child process of its own.

The 1,000,000-row frames take a few hundred MB; a child keeps them out of the other measures.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.common import ROOT, line

CHILD = "import json, sys; from benchmarks.stock_diff import measure; print(json.dumps(measure(int(sys.argv[1]))))"


def run(articles: int) -> str:
    done = subprocess.run([sys.executable, "-c", CHILD, str(articles)], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    pandas_seconds, polars_seconds = json.loads(done.stdout.strip().splitlines()[-1])
    ratio = pandas_seconds / polars_seconds
    return line("PF2", f"stock comparison of two {articles:,}-article frames",
                f"pandas compare() {pandas_seconds:.3f} s", f"polars full join {polars_seconds:.3f} s (same frames)",
                ratio, "<= 2.00 x polars", ratio <= 2.0, "best of 3 each, taking turns")
