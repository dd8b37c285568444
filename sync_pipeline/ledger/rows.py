"""Statements and checks the parts of the ledger share: entries as rows, upserts, locking order, text limits."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import Case, ColumnElement, Connection, Row, Table, case, select, update
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sync_pipeline.ledger.hashing import payload_hash as hash_of
from sync_pipeline.ledger.model import Kind, LedgerEntry, LedgerError, State
from sync_pipeline.ledger.schema import entries

CHUNK = 500  # keys per statement: well inside SQLite's and PostgreSQL's parameter limits


def entry_from_row(row: Row[Any]) -> LedgerEntry:
    kind = Kind(row.kind)
    return LedgerEntry(
        kind=kind, key=row.key, state=State(row.state), source_version=row.source_version,
        payload_hash=row.payload_hash, wms_id=row.wms_id, last_error=row.last_error, error_field=row.error_field,
        retryable=bool(row.retryable), attempts=row.attempts, next_attempt_at=row.next_attempt_at,
        dead=bool(row.dead), claimed_by=row.claimed_by, claimed_until=row.claimed_until, updated_at=row.updated_at)


def insert_into(connection: Connection, table: Table) -> PostgresqlInsert | SqliteInsert:
    return (postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert)(table)


def insert_missing(connection: Connection, kind: Kind, keys: list[str], now: datetime,
                    state: State = State.PENDING) -> bool:
    """Enter the keys the ledger does not have yet; True if any was new (reported for a single key)."""
    rows = [{"kind": kind.value, "key": key, "state": state.value, "retryable": False, "attempts": 0,
             "dead": False, "updated_at": now} for key in keys]
    statement = insert_into(connection, entries).on_conflict_do_nothing(index_elements=[entries.c.kind, entries.c.key])
    if len(rows) == 1:
        return connection.execute(statement.values(rows[0])).rowcount > 0
    connection.execute(statement, rows)  # executemany: one compiled statement, batched by the driver
    return False


def locked_row(connection: Connection, kind: Kind, key: str, now: datetime) -> Row[Any]:
    """The record's row, entered if new, locked until the transaction ends."""
    insert_missing(connection, kind, [key], now)
    return connection.execute(
        select(entries).where(entries.c.kind == kind, entries.c.key == key).with_for_update()).one()


def update_entry(connection: Connection, kind: Kind, key: str, values: dict[str, Any]) -> LedgerEntry:
    row = connection.execute(update(entries).where(entries.c.kind == kind, entries.c.key == key)
                             .values(**values).returning(*entries.c)).one()
    return entry_from_row(row)


def digest_of(payload: Any, payload_hash: str | None) -> str | None:
    if payload is not None and payload_hash is not None:
        raise LedgerError("give payload or payload_hash, not both")
    if payload_hash is not None:
        if len(payload_hash) != 64 or any(c not in "0123456789abcdef" for c in payload_hash):
            raise LedgerError("payload_hash is a sha256 in lower-case hex (see ledger.payload_hash)")
        return payload_hash
    return hash_of(payload) if payload is not None else None


def checked_text(value: str, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LedgerError(f"a {what} is non-empty text, got {value!r}")
    if len(value) > limit:
        raise LedgerError(f"a {what} has at most {limit} characters, got {len(value)}")
    return value


def chunks(keys: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start:start + CHUNK]


def lock_in_order(connection: Connection, condition: ColumnElement[bool]) -> None:
    """Lock the rows `condition` selects in the order claim() locks rows (kind, then key byte order):
    a run's release or heartbeat and another run's claim then queue instead of deadlocking."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(entries.c.kind, entries.c.key).where(condition)
                           .order_by(entries.c.kind, byte_order(connection, entries.c.key)).with_for_update())


def byte_order(connection: Connection, column: ColumnElement[str]) -> ColumnElement[str]:
    return column.collate("C") if connection.dialect.name == "postgresql" else column


def as_int(condition: ColumnElement[bool]) -> Case[int]:
    return case((condition, 1), else_=0)
