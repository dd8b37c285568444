"""The ledger's say over each write of a sync process: admit, skip unchanged, record the outcome.

A process opens a gate for one kind of record in one run. The gate claims the run's records (a
record claimed by an overlapping run is left to that run), leaves out those backing off after a
failure or dead-lettered, tells which payloads the target already holds, and records every
outcome. Without a ledger the gate admits everything and remembers nothing, as before.

A planning gate (the dry run's) decides as the real one would, from the ledger as it is now, and
records nothing: no claims, no outcomes. Records another live run holds are left out as they would be.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, TypeVar

from sync_pipeline.ledger import Kind, Ledger, LedgerEntry, LedgerRun, Stage
from sync_pipeline.ledger.hashing import payload_hash
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.cursor import CursorBuilder, V, Versioned, hold_back
from sync_pipeline.wms.held import Holding

if TYPE_CHECKING:
    from sync_pipeline.sync.report import SyncReport

StageTimes = Mapping[Stage, datetime | None]
R = TypeVar("R")
F = TypeVar("F")


@dataclass
class Admission:
    keys: list[str]  # admitted, in the order given
    held_by_other_run: list[str] = field(default_factory=list)
    backing_off: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)


class Gate:
    def __init__(self, ledger: Ledger | None, run: LedgerRun | None, kind: Kind, *, resend: bool = False,
                 retries: bool = True, planning: bool = False, retry_now: bool = False, verify: bool = False):
        self.ledger, self.run, self.kind = ledger, run, kind
        self.resend = resend  # write even what the target already holds (an operator's "force", a re-drive)
        self.retries = retries  # False: the retries due for other records are left to the next run (a re-drive)
        self.planning = planning  # a dry run's gate: decides from the ledger, claims and records nothing
        # An operator's run: records waiting out a backoff or dead-lettered are tried now, not left out.
        self.retry_now = retry_now
        # A full read (a sweep, an operator's resync): what the ledger remembers as done is checked in the
        # target too (shipped orders: the ERP status is read even for orders the ledger has as reported).
        self.verify = verify
        self._entries: dict[str, Any] = {}
        # Each failure of this run with its ledger entry (attempts, next attempt), for the failures table.
        self.failure_entries: dict[RecordError, LedgerEntry] = {}

    def admit(self, versions: dict[str, str | None], now: datetime | None = None) -> Admission:
        """Which of these records (key -> source version) this run may write now."""
        keys = list(versions)
        if self.ledger is None or (self.run is None and not self.planning):
            return Admission(keys)
        now = now or datetime.now(timezone.utc)
        claimed = self._claim(keys, now)
        admission = Admission([])
        for key in keys:
            entry = self._entries.get(key)
            if key not in claimed:
                admission.held_by_other_run.append(key)
            elif entry is not None and not self.retry_now and not entry.is_due(now, versions[key]):
                (admission.dead if entry.dead else admission.backing_off).append(key)
            else:
                admission.keys.append(key)
        return admission

    def _claim(self, keys: list[str], now: datetime) -> set[str]:
        """Claim the keys for this run; the ones it now holds, with their entries loaded.

        Planning claims nothing: the keys no other live run holds, as a real claim would get them.
        """
        assert self.ledger is not None
        if self.planning:
            self._entries.update(self.ledger.entries(self.kind, keys))
            return {key for key in keys
                    if key not in self._entries or not self._entries[key].held_by_another(None, now)}
        assert self.run is not None
        claimed = self.run.claim(self.kind, keys, now=now)
        self._entries.update(self.ledger.entries(self.kind, claimed))
        return claimed

    def unchanged(self, key: str, payload: Any, holding: Holding = Holding.UNREAD) -> bool:
        """True when the target holds exactly this payload (do not send it again).

        The target's own state, as read (`holding`), decides first: absent or different is written
        whatever the ledger remembers. Where the read shows only part of the payload, or the target was
        not read, the ledger's memory of the last confirmed write decides the rest.
        """
        if self.resend or holding.needs_write:
            return False
        entry = self._entries.get(key)
        if holding is Holding.SAME:
            # Written again if its last attempt failed (the write may have landed before the reply was lost):
            # the write is idempotent, and its success is what clears the failure from the ledger.
            return entry is None or not entry.failing
        return entry is not None and entry.unchanged(payload_hash(payload))

    def state(self, key: str) -> str | None:
        entry = self._entries.get(key)
        return entry.state.value if entry is not None else None

    def succeeded(self, key: str, payload: Any = None, *, version: str | None = None,
                  wms_id: str | int | None = None, state: str | None = None, stages: StageTimes | None = None) -> None:
        """The target confirmed the record: its outcome, `state` and `stages` (as `reached`) in one transaction."""
        if self.ledger is not None and not self.planning:
            self._entries[key] = self.ledger.record_success(self.kind, key, payload, source_version=version,
                                                            wms_id=wms_id, state=state, stages=self._held(stages))

    def failed(self, key: str, error: RecordError, *, payload: Any = None, version: str | None = None,
               state: str | None = None, stages: StageTimes | None = None) -> None:
        """An attempt failed; `state`: the stage the record reached before it (as `advance`), in one transaction."""
        if self.ledger is not None and not self.planning:
            entry = self.ledger.record_failure(self.kind, key, error, retryable=error.retryable,
                                               payload=payload, source_version=version, state=state,
                                               stages=self._held(stages))
            self._entries[key] = entry
            self.failure_entries[error] = entry

    def due_retries(self, states: Iterable[str] | None = None) -> list[str]:
        """Keys whose retry is due; with `states`, only records that stopped at one of those stages."""
        if self.ledger is None or not self.retries:
            return []
        due: list[str] = self.ledger.due_retries(self.kind, states=states)  # @patient hides the ledger's types
        return due

    def reached(self, key: str, times: StageTimes) -> None:
        """When the record reached these stages (ledger/stages.py); each keeps its first time.

        Only a run holding claims records them: a gate without a run (a dry run) writes nothing.
        """
        if self.ledger is not None and self.run is not None:
            self.ledger.record_stages(self.kind, key, times)

    def _held(self, stages: StageTimes | None) -> StageTimes | None:
        return stages if self.run is not None else None  # as `reached`: only a run holding claims records them

    def advance(self, key: str, state: str) -> None:
        """Move the record forward to `state` (never backwards)."""
        if self.ledger is not None and not self.planning:
            self.ledger.mark(self.kind, key, state)


def version_of(changed: datetime | None) -> str | None:
    return changed.isoformat() if changed is not None else None


def no_gate(kind: Kind) -> Gate:
    return Gate(None, None, kind)


def admit_records(gate: Gate, records: list[V], key: Callable[[V], str], report: SyncReport,
                  progress: CursorBuilder) -> list[V]:
    """The records this run may write, oldest change first (so an aborted batch keeps its order).

    Records another run holds are reported and keep the cursor from moving past them.
    """
    admission = gate.admit({key(r): version_of(r.DateChanged) for r in records})
    report.note_admission(admission)
    hold_back(progress, records, admission.held_by_other_run, key)
    allowed = set(admission.keys)
    return sorted((r for r in records if key(r) in allowed), key=by_change_time)


def fetch_due_retries(gate: Gate, records: list[R], key: Callable[[R], str], fetch: Callable[[list[int]], list[F]],
                      states: Iterable[str] | None = None) -> list[F]:
    """The records due a retry that are not among `records` yet, fetched by id (their ledger keys are ERP ids).

    `states`: as for Gate.due_retries.
    """
    have = {key(r) for r in records}
    ids = [int(k) for k in gate.due_retries(states) if k.isdigit() and k not in have]
    return fetch(ids) if ids else []


def by_change_time(record: Versioned) -> tuple[bool, float]:
    changed = record.DateChanged
    return (changed is None, changed.timestamp() if changed else 0.0)
