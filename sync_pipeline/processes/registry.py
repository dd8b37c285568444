"""Every sync process, in the order one cycle runs them (articles before the orders that name them).

Adding a process: one module declaring its SyncProcess, and one line here.
"""

from __future__ import annotations

from sync_pipeline.processes.articles import ARTICLES
from sync_pipeline.processes.cancellations import CANCELLATIONS
from sync_pipeline.processes.model import SyncProcess
from sync_pipeline.processes.orders import ORDERS
from sync_pipeline.processes.returns import RETURNS
from sync_pipeline.processes.shipped import SHIPPED
from sync_pipeline.processes.stock import STOCK
from sync_pipeline.processes.suppliers import SUPPLIERS

PROCESSES: tuple[SyncProcess, ...] = (ARTICLES, SUPPLIERS, ORDERS, CANCELLATIONS, SHIPPED, RETURNS, STOCK)


def process_named(name: str) -> SyncProcess:
    for process in PROCESSES:
        if process.name == name:
            return process
    raise KeyError(f"no process {name!r}; one of: {', '.join(p.name for p in PROCESSES)}")


def process_of_asset(asset_key: str) -> SyncProcess | None:
    """The process whose asset (or resync asset) this is; None for the other assets."""
    for process in PROCESSES:
        if asset_key == process.asset.key or (process.resync is not None and asset_key == process.resync.key):
            return process
    return None
