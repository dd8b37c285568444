"""What an operator sees of one stock cycle: counts and the top of each list, as JSON or Markdown.

Only stock data goes in (article numbers, product ids, quantities): no addresses, credentials or
session ids. Lists are capped at `limit` rows for display; `counts` always has the full totals.
Quantities are strings ("12.5"), so JSON readers that use floats cannot bend them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd

from sync_pipeline.markdown_table import table
from sync_pipeline.stock.diff import StockComparison
from sync_pipeline.stock.history import StockFrames
from sync_pipeline.stock.quantity import from_units
from sync_pipeline.utc import utc_iso

DEFAULT_LIMIT = 50

_SECTIONS = {
    # name: (title, [(column, header)])
    "changes": (
        "Changes to write (largest difference first)",
        [
            ("article_number", "Article"),
            ("product_id", "Product id"),
            ("erp_quantity", "ERP"),
            ("wms_quantity", "WMS"),
            ("delta", "Delta"),
            ("erp_changed", "ERP changed"),
        ],
    ),
    "only_in_wms": (
        "Only in the WMS (not in the ERP; not written)",
        [("article_number", "Article"), ("product_code", "Product code"), ("wms_quantity", "WMS")],
    ),
    "only_in_erp": (
        "Only in the ERP (no warehouse line; not written)",
        [("article_number", "Article"), ("product_id", "Product id"), ("erp_quantity", "ERP")],
    ),
    "duplicates": (
        "Duplicate article numbers (not written)",
        [("article_number", "Article"), ("wms_count", "WMS rows"), ("erp_count", "ERP rows")],
    ),
    "invalid": (
        "Unreadable records (not written)",
        [("article_number", "Article"), ("side", "Side"), ("error", "Error")],
    ),
    "renamed": (
        "Probably renamed in the ERP (WMS product code = ERP product id)",
        [
            ("product_id", "Product id"),
            ("erp_article_number", "ERP article"),
            ("wms_article_number", "WMS article"),
        ],
    ),
}

_QUANTITY_COLUMNS = {"erp_quantity", "wms_quantity", "delta"}

_COUNT_HEADERS = {
    "compared": "Compared",
    "unchanged": "Unchanged",
    "changed": "Changed",
    "only_in_wms": "Only in WMS",
    "only_in_erp": "Only in ERP",
    "duplicates": "Duplicates",
    "invalid": "Invalid",
    "renamed": "Renamed",
}
_SECTION_COUNTS = {"changes": "changed"}


@dataclass(frozen=True)
class StockSnapshot:
    taken_at: datetime
    basis: str | None
    counts: dict[str, int]
    limit: int
    rows: dict[str, list[dict[str, Any]]]  # section name -> at most `limit` JSON-able rows
    # The full frames compared, kept as the cycle's data (stock/history.py); not part of what is shown.
    frames: StockFrames | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_comparison(
        cls,
        comparison: StockComparison,
        *,
        taken_at: datetime | None = None,
        basis: str | None = None,
        limit: int = DEFAULT_LIMIT,
        frames: StockFrames | None = None,
    ) -> StockSnapshot:
        tables = {
            "changes": _largest_first(comparison.changes),
            "only_in_wms": comparison.only_in_wms,
            "only_in_erp": comparison.only_in_erp,
            "duplicates": comparison.duplicates,
            "invalid": comparison.invalid,
            "renamed": comparison.renamed,
        }
        rows = {
            name: _json_rows(table.head(limit), [column for column, _ in _SECTIONS[name][1]])
            for name, table in tables.items()
        }
        return cls(
            taken_at=(taken_at or datetime.now(timezone.utc)).astimezone(timezone.utc),
            basis=basis if basis is not None else comparison.basis,
            counts=dict(comparison.counts),
            limit=limit,
            rows=rows,
            frames=frames,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "taken_at": utc_iso(self.taken_at),
            "basis": self.basis,
            "counts": dict(self.counts),
            "limit": self.limit,
            **{name: [dict(row) for row in rows] for name, rows in self.rows.items()},
        }

    def to_markdown(self) -> str:
        lines = [
            f"**Stock comparison** at {utc_iso(self.taken_at)}, WMS basis: {self.basis or 'unknown'}",
            "",
            table(
                [_COUNT_HEADERS[name] for name in _COUNT_HEADERS],
                [[self.counts[name] for name in _COUNT_HEADERS]],
                blank="(empty)",
            ),
        ]
        for name, (title, columns) in _SECTIONS.items():
            rows = self.rows[name]
            if not rows:
                continue
            total = self.counts[_SECTION_COUNTS.get(name, name)]
            shown = f"{len(rows)} of {total}" if total > len(rows) else f"{total}"
            lines += [
                "",
                f"**{title}**: {shown}",
                "",
                table(
                    [header for _, header in columns],
                    [[row[column] for column, _ in columns] for row in rows],
                    blank="(empty)",
                ),
            ]
        return "\n".join(lines) + "\n"


def _largest_first(changes: pd.DataFrame) -> pd.DataFrame:
    """Largest |delta| first; a missing ERP stock counts as |WMS quantity|; ties by article."""
    delta = changes["delta"].to_numpy(dtype=np.int64, na_value=0)
    wms = changes["wms_quantity"].to_numpy(dtype=np.int64, na_value=0)
    size = np.where(changes["delta"].isna().to_numpy(), np.abs(wms), np.abs(delta))
    order = np.argsort(-size, kind="stable")  # changes are already in article order
    return changes.take(order)


def _json_rows(table: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    rows = []
    for record in table[columns].to_dict("records"):
        rows.append({column: _json_value(column, value) for column, value in record.items()})
    return rows


def _json_value(column: str, value: Any) -> Any:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column in _QUANTITY_COLUMNS:
        return str(from_units(int(value)))
    if isinstance(value, (pd.Timestamp, datetime)):
        return utc_iso(value)
    if isinstance(value, np.integer):
        return int(value)
    return value

