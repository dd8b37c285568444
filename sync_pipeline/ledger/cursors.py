"""Cursors: each process's changed-since cursor (table cursors)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from sync_pipeline.ledger.engine import connected, patient
from sync_pipeline.ledger.model import LedgerError
from sync_pipeline.ledger.part import LedgerPart
from sync_pipeline.ledger.rows import checked_text, insert_into
from sync_pipeline.ledger.schema import PROCESS_LENGTH, cursors


class Cursors(LedgerPart):
    """The processes' cursors, as JSON text."""

    @patient
    def get_cursor(self, process: str) -> str | None:
        """The cursor (JSON text, e.g. Cursor.to_json()) a process saved, or None."""
        process = checked_text(process, "process", PROCESS_LENGTH)
        with connected(self._reader, transaction=False) as connection:
            return connection.scalar(select(cursors.c.value).where(cursors.c.process == process))

    @patient
    def set_cursor(self, process: str, value: str, *, now: datetime | None = None) -> None:
        process, now = checked_text(process, "process", PROCESS_LENGTH), self._now(now)
        if not isinstance(value, str):
            raise LedgerError("a cursor is stored as text (e.g. Cursor.to_json())")
        with connected(self.engine, transaction=True) as connection:
            statement = insert_into(connection, cursors).values(process=process, value=value, updated_at=now)
            connection.execute(statement.on_conflict_do_update(
                index_elements=[cursors.c.process], set_={"value": value, "updated_at": now}))
