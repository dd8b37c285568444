"""The ledger's tables as the code uses them (the latest revision; see migrations.py).

Table names carry no schema: on PostgreSQL the engine maps them into the ledger's own schema
(sync_ledger by default) with schema_translate_map; SQLite keeps them in its own file.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, Integer, MetaData, Numeric, String, Table, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, UTC datetimes out, on both backends (SQLite stores them naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"the ledger stores times in UTC: give an aware datetime, got {value!r}")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


KEY_LENGTH = 255
VERSION_LENGTH = 100
WMS_ID_LENGTH = 100
FIELD_LENGTH = 200
RUN_ID_LENGTH = 100
PROCESS_LENGTH = 100
STAGE_LENGTH = 32
STOCK_STATUS_LENGTH = 16  # stock/history.py's statuses: changed, unchanged, only_in_wms...

metadata = MetaData()

entries = Table(
    "entries",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", String(KEY_LENGTH), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("source_version", String(VERSION_LENGTH)),
    Column("payload_hash", String(64)),
    Column("wms_id", String(WMS_ID_LENGTH)),
    Column("last_error", Text),
    Column("error_field", String(FIELD_LENGTH)),
    Column("retryable", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime),
    Column("dead", Boolean, nullable=False, default=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("claimed_by", String(RUN_ID_LENGTH)),  # revision 0002
    Column("claimed_until", UtcDateTime),  # revision 0002
    Index("ix_entries_retry", "kind", "dead", "next_attempt_at"),
    Index("ix_entries_claimed_by", "claimed_by"),  # revision 0002
)

cursors = Table(  # revision 0003
    "cursors",
    metadata,
    Column("process", String(PROCESS_LENGTH), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

stage_times = Table(  # revision 0004
    "stage_times",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", String(KEY_LENGTH), primary_key=True),
    Column("stage", String(STAGE_LENGTH), primary_key=True),
    Column("at", UtcDateTime, nullable=False),  # when the record reached the stage (the first time)
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_stage_times_at", "kind", "at"),
)

stock_history = Table(  # revision 0005: each stock cycle's rows, appended (stock/history.py)
    "stock_history",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("taken_at", UtcDateTime, nullable=False),  # when the cycle compared the systems
    Column("run_id", String(RUN_ID_LENGTH), nullable=False),
    Column("basis", String(STOCK_STATUS_LENGTH)),  # physical or sellable
    Column("article_number", String(KEY_LENGTH), nullable=False),
    Column("product_id", BigInteger),
    Column("product_code", String(KEY_LENGTH)),
    Column("wms_quantity", Numeric(38, 6)),
    Column("erp_quantity", Numeric(38, 6)),
    Column("status", String(STOCK_STATUS_LENGTH), nullable=False),
    Column("error", Text),
    Index("ix_stock_history_article_time", "article_number", "taken_at"),
    Index("ix_stock_history_taken_at", "taken_at"),  # pruning by age, the latest cycle
)
