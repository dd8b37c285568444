"""PF10 WMS requests per stock cycle at 1 % change, fed by Ongoing's change feed, at two catalogue sizes.

Each size: both sandboxes in this process, the whole catalogue in both with equal stock and the
feed settled (as after a full comparison), then 1 % of the articles' physical stock changes in the
warehouse and one delta stock cycle runs (sync_stock_changes). Its Ongoing requests are counted from
the sandbox's call log, by operation: the feed read (GetInventoryChanges), the changed articles' stock
(GetInventoryByQuery by article number) and the marks (SetInventoryChangesToReported, one per article
and transaction: the service takes one at a time). Baseline: the full inventory walk the cycle made
before (GetInventoryByQuery pages over the whole catalogue), measured at the larger size.
"""

from __future__ import annotations

import random
from collections import Counter

from benchmarks.common import Stack, article_number, initial_stock, line, sandboxes, seed_shop
from sync_pipeline.sync.stock import sync_stock_changes

CHANGED = 0.01
TARGET = 3


def _cycle(catalogue: int, rng: random.Random, *, full_walk: bool = False) -> tuple[Counter[str], int]:
    """WMS requests (by operation) of one delta cycle at `catalogue` articles, and the ERP writes it made;
    with full_walk, the requests of reading the whole inventory instead."""
    with sandboxes() as stack:
        seed_shop(stack, catalogue, rng)
        _settle_feed(stack)
        changed = rng.sample(range(1, catalogue + 1), max(1, round(catalogue * CHANGED)))
        for product_id in changed:
            stack.wms.inventory.set_physical(article_number(product_id), initial_stock(product_id) + 1)  # type: ignore[union-attr]
        erp, wms = stack.erp_client(), stack.wms_client()
        stack.reset_calls()
        if full_walk:
            assert sum(1 for _ in wms.inventory()) == catalogue
            return stack.calls("wms"), 0
        report, _ = sync_stock_changes(erp, wms)
        requests = stack.calls("wms")
        assert report.updated == len(changed) and not report.failures, report.counts()
        assert wms.inventory_changes() == [], "every change marked reported"
        return requests, report.updated


def _settle_feed(stack: Stack) -> None:
    stack.wms.inventory.changes.report_all()  # type: ignore[union-attr]


def run(large: int, small: int) -> str:
    rng = random.Random(10)
    at_large, written = _cycle(large, rng)
    at_small, _ = _cycle(small, rng)
    walk, _ = _cycle(large, rng, full_walk=True)
    total_large, total_small = sum(at_large.values()), sum(at_small.values())
    reads_large = at_large["GetInventoryChanges"] + at_large["GetInventoryByQuery"]
    reads_small = at_small["GetInventoryChanges"] + at_small["GetInventoryByQuery"]
    met = total_large <= TARGET and total_small <= TARGET
    return line("PF10", f"WMS requests per stock cycle at 1 % change, {large:,} vs {small:,} articles",
                f"{total_large:,} at {large:,} ({reads_large} reads + {at_large['SetInventoryChangesToReported']:,} "
                f"marks), {total_small:,} at {small:,} ({reads_small} reads + "
                f"{at_small['SetInventoryChangesToReported']:,} marks)",
                f"full walk {walk['GetInventoryByQuery']} GetInventoryByQuery pages at {large:,}",
                total_large / walk["GetInventoryByQuery"], f"<= {TARGET} at both sizes", met,
                f"{written:,} ERP writes at {large:,}; reads are {reads_large} and {reads_small} whatever the size; "
                "marks follow change: SetInventoryChangesToReported takes one article and transaction per call")
