"""The Dagster code location: assets per process, jobs, schedules, sensors and resources."""

from __future__ import annotations

import dagster as dg

from sync_pipeline.assets.drift import drift_report
from sync_pipeline.assets.dry_run import dry_run_plan
from sync_pipeline.assets.failed_records import failed_records, failed_records_sensor
from sync_pipeline.assets.latency import order_latency
from sync_pipeline.assets.process_assets import PROCESS_ASSETS, RESYNC_ASSETS
from sync_pipeline.automation.engine import engine_executor
from sync_pipeline.automation.jobs import build_jobs
from sync_pipeline.automation.reconcile import reconcile_job, reconcile_schedule
from sync_pipeline.automation.schedules import nightly_resync_schedule, sync_schedule
from sync_pipeline.automation.alert_sensors import alert_notifier, alert_sensors
from sync_pipeline.automation.sensors import erp_order_sensor, wms_shipped_sensor
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_of_asset
from sync_pipeline.resources import resources_from_env
from sync_pipeline.settings import Settings, load_settings


def _secrets(settings: Settings):
    """The values no alert may show: both passwords (the webhook URL is masked by the notifier)."""
    return lambda: [settings.so24_password.get_secret_value(), settings.ongoing_password.get_secret_value()]


def with_switch(spec: dg.AssetSpec, config: ProcessConfig) -> dg.AssetSpec:
    """Tag each process asset with its switch, so the asset graph tells what is on and what is off."""
    process = process_of_asset(spec.key.to_user_string())
    if process is None:
        return spec
    off = process.switched_off(config)
    description = spec.description if off is None else f"SWITCHED OFF ({off}). {spec.description}"
    return spec.replace_attributes(tags={**spec.tags, "process": "off" if off else "on"}, description=description)


def build_definitions() -> dg.Definitions:
    settings = load_settings()
    jobs = build_jobs(settings)
    jobs["reconcile"] = reconcile_job()
    notifier = alert_notifier(settings, secrets=_secrets(settings))
    sensors = alert_sensors(settings, notifier)
    if "push_orders" in jobs:
        sensors.append(erp_order_sensor(jobs["push_orders"], notifier, settings.sync_order_status,
                                        settings.sync_sensor_interval_seconds))
    if "report_shipped" in jobs:
        sensors.append(wms_shipped_sensor(jobs["report_shipped"], notifier, settings.sync_wms_sent_status,
                                          settings.sync_sensor_interval_seconds))
    sensors.append(failed_records_sensor(settings.sync_sensor_interval_seconds))
    schedules = [sync_schedule(jobs["sync_all"], settings.sync_interval_minutes), reconcile_schedule(jobs["reconcile"])]
    if "resync_day" in jobs:
        schedules.append(nightly_resync_schedule(jobs["resync_day"]))
    assets = [*PROCESS_ASSETS.values(), *RESYNC_ASSETS.values(), dry_run_plan, drift_report, order_latency,
              failed_records]
    config = ProcessConfig.from_settings(settings)
    return dg.Definitions(
        assets=dg.map_asset_specs(lambda spec: with_switch(spec, config), assets),
        jobs=list(jobs.values()),
        schedules=schedules,
        sensors=sensors,
        resources=resources_from_env(settings),
        executor=engine_executor(settings),
    )


defs = build_definitions()
