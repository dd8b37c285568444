"""The Dagster code location: assets per process, jobs, schedules, sensors and resources.

One merchant (the environment's SO24_*/ONGOING_* variables) or, with SYNC_TENANTS_FILE, every merchant the
file lists: then every asset that serves a merchant is partitioned by merchant (the daily resyncs by
merchant x day), and each merchant has its own schedule and order sensors (docs/tenants.md).
"""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg

from sync_pipeline.assets.drift import drift_report
from sync_pipeline.assets.dry_run import dry_run_plan
from sync_pipeline.assets.failed_records import failed_records, failed_records_sensor
from sync_pipeline.assets.latency import order_latency
from sync_pipeline.assets.merchant_scope import by_merchant, merchant_partitions
from sync_pipeline.assets.process_assets import process_assets, resync_assets
from sync_pipeline.automation.alert_sensors import alert_notifier, alert_sensors
from sync_pipeline.automation.engine import engine_executor
from sync_pipeline.automation.jobs import build_jobs
from sync_pipeline.automation.reconcile import reconcile_job, reconcile_schedule
from sync_pipeline.automation.schedules import nightly_resync_schedule, sync_schedule
from sync_pipeline.automation.sensors import erp_order_sensor, wms_shipped_sensor
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import PROCESSES, process_named, process_of_asset
from sync_pipeline.resources import resources_from_env
from sync_pipeline.tenants import Merchants
from sync_pipeline.tenants.deployment import load_deployment


def _secrets(merchants: Merchants) -> Callable[[], list[str]]:
    """The values no alert may show: every merchant's passwords (the webhook URL is masked by the notifier)."""
    return lambda: [secret.get_secret_value() for m in merchants
                    for secret in (m.settings.so24_password, m.settings.ongoing_password)]


def with_switch(spec: dg.AssetSpec, merchants: Merchants) -> dg.AssetSpec:
    """Tag each process asset with its switch, so the asset graph tells what is on and what is off."""
    process = process_of_asset(spec.key.to_user_string())
    if process is None:
        return spec
    off = {m.key: process.switched_off(ProcessConfig.from_settings(m.settings)) for m in merchants}
    if all(reason is None for reason in off.values()):
        return spec.replace_attributes(tags={**spec.tags, "process": "on"})
    if merchants.partitioned:
        names = ", ".join(f"{key} ({reason})" for key, reason in off.items() if reason is not None)
        on = any(reason is None for reason in off.values())
        text = f"SWITCHED OFF for {names}" if on else f"SWITCHED OFF ({next(iter(off.values()))})"
    else:
        on, text = False, f"SWITCHED OFF ({off[None]})"
    return spec.replace_attributes(tags={**spec.tags, "process": "on" if on else "off"},
                                   description=f"{text}. {spec.description}")


def serving_merchants(spec: dg.AssetSpec, partitions: dg.StaticPartitionsDefinition | None) -> dg.AssetSpec:
    """With a tenants file, an asset serving a merchant is partitioned by merchant (merchant x day if daily)."""
    if partitions is None or spec.key == failed_records.key:
        return spec
    return spec.replace_attributes(partitions_def=by_merchant(spec.partitions_def, partitions))


def build_definitions() -> dg.Definitions:
    settings, merchants = load_deployment()
    every = [m.settings for m in merchants]
    keys = merchants.keys
    jobs = build_jobs(*every)
    jobs["reconcile"] = reconcile_job()
    notifier = alert_notifier(settings, secrets=_secrets(merchants))
    sensors = alert_sensors(settings, notifier, keys)
    schedules = [reconcile_schedule(jobs["reconcile"], keys)]
    for merchant in merchants:
        config = ProcessConfig.from_settings(merchant.settings)
        on = [name for name in ("orders", "shipped") if process_named(name).switched_off(config) is None]
        interval = settings.sync_sensor_interval_seconds
        if "orders" in on and "push_orders" in jobs:
            sensors.append(erp_order_sensor(jobs["push_orders"], notifier, merchant.settings.sync_order_status,
                                            interval, merchant.key))
        if "shipped" in on and "report_shipped" in jobs:
            sensors.append(wms_shipped_sensor(jobs["report_shipped"], notifier, merchant.settings.sync_wms_sent_status,
                                              merchant.settings.sync_shipped_sensor_interval_seconds or interval,
                                              merchant.key))
        if merchant.key is None or any(p.switched_off(config) is None for p in PROCESSES):
            schedules.append(sync_schedule(jobs["sync_all"], merchant.settings.sync_interval_minutes, merchant.key))
    sensors.append(failed_records_sensor(settings.sync_sensor_interval_seconds))
    if "resync_day" in jobs:
        schedules.append(nightly_resync_schedule(jobs["resync_day"], keys))
    pooled = not merchants.partitioned
    assets = [*process_assets(pooled).values(), *resync_assets(pooled).values(), dry_run_plan, drift_report,
              order_latency, failed_records]
    partitions = merchant_partitions(merchants)
    return dg.Definitions(
        assets=dg.map_asset_specs(lambda spec: serving_merchants(with_switch(spec, merchants), partitions), assets),
        jobs=list(jobs.values()),
        schedules=schedules,
        sensors=sensors,
        resources=resources_from_env(settings, merchants),
        executor=engine_executor(settings),
    )


defs = build_definitions()
