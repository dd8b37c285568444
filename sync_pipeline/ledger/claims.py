"""Claims: the guard against overlapping runs (columns claimed_by, claimed_until of entries).

A run claims its records, a heartbeat renews the claims while it lives (keeper.py), and they are
released when it ends or expire when it dies.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Iterable, Iterator

from sqlalchemy import and_, func, select, update

from sync_pipeline.ledger.engine import connected, patient
from sync_pipeline.ledger.keeper import ClaimKeeper, release_patiently
from sync_pipeline.ledger.model import Kind, LedgerError, held_by_another, key_of, kind_of
from sync_pipeline.ledger.part import LedgerPart
from sync_pipeline.ledger.rows import byte_order, checked_text, chunks, insert_missing, lock_in_order
from sync_pipeline.ledger.schema import RUN_ID_LENGTH, entries

# Short, because Ledger.run renews it while the run lives: a killed run's records come free soon.
DEFAULT_CLAIM_TTL = timedelta(minutes=5)


class Claims(LedgerPart):
    """Claiming, renewing and releasing records for a run."""

    @patient
    def claim(self, kind: Kind | str, keys: Iterable[str | int], run_id: str,
              ttl: timedelta = DEFAULT_CLAIM_TTL, *, now: datetime | None = None) -> set[str]:
        """Claim these records for `run_id` until now + ttl; returns the keys now held by this run.

        A key another run holds (claim not expired) is left out; expired claims are taken over, and
        keys this run holds already are renewed. Keys new to the ledger get a pending entry.
        """
        kind, run_id, now = kind_of(kind), checked_text(run_id, "run id", RUN_ID_LENGTH), self._now(now)
        if ttl <= timedelta(0):
            raise LedgerError("a claim's ttl must be positive")
        ordered = sorted({key_of(k) for k in keys})
        if not ordered:
            return set()
        # New entries first, in a transaction of their own: inserting in key order cannot deadlock.
        with connected(self.engine, transaction=True) as connection:
            for chunk in chunks(ordered):
                insert_missing(connection, kind, chunk, now)
        claimed: set[str] = set()
        with connected(self.engine, transaction=True) as connection:
            for chunk in chunks(ordered):
                # Lock the rows in one global order (byte order, like Python's sorted), so two runs
                # claiming overlapping sets queue behind each other instead of deadlocking.
                rows = connection.execute(
                    select(entries.c.key, entries.c.claimed_by, entries.c.claimed_until)
                    .where(entries.c.kind == kind, entries.c.key.in_(chunk))
                    .order_by(byte_order(connection, entries.c.key))
                    .with_for_update())
                free = [row.key for row in rows
                        if not held_by_another(row.claimed_by, row.claimed_until, run_id, now)]
                if free:
                    connection.execute(update(entries)
                                       .where(entries.c.kind == kind, entries.c.key.in_(free))
                                       .values(claimed_by=run_id, claimed_until=now + ttl))
                claimed.update(free)
        return claimed

    @patient
    def release(self, run_id: str, kind: Kind | str | None = None) -> int:
        """Give up every claim `run_id` holds (of one kind, or all); returns how many."""
        condition = entries.c.claimed_by == checked_text(run_id, "run id", RUN_ID_LENGTH)
        if kind is not None:
            condition = and_(condition, entries.c.kind == kind_of(kind))
        with connected(self.engine, transaction=True) as connection:
            lock_in_order(connection, condition)
            return connection.execute(update(entries).where(condition)
                                      .values(claimed_by=None, claimed_until=None)).rowcount

    @patient
    def renew(self, run_id: str, ttl: timedelta = DEFAULT_CLAIM_TTL, *, now: datetime | None = None) -> int:
        """Extend every live claim `run_id` holds to now + ttl (Ledger.run's heartbeat calls this)."""
        run_id, now = checked_text(run_id, "run id", RUN_ID_LENGTH), self._now(now)
        condition = and_(entries.c.claimed_by == run_id, entries.c.claimed_until > now)
        with connected(self.engine, transaction=True) as connection:
            lock_in_order(connection, condition)
            return connection.execute(update(entries).where(condition).values(claimed_until=now + ttl)).rowcount

    @patient
    def claim_holders(self, now: datetime | None = None) -> dict[str, int]:
        """Runs holding live claims, with how many records each: to release those of runs that died."""
        query = (select(entries.c.claimed_by, func.count())
                 .where(entries.c.claimed_by.is_not(None), entries.c.claimed_until > self._now(now))
                 .group_by(entries.c.claimed_by))
        with connected(self._reader, transaction=False) as connection:
            return {run_id: count for run_id, count in connection.execute(query)}

    @contextmanager
    def run(self, run_id: str, ttl: timedelta = DEFAULT_CLAIM_TTL) -> Iterator[LedgerRun]:
        """A run's claims: renewed every ttl / 3 while the block runs, released when it ends.

        However long the run takes it keeps its records; a run killed without ending the block
        (SIGKILL, a lost machine) stops renewing, and its claims expire within one ttl (keeper.py).
        """
        keeper = ClaimKeeper(self, run_id, ttl)
        try:
            yield LedgerRun(self, run_id, ttl)
        finally:
            keeper.stop()
            release_patiently(self, run_id)


class LedgerRun:
    """One run's handle on the ledger: claims under the run's id (released by Ledger.run's block)."""

    def __init__(self, ledger: Claims, run_id: str, ttl: timedelta):
        self.ledger, self.run_id, self.ttl = ledger, run_id, ttl

    def claim(self, kind: Kind | str, keys: Iterable[str | int], *, now: datetime | None = None) -> set[str]:
        return self.ledger.claim(kind, keys, self.run_id, self.ttl, now=now)

    def renew(self, *, now: datetime | None = None) -> int:
        return self.ledger.renew(self.run_id, self.ttl, now=now)
