"""Schedules: the sync cycle at the configured interval, and the nightly resync of the day before."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import dagster as dg

from sync_pipeline.assets.merchant_scope import DAY, MERCHANT, MERCHANT_TAG

from sync_pipeline.settings import SettingsError

NIGHTLY_RESYNC_CRON = "30 0 * * *"  # 00:30 UTC: the previous UTC day is complete


def allowed_intervals() -> list[int]:
    """Intervals a cron expression fires at evenly, all day: divisors of 60 and of a day in hours."""
    return [m for m in range(1, 61) if 60 % m == 0] + [h * 60 for h in range(2, 25) if 24 % h == 0]


def cron_for(minutes: int) -> str:
    """A cron expression firing every `minutes` minutes; SettingsError naming the variable otherwise."""
    if minutes < 60 and 60 % minutes == 0:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    if minutes == 60:
        return "0 * * * *"
    if minutes == 24 * 60:
        return "0 0 * * *"
    if minutes % 60 == 0 and 24 % (minutes // 60) == 0:
        return f"0 */{minutes // 60} * * *"
    raise SettingsError([
        f"SYNC_INTERVAL_MINUTES: {minutes} minutes cannot be scheduled evenly around the clock; "
        f"use one of {', '.join(map(str, allowed_intervals()))}"
    ])


def sync_schedule(job, minutes: int, merchant: str | None = None) -> dg.ScheduleDefinition:
    """The sync cycle; with a tenants file one schedule per merchant, at the merchant's own interval."""
    if merchant is None:
        return dg.ScheduleDefinition(
            name="sync_all_schedule", job=job, cron_schedule=cron_for(minutes),
            default_status=dg.DefaultScheduleStatus.RUNNING, execution_timezone="UTC",
            description=f"Runs {job.name} every {minutes} minutes (SYNC_INTERVAL_MINUTES).",
        )

    @dg.schedule(name=f"sync_all_schedule_{merchant}", job=job, cron_schedule=cron_for(minutes),
                 default_status=dg.DefaultScheduleStatus.RUNNING, execution_timezone="UTC",
                 description=f"Runs {job.name} for merchant {merchant} every {minutes} minutes "
                             "(its SYNC_INTERVAL_MINUTES).")
    def _schedule(context: dg.ScheduleEvaluationContext):
        return dg.RunRequest(partition_key=merchant, tags={MERCHANT_TAG: merchant})

    return _schedule


def replace_run_key(request: dg.RunRequest, run_key: str) -> dg.RunRequest:
    return dg.RunRequest(run_key=run_key, partition_key=request.partition_key, tags=request.tags)


def per_merchant(merchants: Sequence[str], day: str | None = None) -> list[dg.RunRequest]:
    """One run request per merchant (of one day, for merchant x day partitions)."""
    return [dg.RunRequest(run_key=f"{day}-{key}" if day else None,
                          partition_key=dg.MultiPartitionKey({DAY: day, MERCHANT: key}) if day else key,
                          tags={MERCHANT_TAG: key}) for key in merchants]


def nightly_resync_schedule(job, merchants: Sequence[str] = ()) -> dg.ScheduleDefinition:
    @dg.schedule(name="nightly_resync_schedule", job=job, cron_schedule=NIGHTLY_RESYNC_CRON,
                 execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING,
                 description=f"At 00:30 UTC runs {job.name} for the previous UTC day: a sweep behind the "
                             "delta runs, one partition per day, so a failed day shows and can be re-run.")
    def _schedule(context: dg.ScheduleEvaluationContext):
        now = context.scheduled_execution_time or datetime.now(timezone.utc)
        day = (now.astimezone(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%d")
        if merchants:
            return [replace_run_key(request, f"nightly-{request.run_key}") for request in per_merchant(merchants, day)]
        return dg.RunRequest(run_key=f"nightly-{day}", partition_key=day)

    return _schedule
