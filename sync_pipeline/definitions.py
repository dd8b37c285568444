"""The Dagster code location: assets per process, jobs, schedule, sensors and resources."""

from __future__ import annotations

import dagster as dg

from sync_pipeline.assets.articles import wms_articles
from sync_pipeline.assets.orders import erp_shipped_orders, wms_orders
from sync_pipeline.assets.stock import stock_snapshot
from sync_pipeline.assets.suppliers import wms_suppliers
from sync_pipeline.automation.jobs import build_jobs
from sync_pipeline.automation.schedules import sync_schedule
from sync_pipeline.automation.sensors import erp_order_sensor, failure_alert_sensor, wms_shipped_sensor
from sync_pipeline.resources import resources_from_env
from sync_pipeline.settings import load_settings


def build_definitions() -> dg.Definitions:
    settings = load_settings()
    jobs = build_jobs(settings)
    sensors = [failure_alert_sensor(settings.alert_webhook_url())]
    if "push_orders" in jobs:
        sensors.append(erp_order_sensor(jobs["push_orders"]))
    if "report_shipped" in jobs:
        sensors.append(wms_shipped_sensor(jobs["report_shipped"], settings.sync_wms_sent_status))
    return dg.Definitions(
        assets=[wms_articles, wms_suppliers, wms_orders, erp_shipped_orders, stock_snapshot],
        jobs=list(jobs.values()),
        schedules=[sync_schedule(jobs["sync_all"], settings.sync_interval_minutes)],
        sensors=sensors,
        resources=resources_from_env(settings),
    )


defs = build_definitions()
