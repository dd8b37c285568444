"""The Dagster code location: assets per process, jobs, schedules, sensors and resources."""

from __future__ import annotations

import dagster as dg

from sync_pipeline.assets.articles import wms_articles
from sync_pipeline.assets.orders import erp_shipped_orders, wms_orders
from sync_pipeline.assets.resync import orders_resync, stock_resync
from sync_pipeline.assets.stock import stock_snapshot
from sync_pipeline.assets.suppliers import wms_suppliers
from sync_pipeline.automation.jobs import build_jobs
from sync_pipeline.automation.schedules import nightly_resync_schedule, sync_schedule
from sync_pipeline.automation.sensors import erp_order_sensor, failure_alert_sensor, wms_shipped_sensor
from sync_pipeline.resources import resources_from_env
from sync_pipeline.settings import Settings, load_settings


def _secrets(settings: Settings):
    """The values no alert may show: both passwords (the webhook URL is masked by the notifier)."""
    return lambda: [settings.so24_password.get_secret_value(), settings.ongoing_password.get_secret_value()]


def build_definitions() -> dg.Definitions:
    settings = load_settings()
    jobs = build_jobs(settings)
    sensors = [failure_alert_sensor(settings.alert_webhook_url(), secrets=_secrets(settings))]
    if "push_orders" in jobs:
        sensors.append(erp_order_sensor(jobs["push_orders"], settings.sync_order_status))
    if "report_shipped" in jobs:
        sensors.append(wms_shipped_sensor(jobs["report_shipped"], settings.sync_wms_sent_status))
    schedules = [sync_schedule(jobs["sync_all"], settings.sync_interval_minutes)]
    if "resync_day" in jobs:
        schedules.append(nightly_resync_schedule(jobs["resync_day"]))
    return dg.Definitions(
        assets=[wms_articles, wms_suppliers, wms_orders, erp_shipped_orders, stock_snapshot,
                orders_resync, stock_resync],
        jobs=list(jobs.values()),
        schedules=schedules,
        sensors=sensors,
        resources=resources_from_env(settings),
        # One process per run, its steps in turn: the steps run one after another anyway (articles
        # before orders, one writer per goods owner), and they share one ERP login instead of one each.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
