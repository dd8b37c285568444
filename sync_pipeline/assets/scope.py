"""What one run of a process asset reads: the launchpad's options, and who started the run.

A run an operator starts (Materialize in the UI, `dagster asset materialize`, a job launched by
hand) is a resync: it reads every record in scope from the source and writes each one the target
does not hold as the source says. The launchpad narrows it to named records or a range of change
times. A run a schedule, sensor or automation condition starts reads what changed since the last
one (and everything once a day: the full sweep).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

import dagster as dg
from dagster._core.storage.tags import (
    AUTO_MATERIALIZE_TAG,
    AUTOMATION_CONDITION_TAG,
    SCHEDULE_NAME_TAG,
    SENSOR_NAME_TAG,
)
from pydantic import Field

from sync_pipeline.processes.selection import ByNames, Delta, Everything, Selection, Window

AUTOMATED_TAGS = (SCHEDULE_NAME_TAG, SENSOR_NAME_TAG, AUTOMATION_CONDITION_TAG, AUTO_MATERIALIZE_TAG)
FAR_PAST = datetime(1900, 1, 1, tzinfo=timezone.utc)
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=timezone.utc)


class ScopeRefused(dg.Failure):
    """The launchpad's options do not make a scope (a date that is no date, a range that ends first)."""


class ProcessRunConfig(dg.Config):
    """Launchpad options of a process asset; every one may be left out."""

    records: list[str] = Field(
        default=[],
        description="Only these records, by the names operators know: article numbers (articles, stock), ERP order "
                    "numbers (orders, shipped orders), ERP company ids (suppliers). Empty: every record.")
    changed_from: str | None = Field(
        default=None, description="Only records changed at or after this UTC date or time, e.g. 2026-12-01 or "
                                  "2026-12-01T08:00")
    changed_before: str | None = Field(
        default=None, description="Only records changed before this UTC date or time")
    read: Literal["auto", "changes", "everything"] = Field(
        default="auto",
        description="auto: a run started by hand reads every record in scope and writes what the target lacks or "
                    "holds differently; a scheduled or sensor run reads the changes since the last run. "
                    "changes / everything: force one or the other.")
    force: bool = Field(
        default=False,
        description="Write every record in scope, even those the target already holds as the source says.")


class ResyncConfig(dg.Config):
    """Launchpad options of a daily resync asset."""

    force: bool = Field(
        default=False,
        description="Write every record of the day, even those the target already holds as the source says.")


def automated(run: dg.DagsterRun) -> bool:
    """Whether a schedule, sensor or automation condition started the run (not an operator)."""
    return any(tag in run.tags for tag in AUTOMATED_TAGS)


def selection_for(config: ProcessRunConfig, run: dg.DagsterRun) -> tuple[Selection, bool]:
    """What the run reads, and whether it is an operator's run (see the module's docstring)."""
    operator = not automated(run)
    if config.records:
        return ByNames(tuple(name.strip() for name in config.records if name.strip())), operator
    if config.changed_from or config.changed_before:
        start, end = _moment(config.changed_from, FAR_PAST), _moment(config.changed_before, FAR_FUTURE)
        if end <= start:
            raise ScopeRefused(f"changed_before ({config.changed_before}) is not after changed_from "
                               f"({config.changed_from})")
        return Window(start, end), operator
    if config.read == "changes" or (config.read == "auto" and not operator):
        return Delta(), operator
    return Everything(), operator


def _moment(text: str | None, default: datetime) -> datetime:
    if not text:
        return default
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ScopeRefused(f"{text!r} is not a date or time (write 2026-12-01 or 2026-12-01T08:00)") from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def described(selection: Selection, operator: bool) -> str:
    """What the run read, for its materialization."""
    who = "started by hand" if operator else "started by automation"
    if isinstance(selection, Delta):
        return f"the changes since the last run ({who})"
    if isinstance(selection, Everything):
        return f"every record in the source, compared with what the target holds ({who})"
    if isinstance(selection, ByNames):
        return f"the records named: {', '.join(selection.names)} ({who})"
    if isinstance(selection, Window):
        start = "" if selection.start == FAR_PAST else f"from {selection.start:%Y-%m-%d %H:%M} UTC "
        end = "" if selection.end == FAR_FUTURE else f"before {selection.end:%Y-%m-%d %H:%M} UTC "
        return f"the records changed {start}{end}({who})"
    return f"{type(selection).__name__} ({who})"
