"""The ledger's entries: one row per record, what was confirmed, how far it got, how its attempts failed.

Every method is one short transaction (see ledger.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import func, select, update

from sync_pipeline.ledger.engine import connected, patient
from sync_pipeline.ledger.model import (LIFECYCLE, SUCCESS_STATE, Kind, LedgerEntry, LedgerError, State, key_of,
                                        kind_of, rank, state_of)
from sync_pipeline.ledger.part import LedgerPart
from sync_pipeline.ledger.rows import (as_int, checked_text, chunks, digest_of, entry_from_row, insert_missing,
                                       locked_row, update_entry)
from sync_pipeline.ledger.schema import FIELD_LENGTH, VERSION_LENGTH, WMS_ID_LENGTH, entries
from sync_pipeline.ledger.stage_times import StageTimesGiven, insert_stages
from sync_pipeline.soap.errors import RecordError


class Records(LedgerPart):
    """Reading and recording the entries (table entries)."""

    @patient
    def get(self, kind: Kind | str, key: str | int) -> LedgerEntry | None:
        kind, key = kind_of(kind), key_of(key)
        with connected(self._reader, transaction=False) as connection:
            row = connection.execute(select(entries).where(entries.c.kind == kind, entries.c.key == key)).first()
        return entry_from_row(row) if row is not None else None

    @patient
    def entries(self, kind: Kind | str, keys: Iterable[str | int]) -> dict[str, LedgerEntry]:
        """The entries the ledger has for these keys (keys it has never seen are absent)."""
        kind = kind_of(kind)
        found: dict[str, LedgerEntry] = {}
        with connected(self._reader, transaction=False) as connection:
            for chunk in chunks(sorted({key_of(k) for k in keys})):
                rows = connection.execute(select(entries).where(entries.c.kind == kind, entries.c.key.in_(chunk)))
                found.update((row.key, entry_from_row(row)) for row in rows)
        return found

    def needs_write(self, kind: Kind | str, key: str | int, payload: Any = None, *,
                    payload_hash: str | None = None) -> bool:
        """False when the target already confirmed exactly this payload: an unchanged record is not sent again."""
        digest = digest_of(payload, payload_hash)
        if digest is None:
            raise LedgerError("needs_write compares a payload: give payload or payload_hash")
        entry = self.get(kind, key)
        return entry is None or not entry.unchanged(digest)

    def is_due(self, kind: Kind | str, key: str | int, *, source_version: str | None = None,
               now: datetime | None = None) -> bool:
        """False while a failed record backs off, or once it is dead-lettered (unless this is a new version)."""
        entry = self.get(kind, key)
        return entry is None or entry.is_due(self._now(now), source_version)

    @patient
    def due_retries(self, kind: Kind | str, now: datetime | None = None, *, limit: int | None = None,
                    states: Iterable[State | str] | None = None) -> list[str]:
        """Keys of retryable, not dead-lettered records whose next attempt is due, longest waiting first.

        With `states`, only records that stopped at one of those stages.
        """
        kind = kind_of(kind)
        query = (select(entries.c.key)
                 .where(entries.c.kind == kind, entries.c.retryable.is_(True), entries.c.dead.is_(False),
                        entries.c.next_attempt_at <= self._now(now))
                 .order_by(entries.c.next_attempt_at, entries.c.key).limit(limit))
        if states is not None:
            query = query.where(entries.c.state.in_([state_of(kind, s).value for s in states]))
        with connected(self._reader, transaction=False) as connection:
            return list(connection.scalars(query))

    @patient
    def failing(self, kind: Kind | str) -> list[str]:
        """Keys of records whose latest attempt failed: backing off, due for a retry, or dead-lettered."""
        query = (select(entries.c.key).where(entries.c.kind == kind_of(kind), entries.c.last_error.is_not(None))
                 .order_by(entries.c.key))
        with connected(self._reader, transaction=False) as connection:
            return list(connection.scalars(query))


    @patient
    def keys_in_states(self, kind: Kind | str, states: Iterable[State | str], *, live_only: bool = True) -> list[str]:
        """Keys of records at one of `states` (by default leaving out dead-lettered ones)."""
        kind = kind_of(kind)
        wanted = [state_of(kind, s).value for s in states]
        query = select(entries.c.key).where(entries.c.kind == kind, entries.c.state.in_(wanted))
        if live_only:
            query = query.where(entries.c.dead.is_(False))
        with connected(self._reader, transaction=False) as connection:
            return list(connection.scalars(query.order_by(entries.c.key)))

    @patient
    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind: records in each state, and how many are failing and dead-lettered."""
        failing = func.sum(as_int(entries.c.last_error.is_not(None)))
        dead = func.sum(as_int(entries.c.dead.is_(True)))
        query = (select(entries.c.kind, entries.c.state, func.count(), failing, dead)
                 .group_by(entries.c.kind, entries.c.state))
        result: dict[str, dict[str, int]] = {}
        with connected(self._reader, transaction=False) as connection:
            for kind, state, total, failing_count, dead_count in connection.execute(query):
                figures = result.setdefault(kind, {"failing": 0, "dead": 0})
                figures[state] = figures.get(state, 0) + total
                figures["failing"] += int(failing_count or 0)
                figures["dead"] += int(dead_count or 0)
        return result


    @patient
    def record_success(self, kind: Kind | str, key: str | int, payload: Any = None, *,
                       payload_hash: str | None = None, source_version: str | None = None,
                       wms_id: str | int | None = None, state: State | str | None = None,
                       stages: StageTimesGiven | None = None, now: datetime | None = None) -> LedgerEntry:
        """The target confirmed this record: remember what was sent, clear failures and retries.

        `state` (default: the kind's first confirmed stage) only moves the record forward: an order
        already shipped stays shipped when an overlapping push confirms it again. `stages`: the stage
        times the record reached (as record_stages), in the same transaction: one per record written.
        """
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        wanted = state_of(kind, state or SUCCESS_STATE[kind])
        if wanted in (State.PENDING, State.ERROR):
            raise LedgerError(f"{wanted} is not a success state")
        digest = digest_of(payload, payload_hash)
        with connected(self.engine, transaction=True) as connection:
            row = locked_row(connection, kind, key, now)
            values: dict[str, Any] = {
                "state": wanted if rank(kind, wanted) > rank(kind, row.state) else row.state,
                "last_error": None, "error_field": None, "retryable": False, "attempts": 0,
                "next_attempt_at": None, "dead": False, "updated_at": now,
            }
            if digest is not None:
                values["payload_hash"] = digest
            if source_version is not None:
                values["source_version"] = checked_text(source_version, "source version", VERSION_LENGTH)
            if wms_id is not None:
                values["wms_id"] = checked_text(str(wms_id), "WMS id", WMS_ID_LENGTH)
            if stages:
                insert_stages(connection, kind, key, stages, now, self._now)
            return update_entry(connection, kind, key, values)

    @patient(repeatable=False)
    def record_failure(self, kind: Kind | str, key: str | int, error: RecordError | str, *,
                       retryable: bool | None = None, field: str | None = None,
                       source_version: str | None = None, payload: Any = None, payload_hash: str | None = None,
                       not_before: datetime | None = None, state: State | str | None = None,
                       stages: StageTimesGiven | None = None, now: datetime | None = None) -> LedgerEntry:
        """An attempt failed: count it and schedule the next one, or dead-letter the record.

        retryable (default: the RecordError's own flag; False for a plain message): a retryable
        failure waits out the backoff and is dead-lettered after the policy's max attempts; one
        that is not retryable would fail the same way again, so it is dead-lettered at once.
        A new source_version counts attempts from 1 again: the record changed, it gets a fresh
        chance. payload: what was attempted; if it differs from what was last confirmed, the
        target may now hold either, so the next write goes out whatever it is (the confirmed hash
        is cleared). not_before: retry no earlier (e.g. a quarantine's end). state: the stage the
        record had reached before this attempt (moves it forward only, as mark: an order shipped in the
        WMS whose report failed is `shipped`); stages: its stage times; both in the same transaction.
        """
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        if isinstance(error, RecordError):
            message, field = error.message, field or error.field
            retryable = error.retryable if retryable is None else retryable
        else:
            message = str(error)
        retryable = bool(retryable)
        digest = digest_of(payload, payload_hash)
        reached = state_of(kind, state) if state is not None else None
        if reached is State.ERROR:
            raise LedgerError("state is the stage the record reached before it failed, not error")
        with connected(self.engine, transaction=True) as connection:
            row = locked_row(connection, kind, key, now)
            stage = reached if reached is not None and rank(kind, reached) > rank(kind, row.state) else row.state
            new_version = source_version is not None and source_version != row.source_version
            attempts = 1 if new_version else row.attempts + 1
            dead = not retryable or self.backoff.exhausted(attempts)
            next_attempt = None
            if not dead:
                next_attempt = now + self.backoff.delay(attempts, self._random)
                if not_before is not None and self._now(not_before) > next_attempt:
                    next_attempt = self._now(not_before)
            values: dict[str, Any] = {
                "state": State.ERROR if rank(kind, stage) <= 0 else stage,
                "last_error": self._redact(message or "failed (no reason given)"),
                "error_field": checked_text(field, "field", FIELD_LENGTH) if field else None,
                "retryable": retryable, "attempts": attempts, "next_attempt_at": next_attempt, "dead": dead,
                "updated_at": now,
            }
            if digest is not None and digest != row.payload_hash:
                values["payload_hash"] = None
            if source_version is not None:
                values["source_version"] = checked_text(source_version, "source version", VERSION_LENGTH)
            if stages:
                insert_stages(connection, kind, key, stages, now, self._now)
            return update_entry(connection, kind, key, values)


    @patient(repeatable=False)
    def mark(self, kind: Kind | str, key: str | int, state: State | str, *, now: datetime | None = None) -> bool:
        """Move a record forward to `state` (orders: pending -> sent -> shipped -> reported).

        Never backwards: True when the state changed, False when the record was there or further.
        A record the ledger does not know yet is entered at `state`.
        """
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        state = state_of(kind, state)
        if state is State.ERROR:
            raise LedgerError("failures are recorded with record_failure, which keeps the reason")
        behind = [s for s in LIFECYCLE[kind] if rank(kind, s) < rank(kind, state)]
        if rank(kind, state) > 0:
            behind.append(State.ERROR)
        with connected(self.engine, transaction=True) as connection:
            if insert_missing(connection, kind, [key], now, state=state):
                return True
            if not behind:
                return False
            return connection.execute(
                update(entries).where(entries.c.kind == kind, entries.c.key == key, entries.c.state.in_(behind))
                .values(state=state, updated_at=now)).rowcount == 1
