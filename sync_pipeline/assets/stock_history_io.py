"""The IO manager of the stock_snapshot asset: each cycle's rows (stock/history.py) appended, never replaced.

Where they go follows the ledger: its PostgreSQL (SYNC_LEDGER_URL, production; or SYNC_STOCK_HISTORY_URL)
gets them in the table sync_ledger.stock_history; otherwise they are CSV files under the instance's home
(DAGSTER_HOME). The URL is read from the environment when the rows are written, so it never appears in
the run's config or logs.
Loading the asset as an input gives the last cycle's rows.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd

from sync_pipeline.stock.history import FILES_FOLDER, FileStockHistory, StockHistoryStore, store_for


class StockHistoryIOManager(dg.ConfigurableIOManager):
    def _store(self, home: str | None) -> StockHistoryStore:
        if home is not None:
            try:
                return store_for(dagster_home=home)
            except ValueError:
                pass
        return store_for()

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        self._store(_home(context)).append(obj)
        context.add_output_metadata({"stock_rows": dg.MetadataValue.int(len(obj))})

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        return self._store(_home(context)).latest()


def _home(context: dg.OutputContext | dg.InputContext) -> str | None:
    step = getattr(context, "step_context", None)
    instance = getattr(step, "instance", None) if step is not None else getattr(context, "instance", None)
    return getattr(instance, "root_directory", None)


def files_store(home: str | Path) -> FileStockHistory:
    return FileStockHistory(Path(home) / FILES_FOLDER)
