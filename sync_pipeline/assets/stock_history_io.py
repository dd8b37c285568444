"""The IO manager of the stock_snapshot asset: each cycle's rows (stock/history.py) appended, never replaced.

Where they go follows the ledger: its PostgreSQL (SYNC_LEDGER_URL, production; or SYNC_STOCK_HISTORY_URL)
gets them in the table sync_ledger.stock_history; otherwise they are CSV files under the instance's home
(DAGSTER_HOME). The URL is read from the environment when the rows are written, so it never appears in
the run's config or logs.
Loading the asset as an input gives the last cycle's rows.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd

from sync_pipeline.stock.history import store_for


class StockHistoryIOManager(dg.ConfigurableIOManager):
    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        store_for(dagster_home=_home(context)).append(obj)
        context.add_output_metadata({"stock_rows": dg.MetadataValue.int(len(obj))})

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        return store_for(dagster_home=_home(context)).latest()


def _home(context: dg.OutputContext | dg.InputContext) -> str | None:
    step = getattr(context, "step_context", None)
    instance = getattr(step, "instance", None) if step is not None else getattr(context, "instance", None)
    return getattr(instance, "root_directory", None)
