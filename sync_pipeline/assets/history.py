"""Recent materializations read back from the Dagster instance: each run's figures, for history tables."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import dagster as dg

from sync_pipeline.assets.merchant_scope import merchant_key_of
from sync_pipeline.reconcile.markdown import stock_history_markdown

if TYPE_CHECKING:
    from sync_pipeline.stock.snapshot import StockSnapshot

HISTORY_RUNS = 30  # runs shown in a history table, this one included
LARGEST_KEPT = 5  # largest stock differences kept in each stock run's metadata


def recent_metadata(instance: dg.DagsterInstance, asset_key: dg.AssetKey, limit: int,
                    partition: str | None = None) -> list[tuple[datetime, dict[str, Any]]]:
    """(time, metadata values) of the asset's latest `limit` materializations, newest first; of one
    `partition` only when given (a merchant's: never another merchant's figures)."""
    if limit <= 0:
        return []
    found = []
    records_filter = dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[partition]) if partition else asset_key
    for record in instance.fetch_materializations(records_filter, limit=limit).records:
        materialization = record.asset_materialization
        if materialization is not None:
            values = {name: value.value for name, value in materialization.metadata.items()}
            found.append((datetime.fromtimestamp(record.timestamp, tz=timezone.utc), values))
    return found


def stock_drift_metadata(context: dg.AssetExecutionContext, snapshot: StockSnapshot) -> dict[str, object]:
    """This stock run's largest differences, and how many articles differed over the recent runs."""
    largest = [{"article": row["article_number"], "erp": row["erp_quantity"], "wms": row["wms_quantity"],
                "difference": _signed(row["delta"])} for row in snapshot.rows["changes"][:LARGEST_KEPT]]
    current = (snapshot.taken_at, {"differences": snapshot.counts.get("changed", 0), "largest_differences": largest})
    history = [current, *recent_metadata(context.instance, context.asset_key, HISTORY_RUNS - 1, merchant_partition(context))]
    return {
        "largest_differences": dg.MetadataValue.json(largest),
        "differences_over_time": dg.MetadataValue.md(stock_history_markdown(history)),
    }


def merchant_partition(context: dg.AssetExecutionContext) -> str | None:
    """The run's partition when it is a merchant's (its history is that merchant's alone), else None."""
    if context.has_partition_key and merchant_key_of(context.assets_def.partitions_def, context.partition_key):
        return str(context.partition_key)
    return None


def _signed(delta: str | None) -> str | None:
    return delta if delta is None or delta.startswith("-") else f"+{delta}"
