"""PF1 write efficiency: WMS writes per cycle against the products that truly changed in the ERP.

A catalogue of `articles` products, loaded earlier (the cursor starts after it), then three article
cycles with 0 %, 1 % and 10 % of the products changed before each. The writes are the sandbox's
count of ProcessArticle calls during the cycle; the cursor is carried from cycle to cycle as the
asset carries it between runs. Baseline: the number of products changed (what a perfect sync
writes); a sync that pushed the whole catalogue every cycle would write `articles` each time.
"""

from __future__ import annotations

import random

from benchmarks.common import change_products, line, loaded_cursor, sandboxes, seed_products
from sync_pipeline.sync.articles import sync_articles

SHARES = (0.0, 0.01, 0.10)


def run(articles: int) -> str:
    rng = random.Random(1)
    with sandboxes() as stack:
        seed_products(stack, range(1, articles + 1), rng)
        cursor = loaded_cursor(stack)  # where the initial load left it
        erp, wms = stack.erp_client(), stack.wms_client()
        cycles = []
        for version, share in enumerate(SHARES, start=1):
            changed = rng.sample(range(1, articles + 1), round(articles * share))
            if changed:
                change_products(stack, changed, version)
            stack.reset_calls()
            report = sync_articles(erp, wms, cursor)
            cursor = report.cursor or cursor
            writes = stack.calls("wms")["ProcessArticle"]
            cycles.append((share, len(changed), writes, report.failed))
        erp.close()

    changed_total = sum(changed for _, changed, _, _ in cycles)
    writes_total = sum(writes for _, _, writes, _ in cycles)
    per_cycle = ", ".join(f"{share:.0%}: {writes:,} writes / {changed:,} changed"
                          + (f" ({failed} failed)" if failed else "")
                          for share, changed, writes, failed in cycles)
    idle_writes = cycles[0][2]
    ratio = writes_total / changed_total if changed_total else None
    return line("PF1", f"write efficiency, {articles:,}-article catalogue",
                f"{ratio:.2f} writes per changed record" if ratio is not None else "n/a",
                "1.00 (one write per changed record, counted in the same run)", ratio,
                "1.00, and 0 writes when nothing changed", ratio == 1.0 and idle_writes == 0,
                f"{per_cycle}; a full push would write {articles:,} per cycle")
