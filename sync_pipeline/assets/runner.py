"""Running a sync process from an asset: its ledger gate and cursor in, its report out to the UI."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

import dagster as dg

from sync_pipeline.assets.reporting import (
    UNKNOWN_ELEMENTS,
    LedgerView,
    failed_records_check,
    last_cursor,
    report_metadata,
)
from sync_pipeline.ledger import Kind, Ledger
from sync_pipeline.resources import LedgerResource
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.soap.unknown import watching
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate
from sync_pipeline.sync.report import SyncReport

Process = Callable[[Gate, Cursor | None], SyncReport]
FULL_SWEEP_EVERY = timedelta(hours=24)
SWEEP_SUFFIX = ":last_full_sweep"


class RecordingGate(Gate):
    """A gate that also keeps each failure's ledger entry (attempts, next attempt) for the failures table."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.failure_entries: dict = {}

    def failed(self, key: str, error: RecordError, **kwargs) -> None:
        super().failed(key, error, **kwargs)
        entry = self._entries.get(key)
        if entry is not None:
            self.failure_entries[error] = entry


def run_process(context: dg.AssetExecutionContext, ledger: LedgerResource, kind: Kind, process: Process, *,
                cursor_name: str | None = None, resend: bool = False) -> SyncReport:
    """Run `process` with a gate on the ledger for this run and, with `cursor_name`, its delta cursor.

    The cursor lives in the ledger (so a run that fails half-way does not lose what it finished)
    and is shown in the materialization too. resend: write even what the target already holds
    (an operator's resync). The reply elements the run's clients skipped because no service
    description defines them are logged once each and shown in the materialization.
    """
    store = ledger.ledger(home=context.instance.root_directory)
    cursor, sweep = None, False
    if cursor_name is not None:
        cursor = saved_cursor(context, store, cursor_name)
        sweep = _sweep_due(store, cursor_name)
    release_finished_runs(context.instance, store, context.run.run_id)
    with store.run(context.run.run_id) as claims, watching() as skipped:
        gate = RecordingGate(store, claims, kind, resend=resend)
        # A full sweep reads everything again; the ledger keeps it to the records that differ.
        report = process(gate, None if sweep else cursor)
    if counts := skipped.snapshot():
        for message in skipped.messages():
            context.log.info(message)
        report.details[UNKNOWN_ELEMENTS] = counts
    if cursor_name is not None and report.cursor is not None:
        store.set_cursor(cursor_name, report.cursor.to_json())
    if sweep:
        store.set_cursor(cursor_name + SWEEP_SUFFIX, datetime.now(timezone.utc).isoformat())
        report.details["full_sweep"] = True
    report.ledger = LedgerView(kind, gate.failure_entries, store.dead_letters(kind))
    return report


def saved_cursor(context: dg.AssetExecutionContext, store: Ledger, cursor_name: str,
                 asset_key: dg.AssetKey | None = None) -> Cursor | None:
    """The process's delta cursor: the ledger's, else the one its asset's last materialization shows."""
    saved = store.get_cursor(cursor_name)
    return Cursor.from_json(saved) if saved else last_cursor(context, asset_key)


def _sweep_due(store: Ledger, cursor_name: str) -> bool:
    """Whether this run should read everything, not just the delta: once every FULL_SWEEP_EVERY.

    A delta misses what changed while the cursor moved, and a product renamed or a record the
    source changed without moving its change time; the periodic sweep catches those.
    """
    last = store.get_cursor(cursor_name + SWEEP_SUFFIX)
    if last is None:
        return True
    return datetime.now(timezone.utc) - datetime.fromisoformat(last) >= FULL_SWEEP_EVERY


def release_finished_runs(instance: dg.DagsterInstance, store: Ledger, own_run_id: str) -> list[str]:
    """Release the claims of runs this instance reports finished, rather than wait for their ttl.

    A run releases its claims as it ends; one that could not (its ledger database was away at that
    moment) leaves them until they expire. Runs the instance does not know are left alone.
    """
    released = []
    for run_id in store.claim_holders():
        run = instance.get_run_by_id(run_id) if run_id != own_run_id else None
        if run is not None and run.is_finished:
            store.release(run_id)
            released.append(run_id)
    return released


def materialize(context: dg.AssetExecutionContext, report: SyncReport,
                metadata: dict[str, object] | None = None) -> Iterator[object]:
    yield dg.MaterializeResult(metadata={**report_metadata(report), **(metadata or {})})
    yield failed_records_check(report, context.asset_key)
