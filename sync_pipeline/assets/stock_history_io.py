"""The IO manager of the stock assets: each cycle's rows (stock/history.py) appended, never replaced.

Where they go is decided by the settings (stock/history.py database_of): the table stock_history on
SYNC_STOCK_HISTORY_URL's database, else on the ledger's PostgreSQL (production), else CSV files under
the instance's home (DAGSTER_HOME). The URL comes from the settings resource when the run starts, so
it never appears in the run's config or logs. Each cycle kept prunes those older than
SYNC_STOCK_HISTORY_DAYS. Loading the asset as an input gives the last cycle's rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import dagster as dg

from sync_pipeline.settings import Settings
from sync_pipeline.assets.merchant_scope import merchant_key_of
from sync_pipeline.tenants import Merchants

if TYPE_CHECKING:
    import pandas as pd

    from sync_pipeline.stock.history import StockHistoryStore


class StockHistoryIOManager(dg.IOManager):
    def __init__(self, merchants: Merchants, home: str | None, keep_days: int) -> None:
        self.merchants, self.home, self.keep_days = merchants, home, keep_days

    def store(self, context: dg.OutputContext | dg.InputContext) -> StockHistoryStore:
        """The merchant's own store (its partition's, with a tenants file)."""
        key = (merchant_key_of(context.asset_partitions_def, context.partition_key)
               if context.has_partition_key else None)
        return self.merchants.get(key).stock_history(self.home)

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        store = self.store(context)
        store.append(obj)
        kept_from = datetime.now(timezone.utc) - timedelta(days=self.keep_days)
        pruned = store.prune(before=kept_from)
        context.add_output_metadata({
            "stock_rows": dg.MetadataValue.int(len(obj)),
            "stock_history_cycles_pruned": dg.MetadataValue.int(pruned),
            "stock_history": dg.MetadataValue.md(
                f"This cycle's rows are kept with the earlier ones ({self.keep_days} days) in {store.where()}. "
                "One SKU's balances over time: `sync-pipeline stock-history SKU-1002` (docs/operations.md)."),
        })

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        return self.store(context).latest()


@dg.io_manager(required_resource_keys={"settings", "merchants"},
               description="Appends each stock cycle's rows to the merchant's stock history (table or files), "
                           "pruned after SYNC_STOCK_HISTORY_DAYS.")
def stock_history_io_manager(init_context: dg.InitResourceContext) -> StockHistoryIOManager:
    settings: Settings = init_context.resources.settings
    home = init_context.instance.root_directory if init_context.instance is not None else None
    return StockHistoryIOManager(init_context.resources.merchants, home, settings.sync_stock_history_days)
