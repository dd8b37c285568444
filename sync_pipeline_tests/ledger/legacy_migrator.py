"""The ledger's migrator before Alembic, frozen as it was released: it makes ledgers as that code made them,
for the tests that check such a ledger is adopted (stamped at its revision, its data kept).

`schema_version` holds one row per applied migration. migrate() applies the missing ones in order,
in one transaction, under a lock (a PostgreSQL advisory lock; SQLite's BEGIN IMMEDIATE), so
processes starting at the same moment do not race each other, and a failed step leaves the
schema as it was. A ledger newer than the code is refused rather than written to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import (Boolean, Column, Connection, Engine, Index, Integer, MetaData, String, Table, Text, func,
                        insert, select, text)

from sync_pipeline.ledger.engine import ledger_schema
from sync_pipeline.ledger.model import LedgerError
from sync_pipeline.ledger.schema import UtcDateTime

schema_version = Table(
    "schema_version",
    MetaData(),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1_entries(connection: Connection) -> None:
    tables = MetaData()
    Table(
        "entries", tables,
        Column("kind", String(16), primary_key=True),
        Column("key", String(255), primary_key=True),
        Column("state", String(16), nullable=False),
        Column("source_version", String(100)),
        Column("payload_hash", String(64)),
        Column("wms_id", String(100)),
        Column("last_error", Text),
        Column("error_field", String(200)),
        Column("retryable", Boolean, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("next_attempt_at", UtcDateTime),
        Column("dead", Boolean, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Index("ix_entries_retry", "kind", "dead", "next_attempt_at"),
    )
    tables.create_all(connection)


def _v2_claims(connection: Connection) -> None:
    _add_column(connection, "entries", Column("claimed_by", String(100)))
    _add_column(connection, "entries", Column("claimed_until", UtcDateTime))
    tables = MetaData()
    entries = Table("entries", tables, Column("claimed_by", String(100)))
    Index("ix_entries_claimed_by", entries.c.claimed_by).create(connection)


def _v3_cursors(connection: Connection) -> None:
    tables = MetaData()
    Table(
        "cursors", tables,
        Column("process", String(100), primary_key=True),
        Column("value", Text, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    tables.create_all(connection)


def _v4_stage_times(connection: Connection) -> None:
    tables = MetaData()
    Table(
        "stage_times", tables,
        Column("kind", String(16), primary_key=True),
        Column("key", String(255), primary_key=True),
        Column("stage", String(32), primary_key=True),
        Column("at", UtcDateTime, nullable=False),
        Column("recorded_at", UtcDateTime, nullable=False),
        Index("ix_stage_times_at", "kind", "at"),
    )
    tables.create_all(connection)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "entries: one row per record, with versions, hashes, states, failures and retries", _v1_entries),
    Migration(2, "entries: claims (claimed_by, claimed_until) guarding against overlapping runs", _v2_claims),
    Migration(3, "cursors: each process's changed-since cursor", _v3_cursors),
    Migration(4, "stage_times: when each order reached each stage (confirmed, in the WMS, shipped, reported)",
              _v4_stage_times),
)
LATEST = MIGRATIONS[-1].version


def migrate(engine: Engine, target: int | None = None) -> int:
    """Bring the ledger's schema to `target` (default: the latest); returns the version it is at."""
    target = LATEST if target is None else target
    if not 1 <= target <= LATEST:
        raise LedgerError(f"no ledger schema version {target}; versions run from 1 to {LATEST}")
    with engine.begin() as connection:
        _lock(connection)
        schema_version.create(connection, checkfirst=True)
        current = _version(connection)
        if current > LATEST:
            raise LedgerError(f"the ledger's schema is at version {current}, newer than this code knows "
                              f"({LATEST}): upgrade sync_pipeline before using this ledger")
        for migration in MIGRATIONS:
            if current < migration.version <= target:
                migration.apply(connection)
                connection.execute(insert(schema_version).values(
                    version=migration.version, description=migration.description,
                    applied_at=datetime.now(timezone.utc)))
        return max(current, target)


def version(engine: Engine) -> int:
    """The schema version the ledger is at (0: no ledger yet)."""
    with engine.connect() as connection:
        schema = ledger_schema(connection)
        if not connection.dialect.has_table(connection, schema_version.name, schema=schema):
            return 0
        return _version(connection)


def _version(connection: Connection) -> int:
    return connection.scalar(select(func.max(schema_version.c.version))) or 0


def _lock(connection: Connection) -> None:
    schema = ledger_schema(connection)
    if connection.dialect.name != "postgresql" or schema is None:
        return  # SQLite: the transaction began IMMEDIATE, which is the lock
    key = int.from_bytes(hashlib.sha256(f"sync_ledger migrations {schema}".encode()).digest()[:8], "big", signed=True)
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    # Look before creating: CREATE SCHEMA needs the CREATE privilege on the database even when the
    # schema exists, and a DBA may have created it for a role that lacks that privilege.
    if connection.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname = :name"), {"name": schema}) == 0:
        connection.exec_driver_sql(f"CREATE SCHEMA {_quote(connection, schema)}")


def _add_column(connection: Connection, table: str, column: Column) -> None:
    schema = ledger_schema(connection)
    name = _quote(connection, table) if schema is None else f"{_quote(connection, schema)}.{_quote(connection, table)}"
    column_type = column.type.compile(dialect=connection.dialect)
    connection.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {_quote(connection, column.name)} {column_type}")


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)
