"""The cycle schedule, at the configured interval."""

from __future__ import annotations

import dagster as dg


def cron_for(minutes: int) -> str:
    """A cron expression firing every `minutes` minutes (a divisor of 60, or whole hours dividing a day)."""
    if minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *"
    if minutes % 60 == 0 and 24 % (minutes // 60) == 0:
        return f"0 */{minutes // 60} * * *"
    raise ValueError(f"SYNC_INTERVAL_MINUTES={minutes}: use a divisor of 60 or a number of hours dividing 24")


def sync_schedule(job, minutes: int) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="sync_all_schedule", job=job, cron_schedule=cron_for(minutes),
        default_status=dg.DefaultScheduleStatus.RUNNING, execution_timezone="UTC",
        description=f"Runs sync_all every {minutes} minutes.",
    )
