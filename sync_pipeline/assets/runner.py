"""Running a sync process from an asset: its ledger gate and cursor in, its report out to the UI."""

from __future__ import annotations

from typing import Callable, Iterator

import dagster as dg

from sync_pipeline.assets.reporting import failed_records_check, last_cursor, report_metadata
from sync_pipeline.ledger import Kind
from sync_pipeline.resources import LedgerResource
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate
from sync_pipeline.sync.report import SyncReport

Process = Callable[[Gate, Cursor | None], SyncReport]


def run_process(context: dg.AssetExecutionContext, ledger: LedgerResource, kind: Kind, process: Process, *,
                cursor_name: str | None = None, resend: bool = False) -> SyncReport:
    """Run `process` with a gate on the ledger for this run and, with `cursor_name`, its delta cursor.

    The cursor lives in the ledger (so a run that fails half-way does not lose what it finished)
    and is shown in the materialization too. resend: write even what the target already holds
    (an operator's resync).
    """
    store = ledger.ledger(home=context.instance.root_directory)
    cursor = None
    if cursor_name is not None:
        saved = store.get_cursor(cursor_name)
        cursor = Cursor.from_json(saved) if saved else last_cursor(context)
    with store.run(context.run.run_id) as claims:
        report = process(Gate(store, claims, kind, resend=resend), cursor)
    if cursor_name is not None and report.cursor is not None:
        store.set_cursor(cursor_name, report.cursor.to_json())
    return report


def materialize(context: dg.AssetExecutionContext, report: SyncReport,
                metadata: dict[str, object] | None = None) -> Iterator[object]:
    yield dg.MaterializeResult(metadata={**report_metadata(report), **(metadata or {})})
    yield failed_records_check(report, context.asset_key)
