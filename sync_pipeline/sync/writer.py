"""One write per record, with its outcome counted, reported and recorded in the ledger.

A refused record or a record whose write keeps failing is reported and the batch goes on. Two
things stop the batch instead: credentials the service refuses (every record would fail), and
several retryable failures in a row (the service is down or throttling us: the records not yet
tried stay for the next run, and the cursor is not moved past them).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Callable

from sync_pipeline.ledger import Stage
from sync_pipeline.soap.errors import AuthenticationError, RecordError, RetryableError, SyncError
from sync_pipeline.sync.gate import Gate, StageTimes
from sync_pipeline.sync.refused_field import field_named_in
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.wms.held import Holding


class Outcome(Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    LOCKED = "locked"  # left as it is: the target may not change it now (an order the warehouse works on)
    FAILED = "failed"


@dataclass(frozen=True)
class Progress:
    """How far a record got, recorded with its outcome in the same ledger transaction (one per record).

    reached: the state it had reached before this write, kept if the write fails (an order shipped in
    the WMS whose report failed stays shipped). stages: stage times known already, recorded with either
    outcome. if_written: stage times recorded only with a success. written: the stage the confirmed
    write itself is, timed when the confirmation arrives.
    """

    reached: str | None = None
    stages: StageTimes = dataclass_field(default_factory=dict)
    if_written: StageTimes = dataclass_field(default_factory=dict)
    written: Stage | None = None

    def on_success(self) -> StageTimes:
        moment = {self.written: datetime.now(timezone.utc)} if self.written is not None else {}
        return {**self.stages, **self.if_written, **moment}


NO_PROGRESS = Progress()


class BatchAborted(RetryableError):
    """Too many records in a row failed for reasons outside them; the rest wait for the next run."""


class RecordWriter:
    def __init__(self, gate: Gate, report: SyncReport, *, max_failures_in_a_row: int = 3):
        self.gate, self.report = gate, report
        self.max_failures_in_a_row = max_failures_in_a_row
        self._in_a_row = 0

    def write(self, key: str, label: str, payload: Any, send: Callable[[], Any], *, version: str | None = None,
              state: str | None = None, wms_id: Callable[[Any], Any] | None = None,
              check_unchanged: bool = True, holding: Holding = Holding.UNREAD,
              progress: Progress = NO_PROGRESS) -> Outcome:
        """Send `payload` unless the target already holds it; `label` names the record for operators.

        holding: how the target holds it, as read (wms/held.py). check_unchanged=False for writes whose
        need was established otherwise (stock: the comparison). progress: stage and times recorded with
        the outcome.
        """
        if check_unchanged and not self.needs_write(key, payload, holding):
            return Outcome.UNCHANGED
        try:
            result, error = send(), None
        except SyncError as exc:
            result, error = None, exc
        return self.record(key, label, payload, result, error, version=version, state=state, wms_id=wms_id,
                           progress=progress)

    def needs_write(self, key: str, payload: Any, holding: Holding = Holding.UNREAD) -> bool:
        """False (and counted unchanged) when the target already holds exactly this payload."""
        if self.gate.unchanged(key, payload, holding):
            self.report.unchanged += 1
            return False
        return True

    def record(self, key: str, label: str, payload: Any, result: Any, error: SyncError | None, *,
               version: str | None = None, state: str | None = None,
               wms_id: Callable[[Any], Any] | None = None, progress: Progress = NO_PROGRESS,
               counted: bool = True) -> Outcome:
        """The outcome of a write that was sent: its result, or the error its send raised.

        counted=False: a failed send is not counted towards the failures in a row (the records of one
        call that carried several: the call counts once, with its last record).
        """
        if isinstance(error, AuthenticationError):
            raise error
        if error is not None:
            self.fail(key, RecordError(key=label, message=str(error), retryable=error.retryable),
                      payload=payload, version=version, progress=progress)
            if counted:
                self._count_streak(error)
            return Outcome.FAILED
        self._in_a_row = 0
        refused = refusal(result)
        if refused is not None:
            field = refused.field or field_named_in(refused.message, payload)
            self.fail(key, RecordError(key=label, message=refused.message, field=field,
                                       retryable=refused.retryable), payload=payload, version=version,
                      progress=progress)
            return Outcome.FAILED
        self.gate.succeeded(key, payload, version=version, state=state, stages=progress.on_success(),
                            wms_id=wms_id(result) if wms_id is not None else None)
        return Outcome.WRITTEN

    def fail(self, key: str, error: RecordError, *, payload: Any = None, version: str | None = None,
             progress: Progress = NO_PROGRESS) -> None:
        """A record that did not go through: reported to the operator, recorded for retry or dead letter."""
        self.report.fail(error)
        self.gate.failed(key, error, payload=payload, version=version, state=progress.reached,
                         stages=progress.stages)

    def _count_streak(self, exc: SyncError) -> None:
        if not exc.retryable:
            self._in_a_row = 0
            return
        self._in_a_row += 1
        if self._in_a_row >= self.max_failures_in_a_row:
            raise BatchAborted(f"{self._in_a_row} records in a row failed, the rest wait for the next run: {exc}")


def refusal(result: Any) -> RecordError | None:
    """The per-record error in a write's result: a WMS WriteResult, or the ERP's RecordError | None."""
    if result is None or isinstance(result, RecordError):
        return result
    if getattr(result, "success", True):
        return None
    error: RecordError | None = result.record_error()  # a WMS WriteResult's
    return error
