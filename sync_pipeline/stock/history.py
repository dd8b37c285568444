"""Stock cycles kept as data: both frames and their differences, one row per article, appended per cycle.

A cycle's rows (`cycle_rows`) are the outer join of the WMS and ERP frames on the article number, with
the cycle's time and run, each side's figure (exact decimal strings) and the article's `status` in the
comparison: changed (the differences), unchanged, only_in_wms, only_in_erp, duplicate, invalid. An
article repeated on a side appears once per pairing of its rows (status duplicate).

Two stores, both append-only (a cycle never replaces an earlier one):
- files (default): one CSV per cycle under $DAGSTER_HOME/stock_history/, named by the cycle's UTC time;
- a PostgreSQL table `stock_history` in the schema sync_ledger, when the ledger is on PostgreSQL
  (SYNC_LEDGER_URL), as in production, or on the server SYNC_STOCK_HISTORY_URL names.
`history_of(article)` gives an article's balances over time from whichever is configured.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

import pandas as pd
import sqlalchemy as sa

from sync_pipeline.stock.diff import StockComparison
from sync_pipeline.stock.quantity import from_units, to_units

COLUMNS = ("taken_at", "run_id", "basis", "article_number", "product_id", "product_code",
           "wms_quantity", "erp_quantity", "status", "error")
HISTORY_COLUMNS = ("taken_at", "run_id", "product_id", "wms_quantity", "erp_quantity", "status")
FILES_FOLDER = "stock_history"
TABLE = "stock_history"
HISTORY_URL_VARIABLE = "SYNC_STOCK_HISTORY_URL"  # a PostgreSQL apart from the ledger's (optional)


@dataclass(frozen=True)
class StockFrames:
    """What one stock cycle compared: both systems' frames (frames.py) and the comparison (diff.py)."""

    wms: pd.DataFrame
    erp: pd.DataFrame
    comparison: StockComparison


def cycle_rows(frames: StockFrames, *, taken_at: datetime, run_id: str, basis: str | None) -> pd.DataFrame:
    """The cycle as rows of COLUMNS (see the module docstring); quantities as exact decimal strings."""
    wms = frames.wms[["article_number", "product_code", "wms_quantity", "error"]].rename(
        columns={"error": "wms_error"})
    erp = frames.erp[["article_number", "product_id", "erp_quantity", "error"]].rename(
        columns={"error": "erp_error"})
    rows = wms.merge(erp, on="article_number", how="outer", sort=True)
    rows["status"] = _status(rows, frames.comparison)
    rows["error"] = rows["wms_error"].fillna(rows["erp_error"])
    for column in ("wms_quantity", "erp_quantity"):
        rows[column] = [None if pd.isna(units) else str(from_units(int(units))) for units in rows[column]]
    rows["product_id"] = rows["product_id"].astype("Int64")
    rows["taken_at"] = pd.Timestamp(taken_at.astimezone(timezone.utc))
    rows["run_id"] = run_id
    rows["basis"] = basis
    return rows[list(COLUMNS)].reset_index(drop=True)


def _status(rows: pd.DataFrame, comparison: StockComparison) -> list[str]:
    named = [("invalid", comparison.invalid), ("duplicate", comparison.duplicates),
             ("changed", comparison.changes), ("only_in_wms", comparison.only_in_wms),
             ("only_in_erp", comparison.only_in_erp)]
    sets = [(status, set(table["article_number"])) for status, table in named]
    return [next((status for status, keys in sets if article in keys), "unchanged")
            for article in rows["article_number"]]


class StockHistoryStore(Protocol):
    def append(self, rows: pd.DataFrame) -> None: ...

    def latest(self) -> pd.DataFrame: ...

    def history_of(self, article_number: str) -> pd.DataFrame: ...


class FileStockHistory:
    """One CSV per cycle in `directory`, named by its UTC time (so names sort as the cycles ran)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def append(self, rows: pd.DataFrame) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        taken_at = pd.Timestamp(rows["taken_at"].iloc[0]) if len(rows) else pd.Timestamp.now(tz="UTC")
        run_id = str(rows["run_id"].iloc[0])[:8] if len(rows) else "empty"
        name = f"{taken_at.strftime('%Y%m%dT%H%M%S.%fZ')}-{run_id}.csv"
        rows.to_csv(self.directory / name, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ")

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob("*.csv")) if self.directory.is_dir() else []

    def latest(self) -> pd.DataFrame:
        files = self._files()
        return _read_csv(files[-1]) if files else _empty()

    def history_of(self, article_number: str) -> pd.DataFrame:
        found = [rows[rows["article_number"] == article_number] for rows in map(_read_csv, self._files())]
        found = [rows for rows in found if len(rows)]
        return _history(pd.concat(found, ignore_index=True) if found else _empty())


class TableStockHistory:
    """Rows appended to the table `stock_history` in the ledger's schema (created when missing)."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        from sync_pipeline.ledger.engine import DEFAULT_SCHEMA, build_engine

        self.schema = schema or DEFAULT_SCHEMA
        self.engine = build_engine(url, self.schema)
        self.table = _table(sa.MetaData())
        self._ready = False

    def _ensure(self) -> None:
        if self._ready:
            return
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.schema.CreateSchema(self.schema, if_not_exists=True))
            self.table.metadata.create_all(connection, checkfirst=True)
        self._ready = True

    def append(self, rows: pd.DataFrame) -> None:
        self._ensure()
        records = [{column: (None if _missing(value) else value) for column, value in record.items()}
                   for record in rows[list(COLUMNS)].to_dict("records")]
        for record in records:
            record["taken_at"] = pd.Timestamp(record["taken_at"]).to_pydatetime()
            if record["product_id"] is not None:
                record["product_id"] = int(record["product_id"])
        if records:
            with self.engine.begin() as connection:
                connection.execute(self.table.insert(), records)

    def _read(self, where: sa.ColumnElement[bool] | None) -> pd.DataFrame:
        self._ensure()
        query = sa.select(*(self.table.c[name] for name in COLUMNS))
        if where is not None:
            query = query.where(where)
        with self.engine.connect() as connection:
            records = [dict(row._mapping) for row in connection.execute(query.order_by(self.table.c.taken_at,
                                                                                         self.table.c.id))]
        rows = pd.DataFrame(records, columns=list(COLUMNS))
        for column in ("wms_quantity", "erp_quantity"):
            rows[column] = [None if value is None else _decimal_text(value) for value in rows[column]]
        return _typed(rows)

    def latest(self) -> pd.DataFrame:
        last = sa.select(sa.func.max(self.table.c.taken_at)).scalar_subquery()
        return self._read(self.table.c.taken_at == last)

    def history_of(self, article_number: str) -> pd.DataFrame:
        return _history(self._read(self.table.c.article_number == article_number))


def _table(metadata: sa.MetaData) -> sa.Table:
    table = sa.Table(
        TABLE, metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("basis", sa.Text),
        sa.Column("article_number", sa.Text, nullable=False),
        sa.Column("product_id", sa.BigInteger),
        sa.Column("product_code", sa.Text),
        sa.Column("wms_quantity", sa.Numeric(38, 6)),
        sa.Column("erp_quantity", sa.Numeric(38, 6)),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
    )
    sa.Index("ix_stock_history_article_time", table.c.article_number, table.c.taken_at)
    return table


def store_for(ledger_url: str | None = None, dagster_home: str | Path | None = None) -> StockHistoryStore:
    """The configured store: the PostgreSQL of SYNC_STOCK_HISTORY_URL, else of the ledger (SYNC_LEDGER_URL),
    else the files under DAGSTER_HOME."""
    url = (ledger_url or os.environ.get(HISTORY_URL_VARIABLE) or os.environ.get("SYNC_LEDGER_URL") or "").strip()
    if url.startswith("postgresql"):
        return _table_store(url)
    home = dagster_home or os.environ.get("DAGSTER_HOME") or ""
    if not str(home).strip():
        raise ValueError("the stock history has no home: set DAGSTER_HOME (files) or SYNC_LEDGER_URL (PostgreSQL)")
    return FileStockHistory(Path(home) / FILES_FOLDER)


@functools.lru_cache(maxsize=8)
def _table_store(url: str) -> TableStockHistory:
    # One engine (and one pool) per database for the process, not one per stock cycle or lookup.
    return TableStockHistory(url)


def history_of(article_number: str, ledger_url: str | None = None,
               dagster_home: str | Path | None = None) -> pd.DataFrame:
    """An article's (SKU's) balances over time, oldest first: HISTORY_COLUMNS, one row per cycle."""
    return store_for(ledger_url, dagster_home).history_of(article_number)


def _history(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values("taken_at", kind="stable")[list(HISTORY_COLUMNS)].reset_index(drop=True)


def _read_csv(path: Path) -> pd.DataFrame:
    rows = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    rows = rows.astype(object).where(rows.notna(), None)
    return _typed(rows)


def _typed(rows: pd.DataFrame) -> pd.DataFrame:
    rows["taken_at"] = pd.to_datetime(rows["taken_at"], utc=True)
    rows["product_id"] = pd.array([None if _missing(v) else int(v) for v in rows["product_id"]], dtype="Int64")
    return rows


def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame({column: pd.Series([], dtype=object) for column in COLUMNS}))


def _decimal_text(value: object) -> str:
    """A NUMERIC read back (Decimal('12.500000')) as the files write it ("12.5")."""
    return str(from_units(to_units(value)))


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def history_markdown(article_number: str, ledger_url: str | None = None,
                     dagster_home: str | Path | None = None) -> str:
    """`sync-pipeline stock-history SKU`: the SKU's balances over time as a Markdown table."""
    from sync_pipeline.markdown_table import table

    rows = history_of(article_number, ledger_url, dagster_home)
    body = [[_iso(row.taken_at), row.wms_quantity, row.erp_quantity, row.status,
             "" if pd.isna(row.product_id) else int(row.product_id), row.run_id]
            for row in rows.itertuples(index=False)]
    return table(["Taken at (UTC)", "WMS", "ERP", "Status", "Product id", "Run"], body, blank="(none)") + "\n"


def _iso(moment: object) -> str:
    return pd.Timestamp(moment).tz_convert("UTC").isoformat(timespec="seconds").replace("+00:00", "Z")
