"""The hourly reconciliation: the drift report and order latency, on their own job and schedule.

Both assets only read (the two systems and the ledger), so they need no pool and may run beside a
sync cycle; the schedule fires at minute 7, between the default quarter-hour sync runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from sync_pipeline.automation.schedules import per_merchant

RECONCILE_ASSETS = ("drift_report", "order_latency")
RECONCILE_CRON = "7 * * * *"


def reconcile_job() -> dg.UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        "reconcile", selection=dg.AssetSelection.assets(*RECONCILE_ASSETS),
        description="Compares both systems (drift report) and measures how long orders take between them "
                    "(order latency). Reads only.")


def reconcile_schedule(job, merchants: Sequence[str] = ()) -> dg.ScheduleDefinition:
    description = f"Runs {job.name} every hour at minute 7 (UTC): the drift report and order latency."
    if not merchants:
        return dg.ScheduleDefinition(
            name="reconcile_schedule", job=job, cron_schedule=RECONCILE_CRON, execution_timezone="UTC",
            default_status=dg.DefaultScheduleStatus.RUNNING, description=description)

    @dg.schedule(name="reconcile_schedule", job=job, cron_schedule=RECONCILE_CRON, execution_timezone="UTC",
                 default_status=dg.DefaultScheduleStatus.RUNNING, description=description + " One run per merchant.")
    def _schedule(context: dg.ScheduleEvaluationContext):
        return per_merchant(merchants)

    return _schedule
