"""Jobs: one cycle of every enabled process, and the fast paths the sensors start."""

from __future__ import annotations

import dagster as dg

PROCESS_ASSETS = {
    "articles": ["wms_articles"],
    "suppliers": ["wms_suppliers"],
    "orders": ["wms_orders", "erp_shipped_orders"],
    "stock": ["stock_snapshot"],
}


def enabled_assets(settings) -> list[str]:
    switches = {"articles": settings.sync_articles, "suppliers": settings.sync_suppliers,
                "orders": settings.sync_orders, "stock": settings.sync_stock}
    assets = [name for process, on in switches.items() if on for name in PROCESS_ASSETS[process]]
    if settings.sync_orders and not settings.sync_report_shipped:
        assets.remove("erp_shipped_orders")
    return assets


def build_jobs(settings) -> dict[str, dg.UnresolvedAssetJobDefinition]:
    enabled = enabled_assets(settings)
    jobs = {"sync_all": dg.define_asset_job(
        "sync_all", selection=dg.AssetSelection.assets(*enabled) if enabled else dg.AssetSelection.assets(),
        description="One cycle of every enabled process, in dependency order (articles before orders).",
    )}
    if settings.sync_orders:
        jobs["push_orders"] = dg.define_asset_job(
            "push_orders", selection=dg.AssetSelection.assets("wms_orders"),
            description="Push new or changed ERP orders to the warehouse (started by the ERP order sensor).")
    if settings.sync_orders and settings.sync_report_shipped:
        jobs["report_shipped"] = dg.define_asset_job(
            "report_shipped", selection=dg.AssetSelection.assets("erp_shipped_orders"),
            description="Report shipped orders to the ERP (started by the WMS shipped-order sensor).")
    return jobs
