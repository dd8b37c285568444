"""Jobs: one cycle of every enabled process, and the fast paths the sensors start."""

from __future__ import annotations

import dagster as dg

from sync_pipeline.assets.redrive import redrive_record_job

PROCESS_ASSETS = {
    "articles": ["wms_articles"],
    "suppliers": ["wms_suppliers"],
    "orders": ["wms_orders", "erp_shipped_orders"],
    "stock": ["stock_snapshot"],
}
# The daily-partitioned assets an operator re-runs one UTC day of (sync_pipeline/assets/resync.py).
PROCESS_RESYNC_ASSETS = {"orders": ["orders_resync"], "stock": ["stock_resync"]}


def enabled_assets(settings) -> list[str]:
    switches = {"articles": settings.sync_articles, "suppliers": settings.sync_suppliers,
                "orders": settings.sync_orders, "stock": settings.sync_stock}
    assets = [name for process, on in switches.items() if on for name in PROCESS_ASSETS[process]]
    if settings.sync_orders and not settings.sync_report_shipped:
        assets.remove("erp_shipped_orders")
    return assets


def enabled_resync_assets(settings) -> list[str]:
    switches = {"orders": settings.sync_orders, "stock": settings.sync_stock}
    return [name for process, on in switches.items() if on for name in PROCESS_RESYNC_ASSETS[process]]


def build_jobs(settings) -> dict[str, dg.UnresolvedAssetJobDefinition | dg.JobDefinition]:
    enabled = enabled_assets(settings)
    jobs = {"sync_all": dg.define_asset_job(
        "sync_all", selection=dg.AssetSelection.assets(*enabled) if enabled else dg.AssetSelection.assets(),
        description="One cycle of every enabled process, in dependency order (articles before orders).",
    )}
    if settings.sync_orders:
        # Articles first: a new order often names a new product, and an order refused for a missing
        # article waits out a retry backoff before it goes again.
        fast_path = [name for name in ("wms_articles", "wms_orders") if name in enabled]
        jobs["push_orders"] = dg.define_asset_job(
            "push_orders", selection=dg.AssetSelection.assets(*fast_path),
            description="Push new or changed ERP orders to the warehouse, after any changed articles "
                        "(started by the ERP order sensor).")
    if settings.sync_orders and settings.sync_report_shipped:
        jobs["report_shipped"] = dg.define_asset_job(
            "report_shipped", selection=dg.AssetSelection.assets("erp_shipped_orders"),
            description="Report shipped orders to the ERP (started by the WMS shipped-order sensor).")
    jobs["dry_run"] = dg.define_asset_job(
        "dry_run", selection=dg.AssetSelection.assets("dry_run_plan"),
        description="The writes one sync_all cycle would make, with before and after, without making any "
                    "(asset dry_run_plan).")
    resync = enabled_resync_assets(settings)
    if resync:
        jobs["resync_day"] = dg.define_asset_job(
            "resync_day", selection=dg.AssetSelection.assets(*resync),
            description="One UTC day again (daily partitions): that day's orders pushed once more, "
                        "and the day's stock reconciliation.")
    jobs["redrive_record"] = redrive_record_job
    return jobs
