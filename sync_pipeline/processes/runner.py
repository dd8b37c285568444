"""The one way a process runs: for a selection, over typed systems, with its ledger gate and cursor.

The Dagster assets, the dry run, re-drive, resync, the reliability tests' pipeline and the
benchmarks all call run(). A switched-off process reads and writes nothing, however it was
selected; its report says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

from sync_pipeline.ledger import Ledger, LedgerEntry
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.model import Step, SyncProcess
from sync_pipeline.processes.protocols import Erp, Wms
from sync_pipeline.processes.selection import ByKeys, ByNames, Delta, Selection
from sync_pipeline.processes.shared_reads import catalogue_wanted, shared_for_run
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.soap.unknown import watching
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate
from sync_pipeline.sync.report import SyncReport

SWEEP_SUFFIX = ":last_full_sweep"
UNKNOWN_ELEMENTS = "unknown elements"  # report detail: reply elements skipped because no description defines them
SWITCHED_OFF = "switched_off"  # report detail: why nothing was read or written


@dataclass(frozen=True)
class GateOptions:
    """How a run's ledger gate decides (sync/gate.py Gate)."""

    resend: bool = False
    retries: bool = True
    retry_now: bool = False
    verify: bool = False


@dataclass
class ProcessRun:
    report: SyncReport
    failure_entries: dict[RecordError, LedgerEntry] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    skipped_messages: list[str] = field(default_factory=list)  # unknown reply elements, one line each
    switched_off: str | None = None


def run(process: SyncProcess, selection: Selection, *, erp: Erp, wms: Wms, ledger: Ledger | None,
        config: ProcessConfig, run_id: str | None = None, claim_ttl: timedelta | None = None, resend: bool = False,
        retries: bool = True, planning: bool = False, operator: bool = False) -> ProcessRun:
    """Run `process` for `selection`.

    Delta: from the cursor saved in the ledger, reading everything again
    when the process's sweep is due; the new cursor is saved only when the run returns. Other
    selections neither read nor move the cursor. Every write is decided by what the target holds, as
    read (sync/writer.py), the ledger vouching only for what the read does not show.
    resend: write every record in scope even where the target holds it; retries=False: leave other
    records' due retries alone. operator: a run an operator started (a rematerialization, a partition
    re-run): records waiting out a backoff or dead-lettered are tried now, and what the ledger
    remembers as done is checked in the target. run_id: whose claims these are (the Dagster run's id;
    a fresh one if None); the steps of one run given the same `erp` read the product catalogue once
    (shared_reads.py). planning: the dry run (`erp`/`wms` plan their writes; records nothing).
    """
    off = process.switched_off(config)
    if off is not None:
        report = SyncReport(process.name)
        report.details[SWITCHED_OFF] = f"{off}: the {process.name} process is switched off; nothing was read or written"
        return ProcessRun(report, switched_off=off)
    erp = shared_for_run(erp, run_id if config.share_reads else None, wanted=catalogue_wanted(config))
    unknown: list[str] = []
    if isinstance(selection, ByNames):
        keys, unknown = process.named(erp, selection.names) if process.named else (list(selection.names), [])
        selection = ByKeys(tuple(keys))
    if not process.supports(selection):
        raise ValueError(f"the {process.name} process cannot read {type(selection).__name__}")
    cursor, sweep = None, False
    policy = process.cursor if isinstance(selection, Delta) else None
    if policy is not None:
        cursor = _saved_cursor(ledger, policy.name)
        sweep = not planning and ledger is not None and _sweep_due(ledger, policy.name, policy.sweep_every)
    with watching() as skipped:
        # A full sweep reads everything again; the ledger keeps it to the records that differ.
        gate_options = GateOptions(resend=resend, retries=retries, retry_now=operator, verify=operator or sweep)
        report, gate, outputs = _run_with_gate(process, selection, erp, wms, ledger, config, None if sweep else cursor,
                                               run_id, claim_ttl, gate_options, planning=planning)
    for name in unknown:
        report.fail(RecordError(key=name, message=f"not found in the source ({process.source})"))
    result = ProcessRun(report, gate.failure_entries, outputs)
    if counts := skipped.snapshot():
        result.skipped_messages = list(skipped.messages())
        report.details[UNKNOWN_ELEMENTS] = counts
    if policy is None:
        report.cursor = None
    elif not planning and ledger is not None:
        if report.cursor is not None:
            ledger.set_cursor(policy.name, report.cursor.to_json())
        if sweep:
            ledger.set_cursor(policy.name + SWEEP_SUFFIX, datetime.now(timezone.utc).isoformat())
            report.details["full_sweep"] = True
    return result


def _run_with_gate(process: SyncProcess, selection: Selection, erp: Erp, wms: Wms, ledger: Ledger | None,
                   config: ProcessConfig, cursor: Cursor | None, run_id: str | None, claim_ttl: timedelta | None,
                   options: GateOptions, *, planning: bool) -> tuple[SyncReport, Gate, dict[str, Any]]:
    def go(gate: Gate) -> tuple[SyncReport, Gate, dict[str, Any]]:
        step = Step(erp, wms, gate, config, cursor)
        return process.run(step, selection), gate, step.outputs

    if ledger is None or planning:
        return go(Gate(ledger, None, process.kind, planning=ledger is not None, **asdict(options)))
    ttl = {"ttl": claim_ttl} if claim_ttl is not None else {}
    with ledger.run(run_id or f"run-{uuid4()}", **ttl) as claims:
        return go(Gate(ledger, claims, process.kind, **asdict(options)))


def _saved_cursor(ledger: Ledger | None, name: str) -> Cursor | None:
    saved = ledger.get_cursor(name) if ledger is not None else None
    return Cursor.from_json(saved) if saved else None


def _sweep_due(ledger: Ledger, name: str, every: timedelta | None) -> bool:
    """Whether this run should read everything, not just the delta: once every `every`.

    A delta misses what changed while the cursor moved, and a product renamed or a record the
    source changed without moving its change time; the periodic sweep catches those.
    """
    if every is None:
        return False
    last = ledger.get_cursor(name + SWEEP_SUFFIX)
    if last is None:
        return True
    return datetime.now(timezone.utc) - datetime.fromisoformat(last) >= every
