"""The sync ledger: a durable record of every entity the integration handles (docs/ledger.md).

A process claims its records for its run, reads their entries, skips what is backing off, dead or
unchanged, writes the rest and records each outcome; leaving `Ledger.run`'s block releases the
claims. Every method is one short transaction, safe to call from several threads and processes
at once. Failure reasons are stored as the caller gives them, after a redaction pass (redact.py):
callers pass RecordError messages, which name a record, a field and a reason, never a credential.
"""

from __future__ import annotations

import random as _random
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping

from sqlalchemy import Connection, Engine, Row, and_, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL

from sync_pipeline.ledger.backoff import BackoffPolicy
from sync_pipeline.ledger.engine import DEFAULT_SCHEMA, READ_ONLY, build_engine, connected, patient, prepare_engine
from sync_pipeline.ledger.hashing import payload_hash as hash_of
from sync_pipeline.ledger.keeper import ClaimKeeper, release_patiently
from sync_pipeline.ledger.migrations import migrate
from sync_pipeline.ledger.model import (LIFECYCLE, SUCCESS_STATE, Kind, LedgerEntry, LedgerError, State,
                                        held_by_another, key_of, kind_of, rank, state_of)
from sync_pipeline.ledger.schema import (FIELD_LENGTH, PROCESS_LENGTH, RUN_ID_LENGTH, VERSION_LENGTH, WMS_ID_LENGTH,
                                         cursors, entries, stage_times)
from sync_pipeline.ledger.stages import Stage, stage_of
from sync_pipeline.redaction import Redactor
from sync_pipeline.soap.errors import RecordError

# Short, because Ledger.run renews it while the run lives: a killed run's records come free soon.
DEFAULT_CLAIM_TTL = timedelta(minutes=5)
_CHUNK = 500  # keys per statement: well inside SQLite's and PostgreSQL's parameter limits


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Ledger:
    """The ledger on PostgreSQL or SQLite (an Engine, or a URL: see engine.resolve_url).

    backoff: when failed records are retried and when they are dead-lettered.
    random: the jitter's source (a callable returning [0, 1)); inject one for deterministic tests.
    clock: "now" for every method not given `now=`.
    secrets: known credential values, masked wherever they would appear in a stored reason.
    """

    def __init__(self, engine: Engine | str | URL, *, schema: str = DEFAULT_SCHEMA,
                 backoff: BackoffPolicy | None = None, random: Callable[[], float] = _random.random,
                 clock: Callable[[], datetime] = _utcnow, secrets: Iterable[str] = (), create: bool = True):
        self._owns_engine = not isinstance(engine, Engine)
        self.engine = build_engine(engine, schema) if self._owns_engine else prepare_engine(engine, schema)
        self._reader = self.engine.execution_options(**{READ_ONLY: True})
        self.backoff = backoff or BackoffPolicy()
        self._random = random
        self._clock = clock
        self._redact = Redactor(secrets)
        if create:
            migrate(self.engine)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({self.engine.url.render_as_string(hide_password=True)})"

    # -- reading -------------------------------------------------------------------------------

    @patient
    def get(self, kind: Kind | str, key: str | int) -> LedgerEntry | None:
        kind, key = kind_of(kind), key_of(key)
        with connected(self._reader, transaction=False) as connection:
            row = connection.execute(select(entries).where(entries.c.kind == kind, entries.c.key == key)).first()
        return _entry(row) if row is not None else None

    @patient
    def entries(self, kind: Kind | str, keys: Iterable[str | int]) -> dict[str, LedgerEntry]:
        """The entries the ledger has for these keys (keys it has never seen are absent)."""
        kind = kind_of(kind)
        found: dict[str, LedgerEntry] = {}
        with connected(self._reader, transaction=False) as connection:
            for chunk in _chunks(sorted({key_of(k) for k in keys})):
                rows = connection.execute(select(entries).where(entries.c.kind == kind, entries.c.key.in_(chunk)))
                found.update((row.key, _entry(row)) for row in rows)
        return found

    def needs_write(self, kind: Kind | str, key: str | int, payload: Any = None, *,
                    payload_hash: str | None = None) -> bool:
        """False when the target already confirmed exactly this payload: an unchanged record is not sent again."""
        digest = _digest(payload, payload_hash)
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
    def dead_letters(self, kind: Kind | str | None = None) -> list[LedgerEntry]:
        """Dead-lettered records (all kinds, or one), most recent first: what operators must look at."""
        query = select(entries).where(entries.c.dead.is_(True))
        if kind is not None:
            query = query.where(entries.c.kind == kind_of(kind))
        with connected(self._reader, transaction=False) as connection:
            rows = connection.execute(query.order_by(entries.c.updated_at.desc(), entries.c.kind, entries.c.key))
            return [_entry(row) for row in rows]

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
        failing = func.sum(_as_int(entries.c.last_error.is_not(None)))
        dead = func.sum(_as_int(entries.c.dead.is_(True)))
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

    # -- claims: the guard against overlapping runs ---------------------------------------------

    @patient
    def claim(self, kind: Kind | str, keys: Iterable[str | int], run_id: str,
              ttl: timedelta = DEFAULT_CLAIM_TTL, *, now: datetime | None = None) -> set[str]:
        """Claim these records for `run_id` until now + ttl; returns the keys now held by this run.

        A key another run holds (claim not expired) is left out; expired claims are taken over, and
        keys this run holds already are renewed. Keys new to the ledger get a pending entry.
        """
        kind, run_id, now = kind_of(kind), _text(run_id, "run id", RUN_ID_LENGTH), self._now(now)
        if ttl <= timedelta(0):
            raise LedgerError("a claim's ttl must be positive")
        ordered = sorted({key_of(k) for k in keys})
        if not ordered:
            return set()
        # New entries first, in a transaction of their own: inserting in key order cannot deadlock.
        with connected(self.engine, transaction=True) as connection:
            for chunk in _chunks(ordered):
                _insert_missing(connection, kind, chunk, now)
        claimed: set[str] = set()
        with connected(self.engine, transaction=True) as connection:
            for chunk in _chunks(ordered):
                # Lock the rows in one global order (byte order, like Python's sorted), so two runs
                # claiming overlapping sets queue behind each other instead of deadlocking.
                rows = connection.execute(
                    select(entries.c.key, entries.c.claimed_by, entries.c.claimed_until)
                    .where(entries.c.kind == kind, entries.c.key.in_(chunk))
                    .order_by(_byte_order(connection, entries.c.key))
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
        condition = entries.c.claimed_by == _text(run_id, "run id", RUN_ID_LENGTH)
        if kind is not None:
            condition = and_(condition, entries.c.kind == kind_of(kind))
        with connected(self.engine, transaction=True) as connection:
            _lock_in_order(connection, condition)
            return connection.execute(update(entries).where(condition)
                                      .values(claimed_by=None, claimed_until=None)).rowcount

    @patient
    def renew(self, run_id: str, ttl: timedelta = DEFAULT_CLAIM_TTL, *, now: datetime | None = None) -> int:
        """Extend every live claim `run_id` holds to now + ttl (Ledger.run's heartbeat calls this)."""
        run_id, now = _text(run_id, "run id", RUN_ID_LENGTH), self._now(now)
        condition = and_(entries.c.claimed_by == run_id, entries.c.claimed_until > now)
        with connected(self.engine, transaction=True) as connection:
            _lock_in_order(connection, condition)
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

    # -- writing -------------------------------------------------------------------------------

    @patient
    def record_success(self, kind: Kind | str, key: str | int, payload: Any = None, *,
                       payload_hash: str | None = None, source_version: str | None = None,
                       wms_id: str | int | None = None, state: State | str | None = None,
                       now: datetime | None = None) -> LedgerEntry:
        """The target confirmed this record: remember what was sent, clear failures and retries.

        `state` (default: the kind's first confirmed stage) only moves the record forward: an order
        already shipped stays shipped when an overlapping push confirms it again.
        """
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        wanted = state_of(kind, state or SUCCESS_STATE[kind])
        if wanted in (State.PENDING, State.ERROR):
            raise LedgerError(f"{wanted} is not a success state")
        digest = _digest(payload, payload_hash)
        with connected(self.engine, transaction=True) as connection:
            row = _locked(connection, kind, key, now)
            values: dict[str, Any] = {
                "state": wanted if rank(kind, wanted) > rank(kind, row.state) else row.state,
                "last_error": None, "error_field": None, "retryable": False, "attempts": 0,
                "next_attempt_at": None, "dead": False, "updated_at": now,
            }
            if digest is not None:
                values["payload_hash"] = digest
            if source_version is not None:
                values["source_version"] = _text(source_version, "source version", VERSION_LENGTH)
            if wms_id is not None:
                values["wms_id"] = _text(str(wms_id), "WMS id", WMS_ID_LENGTH)
            return _update(connection, kind, key, values)

    @patient(repeatable=False)
    def record_failure(self, kind: Kind | str, key: str | int, error: RecordError | str, *,
                       retryable: bool | None = None, field: str | None = None,
                       source_version: str | None = None, payload: Any = None, payload_hash: str | None = None,
                       not_before: datetime | None = None, now: datetime | None = None) -> LedgerEntry:
        """An attempt failed: count it and schedule the next one, or dead-letter the record.

        retryable (default: the RecordError's own flag; False for a plain message): a retryable
        failure waits out the backoff and is dead-lettered after the policy's max attempts; one
        that is not retryable would fail the same way again, so it is dead-lettered at once.
        A new source_version counts attempts from 1 again: the record changed, it gets a fresh
        chance. payload: what was attempted; if it differs from what was last confirmed, the
        target may now hold either, so the next write goes out whatever it is (the confirmed hash
        is cleared). not_before: retry no earlier (e.g. a quarantine's end).
        """
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        if isinstance(error, RecordError):
            message, field = error.message, field or error.field
            retryable = error.retryable if retryable is None else retryable
        else:
            message = str(error)
        retryable = bool(retryable)
        digest = _digest(payload, payload_hash)
        with connected(self.engine, transaction=True) as connection:
            row = _locked(connection, kind, key, now)
            new_version = source_version is not None and source_version != row.source_version
            attempts = 1 if new_version else row.attempts + 1
            dead = not retryable or self.backoff.exhausted(attempts)
            next_attempt = None
            if not dead:
                next_attempt = now + self.backoff.delay(attempts, self._random)
                if not_before is not None and self._now(not_before) > next_attempt:
                    next_attempt = self._now(not_before)
            values: dict[str, Any] = {
                "state": State.ERROR if rank(kind, row.state) <= 0 else row.state,
                "last_error": self._redact(message or "failed (no reason given)"),
                "error_field": _text(field, "field", FIELD_LENGTH) if field else None,
                "retryable": retryable, "attempts": attempts, "next_attempt_at": next_attempt, "dead": dead,
                "updated_at": now,
            }
            if digest is not None and digest != row.payload_hash:
                values["payload_hash"] = None
            if source_version is not None:
                values["source_version"] = _text(source_version, "source version", VERSION_LENGTH)
            return _update(connection, kind, key, values)

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
            if _insert_missing(connection, kind, [key], now, state=state):
                return True
            if not behind:
                return False
            return connection.execute(
                update(entries).where(entries.c.kind == kind, entries.c.key == key, entries.c.state.in_(behind))
                .values(state=state, updated_at=now)).rowcount == 1

    def mark_reported_once(self, order_key: str | int, *, now: datetime | None = None) -> bool:
        """Mark an order reported; True exactly once per order, however many runs or threads race to it."""
        return self.mark(Kind.ORDER, order_key, State.REPORTED, now=now)

    # -- cursors -------------------------------------------------------------------------------

    @patient
    def get_cursor(self, process: str) -> str | None:
        """The cursor (JSON text, e.g. Cursor.to_json()) a process saved, or None."""
        process = _text(process, "process", PROCESS_LENGTH)
        with connected(self._reader, transaction=False) as connection:
            return connection.scalar(select(cursors.c.value).where(cursors.c.process == process))

    @patient
    def set_cursor(self, process: str, value: str, *, now: datetime | None = None) -> None:
        process, now = _text(process, "process", PROCESS_LENGTH), self._now(now)
        if not isinstance(value, str):
            raise LedgerError("a cursor is stored as text (e.g. Cursor.to_json())")
        with connected(self.engine, transaction=True) as connection:
            statement = _insert(connection, cursors).values(process=process, value=value, updated_at=now)
            connection.execute(statement.on_conflict_do_update(
                index_elements=[cursors.c.process], set_={"value": value, "updated_at": now}))

    # -- stage times (ledger/stages.py) ----------------------------------------------------------

    @patient
    def record_stages(self, kind: Kind | str, key: str | int, times: Mapping[Stage | str, datetime | None], *,
                      now: datetime | None = None) -> None:
        """When the record reached each stage (None: unknown, skipped); a stage keeps its first time."""
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        rows = [{"kind": kind.value, "key": key, "stage": stage_of(stage).value, "at": self._now(at),
                 "recorded_at": now} for stage, at in times.items() if at is not None]
        if not rows:
            return
        with connected(self.engine, transaction=True) as connection:
            statement = _insert(connection, stage_times).on_conflict_do_nothing(
                index_elements=[stage_times.c.kind, stage_times.c.key, stage_times.c.stage])
            connection.execute(statement, rows)

    @patient
    def stage_times(self, kind: Kind | str, *, since: datetime | None = None) -> dict[str, dict[Stage, datetime]]:
        """key -> {stage: first time reached}, for the records that reached any stage at or after `since`."""
        kind = kind_of(kind)
        query = select(stage_times.c.key, stage_times.c.stage, stage_times.c.at).where(stage_times.c.kind == kind)
        if since is not None:
            recent = select(stage_times.c.key).where(stage_times.c.kind == kind, stage_times.c.at >= self._now(since))
            query = query.where(stage_times.c.key.in_(recent))
        found: dict[str, dict[Stage, datetime]] = {}
        with connected(self._reader, transaction=False) as connection:
            for key, stage, at in connection.execute(query.order_by(stage_times.c.key)):
                found.setdefault(key, {})[Stage(stage)] = at
        return found

    # -- helpers -------------------------------------------------------------------------------

    def _now(self, now: datetime | None) -> datetime:
        moment = self._clock() if now is None else now
        if moment.tzinfo is None:
            raise LedgerError(f"the ledger works in UTC: give an aware datetime, got {moment!r}")
        return moment.astimezone(timezone.utc)


class LedgerRun:
    """One run's handle on the ledger: claims under the run's id (released by Ledger.run's block)."""

    def __init__(self, ledger: Ledger, run_id: str, ttl: timedelta):
        self.ledger, self.run_id, self.ttl = ledger, run_id, ttl

    def claim(self, kind: Kind | str, keys: Iterable[str | int], *, now: datetime | None = None) -> set[str]:
        return self.ledger.claim(kind, keys, self.run_id, self.ttl, now=now)

    def renew(self, *, now: datetime | None = None) -> int:
        return self.ledger.renew(self.run_id, self.ttl, now=now)


def _entry(row: Row) -> LedgerEntry:
    kind = Kind(row.kind)
    return LedgerEntry(
        kind=kind, key=row.key, state=State(row.state), source_version=row.source_version,
        payload_hash=row.payload_hash, wms_id=row.wms_id, last_error=row.last_error, error_field=row.error_field,
        retryable=bool(row.retryable), attempts=row.attempts, next_attempt_at=row.next_attempt_at,
        dead=bool(row.dead), claimed_by=row.claimed_by, claimed_until=row.claimed_until, updated_at=row.updated_at)


def _insert(connection: Connection, table):
    return (postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert)(table)


def _insert_missing(connection: Connection, kind: Kind, keys: list[str], now: datetime,
                    state: State = State.PENDING) -> bool:
    """Enter the keys the ledger does not have yet; True if any was new (reported for a single key)."""
    rows = [{"kind": kind.value, "key": key, "state": state.value, "retryable": False, "attempts": 0,
             "dead": False, "updated_at": now} for key in keys]
    statement = _insert(connection, entries).on_conflict_do_nothing(index_elements=[entries.c.kind, entries.c.key])
    if len(rows) == 1:
        return connection.execute(statement.values(rows[0])).rowcount > 0
    connection.execute(statement, rows)  # executemany: one compiled statement, batched by the driver
    return False


def _locked(connection: Connection, kind: Kind, key: str, now: datetime) -> Row:
    """The record's row, entered if new, locked until the transaction ends."""
    _insert_missing(connection, kind, [key], now)
    return connection.execute(
        select(entries).where(entries.c.kind == kind, entries.c.key == key).with_for_update()).one()


def _update(connection: Connection, kind: Kind, key: str, values: dict[str, Any]) -> LedgerEntry:
    row = connection.execute(update(entries).where(entries.c.kind == kind, entries.c.key == key)
                             .values(**values).returning(*entries.c)).one()
    return _entry(row)


def _digest(payload: Any, payload_hash: str | None) -> str | None:
    if payload is not None and payload_hash is not None:
        raise LedgerError("give payload or payload_hash, not both")
    if payload_hash is not None:
        if len(payload_hash) != 64 or any(c not in "0123456789abcdef" for c in payload_hash):
            raise LedgerError("payload_hash is a sha256 in lower-case hex (see ledger.payload_hash)")
        return payload_hash
    return hash_of(payload) if payload is not None else None


def _text(value: str, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LedgerError(f"a {what} is non-empty text, got {value!r}")
    if len(value) > limit:
        raise LedgerError(f"a {what} has at most {limit} characters, got {len(value)}")
    return value


def _chunks(keys: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(keys), _CHUNK):
        yield keys[start:start + _CHUNK]


def _lock_in_order(connection: Connection, condition) -> None:
    """Lock the rows `condition` selects in the order claim() locks rows (kind, then key byte order):
    a run's release or heartbeat and another run's claim then queue instead of deadlocking."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(entries.c.kind, entries.c.key).where(condition)
                           .order_by(entries.c.kind, _byte_order(connection, entries.c.key)).with_for_update())


def _byte_order(connection: Connection, column):
    return column.collate("C") if connection.dialect.name == "postgresql" else column


def _as_int(condition):
    return case((condition, 1), else_=0)
