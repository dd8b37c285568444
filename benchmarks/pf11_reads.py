"""PF11 ERP product reads per cycle with every process on: articles with variants, suppliers, stock.

Both sandboxes in this process hold `catalogue` products, their articles and equal stock; a SQLite
ledger keeps the cursors. A first cycle loads everything (not counted). Before each counted cycle 1 %
of the products change in the ERP (name and price), one supplier is renamed and the warehouse's
stock of 5 articles moves. A cycle runs every process of the registry in order through
processes/runner.py, as sync_all's in-process executor runs its steps. GetProducts requests are
counted from the ERP sandbox's call log: searches (the catalogue, or a delta) and reads by id (the
stock write guard re-reading the balances it is about to write over). Baseline: the same cycle with
each step reading for itself (another run id per step: what steps in separate processes do, and what
every cycle did before the read was shared).
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.common import Stack, article_number, change_products, initial_stock, line, sandboxes, seed_shop
from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Ledger, sqlite_url
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import PROCESSES
from sync_pipeline.processes.selection import Delta
from sync_pipeline.wms import WmsClient

EVERY_PROCESS = ProcessConfig(sync_suppliers=True, variants=VariantRule())
STOCK_MOVES = 5


def run(catalogue: int) -> str:
    rng = random.Random(11)
    with sandboxes() as stack, tempfile.TemporaryDirectory() as home:
        seed_shop(stack, catalogue, rng)
        with Ledger(sqlite_url(Path(home) / "ledger.sqlite")) as ledger:
            erp, wms = stack.erp_client(), stack.wms_client()
            cycle(ledger, erp, wms, "pf11-load", shared=True)
            shared = counted_cycle(stack, ledger, erp, wms, catalogue, 1, shared=True)
            apart = counted_cycle(stack, ledger, erp, wms, catalogue, 2, shared=False)
            erp.close()
    searches = shared["search"]
    return line("PF11", f"ERP product reads per sync_all cycle with every process on ({catalogue:,} products)",
                f"{searches} catalogue read(s)", f"each step reading for itself: {apart['search']}",
                searches / apart["search"], "1", searches == 1,
                f"GetProducts by id (the stock write guard before {STOCK_MOVES} writes): {shared['by id']} "
                f"(each step for itself: {apart['by id']}); 1 % of products changed, 1 supplier, "
                f"{STOCK_MOVES} stock balances moved before each cycle")


def counted_cycle(stack: Stack, ledger: Ledger, erp: ErpClient, wms: WmsClient, catalogue: int, version: int, *,
                  shared: bool) -> Counter[str]:
    """GetProducts requests of one cycle after a round of changes, by kind ("search", "by id")."""
    assert stack.erp is not None and stack.wms is not None
    changed = random.Random(version).sample(range(1, catalogue + 1), max(1, catalogue // 100))
    change_products(stack, changed, version)
    stack.admin("erp", "POST", "companies", [{"Id": 8, "Name": f"Leverandør v{version}"}])
    for product_id in range(1, STOCK_MOVES + 1):
        stack.wms.inventory.set_physical(article_number(product_id), initial_stock(product_id) + version)
    stack.reset_calls()
    cycle(ledger, erp, wms, f"pf11-{version}", shared=shared)
    log = stack.admin("erp", "GET", "calls")["log"]
    return Counter(entry["detail"] for entry in log if entry["operation"] == "GetProducts")


def cycle(ledger: Ledger, erp: ErpClient, wms: WmsClient, run_id: str, *, shared: bool) -> None:
    for process in PROCESSES:
        result = runner.run(process, Delta(), erp=erp, wms=wms, ledger=ledger, config=EVERY_PROCESS,
                            run_id=run_id if shared else f"{run_id}-{process.name}")
        assert not result.report.failures, result.report.summary()
