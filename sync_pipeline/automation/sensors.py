"""Sensors: fast paths for new ERP orders and shipped WMS orders, and the run-failure alert."""

from datetime import datetime, timedelta, timezone

import dagster as dg

from sync_pipeline.automation.alerts import Alert, Notifier
from sync_pipeline.resources import ErpResource, WmsResource

FIRST_LOOK_BACK = timedelta(hours=1)


def _cursor(context) -> datetime:
    if context.cursor:
        return datetime.fromisoformat(context.cursor)
    return datetime.now(timezone.utc) - FIRST_LOOK_BACK


def erp_order_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(name="erp_new_orders", job=job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Starts push_orders within a minute when orders are new or changed in 24SevenOffice.")
    def _sensor(context: dg.SensorEvaluationContext, erp: ErpResource):
        since = _cursor(context)
        started = datetime.now(timezone.utc)
        ids = erp.client().order_ids_changed_since(since)
        context.update_cursor(started.isoformat())
        if not ids:
            return dg.SkipReason(f"no orders changed since {since.isoformat()}")
        return dg.RunRequest(run_key=f"erp-orders-{started.isoformat()}", tags={"orders": str(len(ids))})

    return _sensor


def wms_shipped_sensor(job, sent_status: int) -> dg.SensorDefinition:
    @dg.sensor(name="wms_shipped_orders", job=job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Starts report_shipped within a minute when the warehouse ships an order.")
    def _sensor(context: dg.SensorEvaluationContext, wms: WmsResource):
        since = _cursor(context)
        started = datetime.now(timezone.utc)
        shipped = list(wms.client().orders(status_from=sent_status, status_to=999, changed_since=since))
        context.update_cursor(started.isoformat())
        if not shipped:
            return dg.SkipReason(f"no orders shipped since {since.isoformat()}")
        return dg.RunRequest(run_key=f"wms-shipped-{started.isoformat()}", tags={"orders": str(len(shipped))})

    return _sensor


def failure_alert_sensor(webhook_url: str | None) -> dg.SensorDefinition:
    notifier = Notifier(webhook_url)

    @dg.run_failure_sensor(name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Alerts (log, and webhook if configured) when any run fails.")
    def _sensor(context: dg.RunFailureSensorContext):
        run = context.dagster_run
        error = context.failure_event.message or "run failed"
        notifier.send(Alert(title="Sync run failed", job=run.job_name, run_id=run.run_id, error=error,
                            partition=run.tags.get("dagster/partition")))

    return _sensor
