"""Jobs: one cycle of every enabled process, and the fast paths the sensors start (from the registry)."""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from sync_pipeline.assets.redrive import redrive_record_job
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.model import SyncProcess
from sync_pipeline.processes.registry import PROCESSES, process_named
from sync_pipeline.settings import Settings


def enabled_assets(*settings: Settings) -> list[str]:
    """The processes' assets switched on for any of these merchants' settings, in the registry's order."""
    return [p.asset.key for p in _switched_on(settings)]


def enabled_resync_assets(*settings: Settings) -> list[str]:
    """The daily resync assets (sync_pipeline/assets/process_assets.py) of those processes."""
    return [p.resync.key for p in _switched_on(settings) if p.resync is not None]


def _switched_on(settings: Sequence[Settings]) -> list[SyncProcess]:
    configs = [ProcessConfig.from_settings(one) for one in settings]
    return [p for p in PROCESSES if any(p.switched_off(config) is None for config in configs)]


def build_jobs(*settings: Settings) -> dict[str, dg.UnresolvedAssetJobDefinition | dg.JobDefinition]:
    """The jobs; with many merchants (their settings given), a process's assets are in a job when it is on for
    any of them (a merchant for whom it is off gets a materialization saying so, nothing written)."""
    enabled = enabled_assets(*settings)
    articles, orders, shipped = (process_named(name).asset.key for name in ("articles", "orders", "shipped"))
    jobs = {"sync_all": dg.define_asset_job(
        "sync_all", selection=dg.AssetSelection.assets(*enabled) if enabled else dg.AssetSelection.assets(),
        description="One cycle of every enabled process, in dependency order (articles before orders).",
    )}
    if orders in enabled:
        # Articles first: a new order often names a new product, and an order refused for a missing
        # article waits out a retry backoff before it goes again.
        fast_path = [key for key in (articles, orders) if key in enabled]
        jobs["push_orders"] = dg.define_asset_job(
            "push_orders", selection=dg.AssetSelection.assets(*fast_path),
            description="Push new or changed ERP orders to the warehouse, after any changed articles "
                        "(started by the ERP order sensor, which leaves the articles out when the ledger has "
                        "every product its orders name as written).")
    if shipped in enabled:
        jobs["report_shipped"] = dg.define_asset_job(
            "report_shipped", selection=dg.AssetSelection.assets(shipped),
            description="Report shipped orders to the ERP (started by the WMS shipped-order sensor).")
    jobs["dry_run"] = dg.define_asset_job(
        "dry_run", selection=dg.AssetSelection.assets("dry_run_plan"),
        description="The writes one sync_all cycle would make, with before and after, without making any "
                    "(asset dry_run_plan).")
    resync = enabled_resync_assets(*settings)
    if resync:
        jobs["resync_day"] = dg.define_asset_job(
            "resync_day", selection=dg.AssetSelection.assets(*resync),
            description="One UTC day again (daily partitions): that day's orders pushed once more, "
                        "and the day's stock reconciliation.")
    jobs["redrive_record"] = redrive_record_job
    return jobs
