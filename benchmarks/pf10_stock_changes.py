"""PF10 WMS requests per stock cycle at 1 % change, fed by the stock change feed, at two catalogue sizes.

Each size: both sandboxes in this process, the whole catalogue in both with equal stock and the feed
settled (its cursor at the end of the seeding, as a cycle begun a minute later leaves it), then 1 % of
the articles' physical stock changes in the warehouse and one delta stock cycle runs (sync_stock_changes,
the cycle SYNC_STOCK_CHANGE_FEED=on gives). Its Ongoing requests are counted from the sandbox's call log,
by operation: GetInventoryByQuery with StockInfoChangedFrom, walked page by page as every read is (the
page of changes, the page that shows where "from" starts, the empty page that ends the walk).
Baseline: the full inventory walk (GetInventoryByQuery pages over the whole catalogue) at the larger size.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timezone

from benchmarks.common import article_number, initial_stock, line, sandboxes, seed_shop
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.stock import CHANGES_READ, sync_stock_changes

CHANGED = 0.01
TARGET = 3


def _cycle(catalogue: int, rng: random.Random, *, full_walk: bool = False) -> tuple[Counter[str], int]:
    """WMS requests (by operation) of one delta cycle at `catalogue` articles, and the ERP writes it made;
    with full_walk, the requests of reading the whole inventory instead."""
    with sandboxes() as stack:
        seed_shop(stack, catalogue, rng)
        settled = _settled_cursor()
        changed = rng.sample(range(1, catalogue + 1), max(1, round(catalogue * CHANGED)))
        for product_id in changed:
            stack.wms.inventory.set_physical(article_number(product_id), initial_stock(product_id) + 1)  # type: ignore[union-attr]
        erp, wms = stack.erp_client(), stack.wms_client()
        stack.reset_calls()
        if full_walk:
            assert sum(1 for _ in wms.inventory()) == catalogue
            return stack.calls("wms"), 0
        report, _ = sync_stock_changes(erp, wms, settled)
        requests = stack.calls("wms")
        assert report.details[CHANGES_READ] == len(changed), report.details
        assert report.updated == len(changed) and not report.failures, report.counts()
        return requests, report.updated


def _settled_cursor() -> Cursor:
    """The feed's cursor after the seeding: every article's stock is older than it (the sandbox's clock is
    this machine's), so only what changes from now on is read."""
    return Cursor(moment=datetime.now(timezone.utc))


def run(large: int, small: int) -> str:
    rng = random.Random(10)
    at_large, written = _cycle(large, rng)
    at_small, _ = _cycle(small, rng)
    walk, _ = _cycle(large, rng, full_walk=True)
    total_large, total_small = sum(at_large.values()), sum(at_small.values())
    met = total_large <= TARGET and total_small <= TARGET
    return line("PF10", f"WMS requests per stock cycle at 1 % change, {large:,} vs {small:,} articles",
                f"{total_large:,} at {large:,} ({_by_operation(at_large)}), "
                f"{total_small:,} at {small:,} ({_by_operation(at_small)})",
                f"full walk {walk['GetInventoryByQuery']} GetInventoryByQuery pages at {large:,}",
                total_large / walk["GetInventoryByQuery"], f"<= {TARGET} at both sizes", met,
                f"{written:,} ERP writes at {large:,}; the feed reads the changed articles only "
                "(StockInfoChangedFrom), so its cost follows change, not the catalogue")


def _by_operation(requests: Counter[str]) -> str:
    return ", ".join(f"{count} {operation}" for operation, count in sorted(requests.items()))
