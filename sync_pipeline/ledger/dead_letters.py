"""Dead letters: records the ledger gave up retrying, and sending one again (redrive)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update

from sync_pipeline.ledger.engine import connected, patient
from sync_pipeline.ledger.model import Kind, LedgerEntry, key_of, kind_of
from sync_pipeline.ledger.part import LedgerPart
from sync_pipeline.ledger.rows import entry_from_row
from sync_pipeline.ledger.schema import entries


class DeadLetters(LedgerPart):
    """The dead-lettered entries, for operators."""

    @patient
    def dead_letters(self, kind: Kind | str | None = None) -> list[LedgerEntry]:
        """Dead-lettered records (all kinds, or one), most recent first: what operators must look at."""
        query = select(entries).where(entries.c.dead.is_(True))
        if kind is not None:
            query = query.where(entries.c.kind == kind_of(kind))
        with connected(self._reader, transaction=False) as connection:
            rows = connection.execute(query.order_by(entries.c.updated_at.desc(), entries.c.kind, entries.c.key))
            return [entry_from_row(row) for row in rows]


    @patient
    def redrive(self, kind: Kind | str, key: str | int, now: datetime | None = None) -> bool:
        """Send a failed (typically dead-lettered) record again on the next run: attempts from 0, due now.

        False when the ledger has no failure for this record. The reason stays until it succeeds.
        """
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        with connected(self.engine, transaction=True) as connection:
            return connection.execute(
                update(entries)
                .where(entries.c.kind == kind, entries.c.key == key,
                       or_(entries.c.dead.is_(True), entries.c.last_error.is_not(None)))
                .values(dead=False, attempts=0, retryable=True, next_attempt_at=now, updated_at=now)).rowcount == 1
