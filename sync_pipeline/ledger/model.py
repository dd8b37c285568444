"""What the ledger knows about one record: kinds, states and the entry itself (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

MAX_KEY_LENGTH = 255


class LedgerError(Exception):
    """The ledger was used in a way it does not allow (unknown kind or state, schema too new...)."""


class LedgerUnavailable(LedgerError):
    """The ledger's database cannot be reached (stopped, restarting, the network): the run stops there.

    Nothing half-recorded is left: every ledger call is one transaction. What the run wrote but
    had not recorded yet is written again by the next run (CreateOrUpdate, absolute values).
    """

    retryable = True
    phase: str | None = None  # where it arose (engine.connected sets it): connect, before commit, commit


class Kind(StrEnum):
    ARTICLE = "article"
    SUPPLIER = "supplier"
    ORDER = "order"
    SHIPMENT = "shipment"
    STOCK = "stock"
    CANCELLATION = "cancellation"  # an order cancelled on one side, carried to the other (sync/cancellations.py)


class State(StrEnum):
    PENDING = "pending"  # seen (claimed), nothing confirmed yet
    SENT = "sent"  # the WMS confirmed the article / supplier / order
    SHIPPED = "shipped"  # the WMS shipped the order
    REPORTED = "reported"  # the ERP has the order's shipped status
    WRITTEN = "written"  # the ERP confirmed the stock balance
    SETTLED = "settled"  # the order is cancelled on both sides, or nothing was left to cancel
    ERROR = "error"  # failed before it ever reached a confirmed stage


# Each kind's stages in order. `state` only ever moves forward along these; ERROR ranks with PENDING
# (a record that has not got anywhere yet), so a later success replaces it.
LIFECYCLE: dict[Kind, tuple[State, ...]] = {
    Kind.ARTICLE: (State.PENDING, State.SENT),
    Kind.SUPPLIER: (State.PENDING, State.SENT),
    Kind.ORDER: (State.PENDING, State.SENT, State.SHIPPED, State.REPORTED),
    Kind.SHIPMENT: (State.PENDING, State.REPORTED),
    Kind.STOCK: (State.PENDING, State.WRITTEN),
    Kind.CANCELLATION: (State.PENDING, State.SETTLED),
}

# The state record_success sets unless told otherwise.
SUCCESS_STATE: dict[Kind, State] = {
    Kind.ARTICLE: State.SENT,
    Kind.SUPPLIER: State.SENT,
    Kind.ORDER: State.SENT,
    Kind.SHIPMENT: State.REPORTED,
    Kind.STOCK: State.WRITTEN,
    Kind.CANCELLATION: State.SETTLED,
}


def kind_of(value: str | Kind) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise LedgerError(f"unknown ledger kind {value!r}; one of: {', '.join(Kind)}") from None


def state_of(kind: Kind, value: str | State) -> State:
    try:
        state = State(value)
    except ValueError:
        raise LedgerError(f"unknown ledger state {value!r}; one of: {', '.join(State)}") from None
    if state is not State.ERROR and state not in LIFECYCLE[kind]:
        stages = " -> ".join(LIFECYCLE[kind])
        raise LedgerError(f"{kind} records have no state {state}; their stages: {stages}")
    return state


def rank(kind: Kind, state: State | str | None) -> int:
    """How far along its lifecycle a record is (-1: not in the ledger yet)."""
    if state is None:
        return -1
    state = State(state)
    return 0 if state is State.ERROR else LIFECYCLE[kind].index(state)


def key_of(value: str | int) -> str:
    """A record key as the ledger stores it: the text the processes name the record by."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise LedgerError(f"a ledger key is a str (or an int id), got {type(value).__name__}")
    text = str(value)
    if not text or len(text) > MAX_KEY_LENGTH:
        raise LedgerError(f"a ledger key has 1 to {MAX_KEY_LENGTH} characters, got {len(text)}")
    return text


def held_by_another(claimed_by: str | None, claimed_until: datetime | None, run_id: str | None,
                    now: datetime) -> bool:
    """Does a run other than `run_id` (None: a dry run, which holds nothing) hold a live claim on the record?"""
    return claimed_by not in (None, run_id) and claimed_until is not None and claimed_until > now


@dataclass(frozen=True)
class LedgerEntry:
    """One record as the ledger has it."""

    kind: Kind
    key: str
    state: State
    source_version: str | None  # the source version of the latest attempt (success or failure)
    payload_hash: str | None  # sha256 of what the target confirmed last (None: nothing confirmed)
    wms_id: str | None
    last_error: str | None  # why the latest attempt failed (None: it did not)
    error_field: str | None
    retryable: bool
    attempts: int  # failed attempts of the current source version
    next_attempt_at: datetime | None
    dead: bool  # dead-lettered: not retried until redriven or a new source version arrives
    claimed_by: str | None
    claimed_until: datetime | None
    updated_at: datetime

    @property
    def failing(self) -> bool:
        return self.last_error is not None

    def unchanged(self, payload_hash: str) -> bool:
        """True when the target confirmed exactly this payload (a failure since then clears the hash)."""
        return self.payload_hash == payload_hash

    def held_by_another(self, run_id: str | None, now: datetime) -> bool:
        return held_by_another(self.claimed_by, self.claimed_until, run_id, now)

    def is_due(self, now: datetime, source_version: str | None = None) -> bool:
        """May this record be attempted now? A new source version always may (it may fix the failure)."""
        if source_version is not None and source_version != self.source_version:
            return True
        if self.dead:
            return False
        return self.next_attempt_at is None or self.next_attempt_at <= now
