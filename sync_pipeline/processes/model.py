"""A sync process as one declarative object: what it syncs, how it reads, writes, remembers and shows.

One module per process declares one SyncProcess (articles.py, suppliers.py, orders.py, shipped.py,
stock.py); registry.py lists them. The runner (runner.py) runs any of them, and the Dagster layer
(assets/process_assets.py) makes their assets, checks, jobs and dry-run steps from these fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable, Sequence

from sync_pipeline.ledger import Kind
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.protocols import Erp, Wms
from sync_pipeline.processes.selection import Selection
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate
from sync_pipeline.sync.report import SyncReport

SOAP_KINDS = frozenset({"soap", "24sevenoffice", "ongoing"})
ONGOING_WRITES = "ongoing_writes"  # the pool of assets writing to the warehouse: one writer per goods owner
FULL_SWEEP_EVERY = timedelta(hours=24)


@dataclass(frozen=True)
class ReportCheck:
    """A warning check of the asset beside no_failed_records: it fails when the run's report lists records
    under `detail` (a dict: record -> what of it), which went through but need a person's eye. Each run
    lists only what it wrote, so a record is alerted once (by the check-failure alert)."""

    name: str
    detail: str
    description: str
    listed: str  # what the check's result says of the listed records: "order(s) shipped short"
    reason: Callable[[str, Any], str]  # (record, its detail) -> the sentence an alert quotes


@dataclass(frozen=True)
class AssetDeclaration:
    """The process's Dagster asset: key, group, what it needs first, and what the UI says of it."""

    key: str
    group: str
    description: str
    deps: tuple[str, ...] = ()
    kinds: frozenset[str] = SOAP_KINDS
    pool: str | None = ONGOING_WRITES
    checks: tuple[ReportCheck, ...] = ()


@dataclass(frozen=True)
class CursorPolicy:
    """Where the delta cursor is kept (by name, in the ledger) and how often everything is read again."""

    name: str
    sweep_every: timedelta | None = FULL_SWEEP_EVERY


@dataclass
class Step:
    """One run of a process: its systems, its ledger gate, its config and where its delta starts."""

    erp: Erp
    wms: Wms
    gate: Gate
    config: ProcessConfig
    cursor: Cursor | None
    outputs: dict[str, Any] = field(default_factory=dict)  # what a run keeps besides its report (a snapshot)


Run = Callable[[Step, Selection], SyncReport]
# (erp, names) -> (the records' keys, the names nothing in the source has)
Named = Callable[[Erp, Sequence[str]], tuple[list[str], list[str]]]


@dataclass(frozen=True)
class SyncProcess:
    name: str
    kind: Kind  # the ledger's kind of record
    record_key: str  # what the ledger key of one record is
    source: str  # what it reads
    target: str  # what it writes, and by which operation
    mapper: Callable[..., Any] | None  # source record -> target payload
    run: Run  # reads the selection, maps and writes through the gate
    selections: tuple[type, ...]  # the selections `run` supports
    switches: tuple[str, ...]  # settings fields that must all be on (SYNC_...)
    asset: AssetDeclaration
    cursor: CursorPolicy | None = None
    resync: AssetDeclaration | None = None  # the daily-partitioned asset re-running one UTC day, if any
    named: Named | None = None  # operators' names for records -> ledger keys; None: the names are the keys

    def switched_off(self, config: ProcessConfig) -> str | None:
        """Why the process may not run, as the operator sets it (e.g. "SYNC_SUPPLIERS=off"); None when on."""
        off = [switch.upper() for switch in self.switches if not config.switched_on(switch)]
        return ", ".join(f"{name}=off" for name in off) or None

    def supports(self, selection: Selection) -> bool:
        return isinstance(selection, self.selections)
