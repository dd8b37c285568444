"""What an operator reads in the UI: the drift report, and drift over recent runs (pure)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping, Sequence

from sync_pipeline.reconcile.drift import CATEGORIES, Drift
from sync_pipeline.markdown_table import moment, table

MAX_ROWS = 50  # per table; the counts are always complete
MAX_LARGEST = 5  # largest stock differences named per run in the stock history

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "articles_only_in_erp": [("article", "Article"), ("product_id", "Product id"), ("name", "Name"),
                             ("changed", "ERP changed")],
    "articles_only_in_wms": [("article", "Article"), ("product_code", "Product code"), ("name", "Name")],
    "orders_only_in_erp": [("order", "Order"), ("erp_status", "ERP status"), ("changed", "ERP changed"),
                           ("last_failure", "Last failure (ledger)")],
    "orders_only_in_wms": [("order", "Order number"), ("wms_status", "WMS status"), ("wms_order_id", "WMS order id")],
    "shipped_not_reported": [("order", "Order"), ("wms_status", "WMS status"), ("shipped", "Shipped at"),
                             ("erp_status", "ERP status")],
    "erp_shipped_not_in_wms": [("order", "Order"), ("erp_status", "ERP status"), ("wms_status", "WMS status"),
                               ("erp_changed", "ERP changed")],
    "stock_differences": [("article", "Article"), ("product_id", "Product id"), ("erp", "ERP"), ("wms", "WMS"),
                          ("difference", "Difference (WMS − ERP)"), ("differs_since", "Differs since (stock cycles)"),
                          ("last_cycle", "Last stock cycle")],
}
RETURN_COLUMNS = [("order", "Order"), ("erp_status", "ERP status"), ("return_order", "Return order"),
                  ("return_status", "Return status"), ("returned_at", "Goods in (UTC)"), ("article", "Article"),
                  ("row", "Row"), ("picked", "Picked"), ("to_be_returned", "To be returned"),
                  ("returned", "Returned"), ("cause", "Cause")]
SHORT_NAMES = {
    "articles_only_in_erp": "Articles only ERP",
    "articles_only_in_wms": "Articles only WMS",
    "orders_only_in_erp": "Orders only ERP",
    "orders_only_in_wms": "Orders only WMS",
    "shipped_not_reported": "Shipped, not reported",
    "erp_shipped_not_in_wms": "Sent in ERP, not shipped",
    "stock_differences": "Stock differences",
}


def drift_markdown(drift: Drift, *, threshold: int, grace_minutes: int, at: datetime) -> str:
    verdict = "within" if drift.total <= threshold else "**over**"
    lines = [f"**Drift** at {moment(at)}: {drift.total} difference(s), {verdict} the threshold of {threshold}. "
             f"In transit (changed in the last {grace_minutes} min, not counted): {drift.total_in_transit}.", "",
             table(["What", "Drifting", "In transit"],
                   [[CATEGORIES[name], count, drift.in_transit[name]] for name, count in drift.counts().items()])]
    for name in drift.categories:
        rows = drift.rows[name]
        if rows:
            lines += ["", f"**{CATEGORIES[name]}**: {len(rows)}", "", _rows_table(COLUMNS[name], rows)]
    if drift.held:
        lines += ["", f"**Stock differences held for orders between the systems** (not counted): {len(drift.held)}",
                  "", _rows_table(COLUMNS["stock_differences"], drift.held)]
    if drift.customs_held:
        lines += ["", f"**Orders held for customs** (not counted: released by themselves once the articles' customs "
                  f"data is there): {len(drift.customs_held)}", "", _rows_table(COLUMNS["orders_only_in_erp"],
                                                                               drift.customs_held)]
    if drift.returns:
        orders = len({row["order"] for row in drift.returns})
        lines += ["", f"**Returns in the warehouse** (not counted): {len(drift.returns)} row(s) of {orders} order(s); "
                  "an order at WMS status 800 (Returned) is a return, not a shipment",
                  "", _rows_table(RETURN_COLUMNS, drift.returns)]
    return "\n".join(lines) + "\n"


def drift_history_markdown(history: Sequence[tuple[datetime, Mapping[str, Any]]], categories: Sequence[str]) -> str:
    """Recent runs' counts, newest first: `history` is (time, metadata) per run."""
    if not history:
        return "No runs yet."
    headers = ["Run at", "Total", *[SHORT_NAMES[name] for name in categories], "In transit"]
    rows = [[moment(at), values.get("drift_total"), *[values.get(name) for name in categories],
             values.get("in_transit")] for at, values in history]
    return table(headers, rows)


def stock_history_markdown(history: Sequence[tuple[datetime, Mapping[str, Any]]]) -> str:
    """Articles whose stock differed per stock run, newest first, with the largest differences of each."""
    if not history:
        return "No stock comparison yet."
    rows = []
    for at, values in history:
        largest = values.get("largest_differences") or []
        named = ", ".join(f"{item['article']} {item['difference'] or '(no ERP stock)'}"
                          for item in largest[:MAX_LARGEST])
        rows.append([moment(at), values.get("differences"), named or None])
    return table(["Compared at", "Articles differing", "Largest differences (WMS − ERP)"], rows)


def _rows_table(columns: list[tuple[str, str]], rows: list[dict[str, Any]]) -> str:
    return table([header for _, header in columns], [[row.get(key) for key, _ in columns] for row in rows],
                 limit=MAX_ROWS)
