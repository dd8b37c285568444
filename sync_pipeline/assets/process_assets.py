"""The process assets, made from the registry: one delta asset per process, one daily resync asset where
declared, each with its failed-records check. Every one runs its process through processes/runner.py.

A switched-off process's asset writes nothing when materialized however it was selected ("Materialize
all", --select, a job): its materialization says it is switched off.
"""

import warnings
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterator

import dagster as dg

from sync_pipeline.assets.history import stock_drift_metadata
from sync_pipeline.assets.merchant_scope import daily_partitions, merchant_of
from sync_pipeline.assets.scope import (
    ProcessRunConfig,
    ResyncConfig,
    ScopeRefused,
    automated,
    described,
    selection_for,
)
from sync_pipeline.assets.reporting import (
    FIRST_REASONS,
    MAX_NAMED_RECORDS,
    MAX_REASONS,
    OWNERS,
    LedgerView,
    failed_records_check,
    no_failed_records_spec,
    refused_records_failure,
    report_metadata,
)
from sync_pipeline.assets.stock_history_io import stock_history_io_manager
from sync_pipeline.ledger import Kind, Ledger
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.model import AssetDeclaration, ReportCheck, SyncProcess
from sync_pipeline.processes.registry import PROCESSES
from sync_pipeline.processes.selection import ByNames, Delta, Everything, Selection, Window
from sync_pipeline.processes.stock import SNAPSHOT
from sync_pipeline.tenants import Merchant, Merchants
from sync_pipeline.sync.report import SyncReport

if TYPE_CHECKING:
    from sync_pipeline.stock.snapshot import StockSnapshot

RESYNC_START = "2026-01-01"
# One partition per UTC day; end_offset=1 adds today's (still running) day, so "today" can be re-run.
daily = dg.DailyPartitionsDefinition(start_date=RESYNC_START, timezone="UTC", end_offset=1)


def run_in_dagster(context: dg.AssetExecutionContext | dg.OpExecutionContext, process: SyncProcess,
                   selection: Selection, merchant: Merchant, **options: Any) -> runner.ProcessRun:
    """The runner for one merchant, with this run's id and the merchant's ledger; the skipped reply elements
    logged, the ledger's view kept."""
    store = merchant.ledger(home=context.instance.root_directory)
    release_finished_runs(context.instance, store, context.run.run_id)
    result = runner.run(process, selection, erp=merchant.erp(), wms=merchant.wms(), ledger=store,
                        config=ProcessConfig.from_settings(merchant.settings), run_id=context.run.run_id, **options)
    if result.switched_off is not None:
        context.log.warning(result.report.details[runner.SWITCHED_OFF])
    for message in result.skipped_messages:
        context.log.info(message)
    result.report.ledger = LedgerView(process.kind, result.failure_entries, store.dead_letters(process.kind))
    return result


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
                metadata: dict[str, object] | None = None, value: object = None,
                checks: tuple[ReportCheck, ...] = ()) -> Iterator[object]:
    """The materialization; with a `value`, as an Output, which the asset's IO manager stores.

    A day's partition (of a daily resync, or a merchant's day) whose run refused records fails instead,
    once every record was tried (its check an error): the partition shows failed until a run of it goes
    through. A delta run only warns (its check), a merchant's as well: the next run goes on from its
    cursor, and the ledger retries the refused records.
    """
    full = {**report_metadata(report), **(metadata or {})}
    if context.has_partition_key and daily_partitions(context.assets_def.partitions_def) and report.failed:
        yield failed_records_check(report, context.asset_key, dg.AssetCheckSeverity.ERROR)
        raise refused_records_failure(report, context.asset_key.to_user_string(), context.partition_key, full)
    yield dg.MaterializeResult(metadata=full) if value is None else dg.Output(value, metadata=full)
    yield failed_records_check(report, context.asset_key)
    for check in checks:
        yield report_check(check, report, context.asset_key)


def report_check(check: ReportCheck, report: SyncReport, asset_key: dg.AssetKey) -> dg.AssetCheckResult:
    """A process's own warning check, from the records its report lists under the check's detail."""
    listed: dict[str, object] = report.details.get(check.detail) or {}
    records = list(listed)
    named = ", ".join(records[:MAX_NAMED_RECORDS]) + (f", … ({len(records)})" if len(records) > MAX_NAMED_RECORDS else "")
    return dg.AssetCheckResult(
        asset_key=asset_key, check_name=check.name, passed=not records, severity=dg.AssetCheckSeverity.WARN,
        metadata={"failed": len(records), "records": named,
                  FIRST_REASONS: dg.MetadataValue.json([check.reason(r, listed[r]) for r in records[:MAX_REASONS]])},
        description=f"{len(records)} {check.listed}" if records else f"no {check.listed}")


def stock_cycle_rows(context: dg.AssetExecutionContext, result: runner.ProcessRun) -> object:
    """The stock cycle's rows for StockHistoryIOManager, or None when the run compared nothing."""
    from sync_pipeline.stock.history import cycle_rows  # pandas, for the stock runs only

    snapshot: StockSnapshot | None = result.outputs.get(SNAPSHOT)
    if snapshot is None or snapshot.frames is None:
        return None
    return cycle_rows(snapshot.frames, taken_at=snapshot.taken_at, run_id=context.run.run_id, basis=snapshot.basis)


def outputs_metadata(context: dg.AssetExecutionContext, result: runner.ProcessRun) -> dict[str, object]:
    """What a run kept besides its report, for the UI: the stock comparison's snapshot."""
    snapshot: StockSnapshot | None = result.outputs.get(SNAPSHOT)
    if snapshot is None:
        return {}
    return {
        "snapshot": dg.MetadataValue.md(snapshot.to_markdown()),
        "differences": dg.MetadataValue.int(snapshot.counts.get("changed", 0)),
        **stock_drift_metadata(context, snapshot),
    }


def _asset_options(process: SyncProcess, declaration: AssetDeclaration, pooled: bool = True) -> dict[str, Any]:
    description = (f"{declaration.description}\n\nReads: {process.source}. Writes: {process.target}. "
                   f"One record: {process.record_key}.")
    return dict(name=declaration.key, group_name=declaration.group, kinds=set(declaration.kinds), owners=OWNERS,
                deps=list(declaration.deps), check_specs=[no_failed_records_spec(declaration.key), *(
                    dg.AssetCheckSpec(name=c.name, asset=declaration.key, description=c.description)
                    for c in declaration.checks)],
                pool=declaration.pool if pooled else None, description=description)


def _asset_decorator(process: SyncProcess, declaration: AssetDeclaration, pooled: bool = True, **options: Any) -> Any:
    """dg.asset for a declaration; a stock asset gets StockHistoryIOManager, which appends each cycle's rows."""
    if process.kind is Kind.STOCK:
        options["io_manager_def"] = stock_history_io_manager
    with warnings.catch_warnings():  # io_manager_def is "beta" in Dagster 1.13; it is what keeps the rows here
        warnings.simplefilter("ignore", dg.BetaWarning)
        return dg.asset(**_asset_options(process, declaration, pooled), **options)


def process_asset(process: SyncProcess, pooled: bool = True) -> dg.AssetsDefinition:
    """The process's delta asset: what changed since its cursor, written where the target needs it.

    `pooled`: its writing step takes the one-writer pool (one merchant). With many merchants, runs of one
    merchant are kept one at a time by the run queue instead (docs/deploy.md): a pool is shared by all."""

    @_asset_decorator(process, process.asset, pooled)
    def _asset(context: dg.AssetExecutionContext, config: ProcessRunConfig, merchants: dg.ResourceParam[Merchants]):
        merchant = merchant_of(context, merchants)
        selection, operator = selection_for(config, context.run)
        if isinstance(selection, Everything) and not process.supports(selection):
            selection = Delta()  # a process that reads only its changes
        elif not isinstance(selection, ByNames) and not process.supports(selection):
            raise ScopeRefused(f"the {process.name} process cannot read {described(selection, operator)}: "
                               "name its records, or leave changed_from/changed_before out")
        result = run_in_dagster(context, process, selection, merchant, resend=config.force, operator=operator)
        rows = stock_cycle_rows(context, result)
        metadata = {"read": dg.MetadataValue.text(described(selection, operator)), **outputs_metadata(context, result)}
        yield from materialize(context, result.report, metadata, rows, process.asset.checks)

    return _asset


def _utc(moment: datetime) -> datetime:
    return datetime.fromtimestamp(moment.timestamp(), tz=timezone.utc)


def resync_asset(process: SyncProcess, declaration: AssetDeclaration, pooled: bool = True) -> dg.AssetsDefinition:
    """The process's daily-partitioned asset: one UTC day again, each record written where the target does
    not hold it as the source says (`force` in the launchpad: every record of the day). Never reads or moves
    the delta asset's cursor. See docs/operations-partitions.md."""

    @_asset_decorator(process, declaration, pooled, partitions_def=daily)
    def _asset(context: dg.AssetExecutionContext, config: ResyncConfig, merchants: dg.ResourceParam[Merchants]):
        merchant = merchant_of(context, merchants)
        window = context.partition_time_window
        start, end = _utc(window.start), _utc(window.end)
        result = run_in_dagster(context, process, Window(start, end), merchant, resend=config.force,
                                operator=not automated(context.run))
        metadata = outputs_metadata(context, result)
        if SNAPSHOT in result.outputs:
            metadata["day"] = dg.MetadataValue.text(f"{start:%Y-%m-%d}")
            metadata["compared_at"] = dg.MetadataValue.text(
                datetime.now(timezone.utc).isoformat(timespec="seconds"))
        else:
            metadata["window"] = dg.MetadataValue.text(f"{start.isoformat()} to {end.isoformat()} "
                                                       "(UTC, end excluded)")
        rows = stock_cycle_rows(context, result)
        yield from materialize(context, result.report, metadata, rows, declaration.checks)

    return _asset


def process_assets(pooled: bool = True) -> dict[str, dg.AssetsDefinition]:
    """Every process's delta asset, by key."""
    return {p.asset.key: process_asset(p, pooled) for p in PROCESSES}


def resync_assets(pooled: bool = True) -> dict[str, dg.AssetsDefinition]:
    """Every daily resync asset, by key."""
    return {p.resync.key: resync_asset(p, p.resync, pooled) for p in PROCESSES if p.resync is not None}


PROCESS_ASSETS = process_assets()
RESYNC_ASSETS = resync_assets()
