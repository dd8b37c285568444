"""Reconciliation: how far 24SevenOffice and Ongoing WMS have drifted apart, run by run."""

from datetime import datetime, timedelta, timezone

import dagster as dg

from sync_pipeline.assets.history import HISTORY_RUNS, merchant_partition, recent_metadata
from sync_pipeline.assets.merchant_scope import merchant_of
from sync_pipeline.assets.reporting import OWNERS, SOAP_KINDS
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import PROCESSES
from sync_pipeline.reconcile.drift import (CATEGORIES, Drift, DriftOptions, compare_systems, stock_articles,
                                           with_standings)
from sync_pipeline.reconcile.gather import read_systems
from sync_pipeline.reconcile.markdown import drift_history_markdown, drift_markdown
from sync_pipeline.settings import Settings
from sync_pipeline.tenants import Merchants

CHECK = "drift_within_threshold"


def drift_options(settings: Settings) -> DriftOptions:
    config = ProcessConfig.from_settings(settings)
    return DriftOptions(pull_status=settings.sync_order_status, shipped_status=settings.sync_shipped_erp_status,
                        wms_sent_status=settings.sync_wms_sent_status, stock_basis=settings.sync_stock_basis,
                        processes_on=frozenset(p.name for p in PROCESSES if p.switched_off(config) is None))


@dg.asset(
    group_name="reconciliation",
    kinds=SOAP_KINDS,
    owners=OWNERS,
    check_specs=[dg.AssetCheckSpec(
        name=CHECK, asset="drift_report",
        description="Fails (error) when more records differ between the two systems than SYNC_DRIFT_THRESHOLD "
                    "allows (default 0), changes still in transit not counted.")],
    description=(
        "Are the two systems in step? Reads both (writes nothing) and lists what differs: articles on one "
        "side only, orders in 24SevenOffice missing in the warehouse and the reverse, orders shipped in one "
        "system and not the other, and stock balances that differ, largest first, each with since when it "
        "has differed according to the kept stock cycles. Returns in the warehouse are listed per order and row "
        "(not counted): an order at WMS status 800 is a return, not a shipment. Changes younger than SYNC_DRIFT_GRACE_MINUTES that "
        "are still in flight are in transit and not counted. Keeps the counts of recent runs."
    ),
)
def drift_report(context: dg.AssetExecutionContext, merchants: dg.ResourceParam[Merchants]):
    merchant = merchant_of(context, merchants)
    settings = merchant.settings
    now = datetime.now(timezone.utc)
    grace = timedelta(minutes=settings.sync_drift_grace_minutes)
    options = drift_options(settings)
    systems = read_systems(merchant.erp(), merchant.wms(), merchant.ledger(home=context.instance.root_directory),
                           options, now=now, grace=grace)
    drift = compare_systems(systems, options, settled_before=now - grace)
    history = merchant.stock_history(context.instance.root_directory)
    with_standings(drift, history.standings(stock_articles(drift)))
    figures = _figures(drift)
    runs = [(now, figures), *recent_metadata(context.instance, context.asset_key, HISTORY_RUNS - 1,
                                             merchant_partition(context))]
    yield dg.MaterializeResult(metadata={
        **{name: dg.MetadataValue.int(value) for name, value in figures.items()},
        "drift": dg.MetadataValue.md(drift_markdown(drift, threshold=settings.sync_drift_threshold,
                                                    grace_minutes=settings.sync_drift_grace_minutes, at=now)),
        "history": dg.MetadataValue.md(drift_history_markdown(runs, drift.categories)),
        "summary": dg.MetadataValue.text(f"{drift.total} difference(s): {drift.summary()}"),
    })
    yield drift_check(drift, settings.sync_drift_threshold)


def _figures(drift: Drift) -> dict[str, int]:
    """The numbers kept per run (plotted by the UI, and read back for the history table)."""
    return {"drift_total": drift.total, **drift.counts(), "in_transit": drift.total_in_transit,
            "held_for_orders_in_flight": len(drift.held), "orders_held_for_customs": len(drift.customs_held),
            "orders_with_returns": len({row["order"] for row in drift.returns})}


def drift_check(drift: Drift, threshold: int) -> dg.AssetCheckResult:
    passed = drift.total <= threshold
    return dg.AssetCheckResult(
        asset_key="drift_report",
        check_name=CHECK,
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"drift_total": drift.total, "threshold": threshold, **drift.counts()},
        description=(f"{drift.total} difference(s) between the systems, threshold {threshold}"
                     + (f": {'; '.join(_named(drift))}" if drift.total else "")),
    )


def _named(drift: Drift, shown: int = 5) -> list[str]:
    """Each drifting category with its first records, so the alert says what to look at."""
    named = []
    for name, rows in drift.rows.items():
        if rows:
            keys = [str(row.get("order", row.get("article"))) for row in rows[:shown]]
            more = f" and {len(rows) - shown} more" if len(rows) > shown else ""
            named.append(f"{CATEGORIES[name]}: {', '.join(keys)}{more}")
    return named
