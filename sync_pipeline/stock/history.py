"""Stock cycles kept as data: both frames and their differences, one row per article, appended per cycle.

A cycle's rows (`cycle_rows`) are the outer join of the WMS and ERP frames on the article number, with
the cycle's time and run, each side's figure (exact decimal strings) and the article's `status` in the
comparison: changed (the differences), unchanged, only_in_wms, only_in_erp, duplicate, invalid. An
article repeated on a side appears once per pairing of its rows (status duplicate).

Two stores, both append-only (a cycle never replaces an earlier one) and pruned by age
(SYNC_STOCK_HISTORY_DAYS, as each cycle is kept):
- files (default): one CSV per cycle under $DAGSTER_HOME/stock_history/, named by the cycle's UTC time;
- the ledger's table `stock_history` (Alembic revision 0005; schema sync_ledger on PostgreSQL) on the
  database SYNC_STOCK_HISTORY_URL names, else on the ledger's when that is PostgreSQL (production).
`history_of(article)` gives an article's balances over time; `standings(articles)` where each stood in
its last cycle and since when it has differed (read by drift_report).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pandas as pd
import sqlalchemy as sa

from sync_pipeline.utc import utc_iso
from sync_pipeline.ledger.engine import DEFAULT_SCHEMA, build_engine
from sync_pipeline.ledger.migrations import migrate
from sync_pipeline.ledger.schema import stock_history
from sync_pipeline.stock.diff import StockComparison
from sync_pipeline.stock.quantity import from_units, to_units

if TYPE_CHECKING:
    from sync_pipeline.settings import Settings

COLUMNS = ("taken_at", "run_id", "basis", "article_number", "product_id", "product_code",
           "wms_quantity", "erp_quantity", "status", "error")
HISTORY_COLUMNS = ("taken_at", "run_id", "product_id", "wms_quantity", "erp_quantity", "status")
FILES_FOLDER = "stock_history"
FILE_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"  # a cycle file's name starts with its UTC time, so names sort by time
DIFFERING = frozenset({"changed"})  # the statuses of an article whose balances differ between the systems
ARTICLES_PER_QUERY = 500


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


@dataclass(frozen=True)
class Standing:
    """Where an article stood in the kept cycles: its last cycle, and since when it has differed."""

    article_number: str
    last_taken_at: datetime  # the last cycle the article was in
    last_wms: str | None
    last_erp: str | None
    last_status: str
    # The first of the unbroken run of cycles, up to its last one, in which the article differed
    # (status changed); None when it did not differ in its last cycle.
    differs_since: datetime | None


class StockHistoryStore(Protocol):
    def append(self, rows: pd.DataFrame) -> None: ...

    def latest(self) -> pd.DataFrame: ...

    def history_of(self, article_number: str) -> pd.DataFrame: ...

    def standings(self, article_numbers: Iterable[str]) -> dict[str, Standing]: ...

    def prune(self, before: datetime) -> int: ...

    def where(self) -> str:
        """Where the cycles are kept, for operators (never with a password)."""
        ...


class _Streaks:
    """Standings built from each article's rows fed newest first; an article is settled once a row
    shows it not differing (older rows cannot change its standing)."""

    def __init__(self, article_numbers: Iterable[str]) -> None:
        self.open = set(article_numbers)
        self.found: dict[str, Standing] = {}

    def add(self, rows: pd.DataFrame) -> None:
        """Rows of one or more cycles, newest first."""
        for row in rows.itertuples(index=False):
            article = str(row.article_number)
            if article not in self.open:
                continue
            taken_at = pd.Timestamp(row.taken_at).to_pydatetime()
            differs = row.status in DIFFERING
            last = self.found.get(article)
            if last is None:
                self.found[article] = Standing(article, taken_at, _text(row.wms_quantity), _text(row.erp_quantity),
                                               str(row.status), taken_at if differs else None)
            elif differs:
                self.found[article] = replace(last, differs_since=taken_at)
            if not differs:
                self.open.discard(article)


class FileStockHistory:
    """One CSV per cycle in `directory`, named by its UTC time (so names sort as the cycles ran)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def append(self, rows: pd.DataFrame) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        taken_at = pd.Timestamp(rows["taken_at"].iloc[0]) if len(rows) else pd.Timestamp.now(tz="UTC")
        run_id = str(rows["run_id"].iloc[0])[:8] if len(rows) else "empty"
        name = f"{taken_at.strftime(FILE_TIME_FORMAT)}-{run_id}.csv"
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

    def standings(self, article_numbers: Iterable[str]) -> dict[str, Standing]:
        streaks = _Streaks(article_numbers)
        for path in reversed(self._files()):  # newest first, read only as far back as a streak goes
            if not streaks.open:
                break
            rows = _read_csv(path)
            streaks.add(rows[rows["article_number"].isin(streaks.open)])
        return streaks.found

    def where(self) -> str:
        return f"CSV files in {self.directory}"

    def prune(self, before: datetime) -> int:
        """Remove the cycles taken before `before`; how many."""
        cutoff = pd.Timestamp(before).tz_convert("UTC").strftime(FILE_TIME_FORMAT)
        old = [path for path in self._files() if path.name[:len(cutoff)] < cutoff]
        for path in old:
            path.unlink(missing_ok=True)
        return len(old)


class TableStockHistory:
    """Rows appended to the ledger's table stock_history (revision 0005), on the ledger's database or
    another one (migrated as a ledger is, so the table is there before the first cycle)."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.engine = build_engine(url, schema or DEFAULT_SCHEMA)
        self.table = stock_history
        self._migrated = False

    def _ready(self) -> sa.Engine:
        if not self._migrated:
            migrate(self.engine)
            self._migrated = True
        return self.engine

    def append(self, rows: pd.DataFrame) -> None:
        records = [{column: (None if _missing(value) else value) for column, value in record.items()}
                   for record in rows[list(COLUMNS)].to_dict("records")]
        for record in records:
            record["taken_at"] = pd.Timestamp(record["taken_at"]).to_pydatetime()
            if record["product_id"] is not None:
                record["product_id"] = int(record["product_id"])
        if records:
            with self._ready().begin() as connection:
                connection.execute(self.table.insert(), records)

    def _read(self, where: sa.ColumnElement[bool], *, newest_first: bool = False) -> pd.DataFrame:
        query = sa.select(*(self.table.c[name] for name in COLUMNS)).where(where)
        order = (self.table.c.taken_at.desc(), self.table.c.id.desc()) if newest_first else (
            self.table.c.taken_at, self.table.c.id)
        with self._ready().connect() as connection:
            records = [dict(row._mapping) for row in connection.execute(query.order_by(*order))]
        rows = pd.DataFrame(records, columns=list(COLUMNS))
        for column in ("wms_quantity", "erp_quantity"):
            rows[column] = [None if value is None else _decimal_text(value) for value in rows[column]]
        return _typed(rows)

    def latest(self) -> pd.DataFrame:
        last = sa.select(sa.func.max(self.table.c.taken_at)).scalar_subquery()
        return self._read(self.table.c.taken_at == last)

    def history_of(self, article_number: str) -> pd.DataFrame:
        return _history(self._read(self.table.c.article_number == article_number))

    def standings(self, article_numbers: Iterable[str]) -> dict[str, Standing]:
        streaks = _Streaks(article_numbers)
        wanted = sorted(streaks.open)
        for start in range(0, len(wanted), ARTICLES_PER_QUERY):
            streaks.add(self._read(self.table.c.article_number.in_(wanted[start:start + ARTICLES_PER_QUERY]),
                                   newest_first=True))
        return streaks.found

    def where(self) -> str:
        schema = (self.engine.get_execution_options().get("schema_translate_map") or {}).get(None)
        table = f"{schema}.{self.table.name}" if schema else self.table.name
        return f"the table {table} on {self.engine.url.render_as_string(hide_password=True)}"

    def prune(self, before: datetime) -> int:
        """Delete the cycles taken before `before`; how many."""
        old = self.table.c.taken_at < before
        cycles = sa.select(sa.func.count()).select_from(
            sa.select(self.table.c.taken_at, self.table.c.run_id).where(old).distinct().subquery())
        with self._ready().begin() as connection:
            pruned = int(connection.scalar(cycles) or 0)
            if pruned:
                connection.execute(self.table.delete().where(old))
        return pruned


def database_of(settings: Settings) -> str | None:
    """The database the stock cycles are kept in, in clear (never log it): SYNC_STOCK_HISTORY_URL, else the
    ledger's when it is on PostgreSQL (production); None: CSV files under DAGSTER_HOME."""
    for secret in (settings.sync_stock_history_url, settings.sync_ledger_url):
        url = secret.get_secret_value() if secret is not None else ""
        if url and (secret is settings.sync_stock_history_url or url.startswith("postgresql")):
            return url
    return None


def store_for(database_url: str | None = None, dagster_home: str | Path | None = None, schema: str | None = None,
              folder: str = FILES_FOLDER) -> StockHistoryStore:
    """The store: the table on `database_url` (database_of(settings)) in `schema` (default: the ledger's),
    else the files in `folder` under `dagster_home` (default: DAGSTER_HOME)."""
    if database_url:
        return _table_store(database_url, schema)
    home = dagster_home or os.environ.get("DAGSTER_HOME") or ""
    if not str(home).strip():
        raise ValueError("the stock history has no home: set DAGSTER_HOME (files) or SYNC_STOCK_HISTORY_URL")
    return FileStockHistory(Path(home) / folder)


@functools.lru_cache(maxsize=64)
def _table_store(url: str, schema: str | None = None) -> TableStockHistory:
    # One engine (and one pool) per database and schema for the process, not one per stock cycle or lookup.
    return TableStockHistory(url, schema)


def history_of(article_number: str, database_url: str | None = None,
               dagster_home: str | Path | None = None) -> pd.DataFrame:
    """An article's (SKU's) balances over time, oldest first: HISTORY_COLUMNS, one row per cycle."""
    return store_for(database_url, dagster_home).history_of(article_number)


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


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def history_markdown(article_number: str, database_url: str | None = None,
                     dagster_home: str | Path | None = None, store: StockHistoryStore | None = None) -> str:
    """`sync-pipeline stock-history SKU`: the SKU's balances over time as a Markdown table (from `store`,
    a merchant's, when given)."""
    from sync_pipeline.markdown_table import table

    rows = (store or store_for(database_url, dagster_home)).history_of(article_number)
    body = [[_iso(row.taken_at), row.wms_quantity, row.erp_quantity, row.status,
             "" if pd.isna(row.product_id) else int(row.product_id), row.run_id]
            for row in rows.itertuples(index=False)]
    return table(["Taken at (UTC)", "WMS", "ERP", "Status", "Product id", "Run"], body, blank="(none)") + "\n"


def _iso(moment: object) -> str:
    return utc_iso(pd.Timestamp(moment).to_pydatetime(), timespec="seconds")
