"""Schedules: sync_all at SYNC_INTERVAL_MINUTES, on by default; the nightly resync of the day before."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import pytest

from sync_pipeline.automation.schedules import allowed_intervals, cron_for
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.settings import SettingsError


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Valid settings; nothing is called at load, so the addresses need not answer."""
    for name, value in sandbox_environment("http://127.0.0.1:9", "http://127.0.0.1:9").items():
        monkeypatch.setenv(name, value)
    for name in ("SYNC_INTERVAL_MINUTES", "SYNC_ORDERS", "SYNC_STOCK", "SYNC_ARTICLES"):
        monkeypatch.delenv(name, raising=False)


def definitions() -> dg.Definitions:
    from sync_pipeline.definitions import build_definitions

    return build_definitions()


@pytest.mark.parametrize("interval, cron", [(None, "*/15 * * * *"), ("5", "*/5 * * * *"), ("60", "0 * * * *"),
                                            ("120", "0 */2 * * *"), ("1440", "0 0 * * *")])
def test_the_schedule_runs_sync_all_at_the_interval(settings_env, monkeypatch: pytest.MonkeyPatch,
                                                   interval, cron) -> None:
    if interval is not None:
        monkeypatch.setenv("SYNC_INTERVAL_MINUTES", interval)
    schedule = definitions().resolve_schedule_def("sync_all_schedule")
    assert schedule.cron_schedule == cron
    assert schedule.job_name == "sync_all"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.execution_timezone == "UTC"


def test_a_tick_requests_one_sync_all_run(settings_env) -> None:
    defs = definitions()
    schedule = defs.resolve_schedule_def("sync_all_schedule")
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance, repository_def=defs.get_repository_def(),
                                            scheduled_execution_time=datetime(2026, 11, 26, 9, 15, tzinfo=timezone.utc))
        result = schedule.evaluate_tick(context)
    assert result.skip_message is None
    assert len(result.run_requests) == 1
    assert result.run_requests[0].job_name is None and schedule.job_name == "sync_all", "the schedule's own job"
    assert result.run_requests[0].partition_key is None, "sync_all is a delta cycle, not partitioned"


def test_every_allowed_interval_fires_evenly() -> None:
    assert allowed_intervals() == [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440]
    for minutes in allowed_intervals():
        dg.ScheduleDefinition(name="probe", job_name="sync_all", cron_schedule=cron_for(minutes))


@pytest.mark.parametrize("minutes", [7, 45, 90, 300])
def test_an_uneven_interval_is_refused_naming_the_variable(minutes: int) -> None:
    with pytest.raises(SettingsError) as refused:
        cron_for(minutes)
    message = str(refused.value)
    assert f"SYNC_INTERVAL_MINUTES: {minutes} minutes" in message
    assert "use one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60" in message


@pytest.mark.parametrize("value, expected", [
    ("7", "SYNC_INTERVAL_MINUTES: 7 minutes cannot be scheduled evenly"),
    ("0", "SYNC_INTERVAL_MINUTES: must be a whole number of minutes from 1 to 1440"),
    ("often", "SYNC_INTERVAL_MINUTES: must be a whole number of minutes from 1 to 1440"),
])
def test_an_invalid_interval_fails_at_load(settings_env, monkeypatch: pytest.MonkeyPatch, value, expected) -> None:
    monkeypatch.setenv("SYNC_INTERVAL_MINUTES", value)
    with pytest.raises(SettingsError, match=expected):
        definitions()


def test_dagster_refuses_to_load_the_code_location_with_an_uneven_interval(settings_env, tmp_path: Path) -> None:
    env = {**os.environ, "SYNC_INTERVAL_MINUTES": "7", "DAGSTER_HOME": str(tmp_path)}
    process = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate",
                              "-m", "sync_pipeline.definitions"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert process.returncode != 0
    assert "SYNC_INTERVAL_MINUTES: 7 minutes cannot be scheduled evenly" in process.stdout + process.stderr


def test_the_nightly_resync_runs_the_previous_utc_day(settings_env) -> None:
    defs = definitions()
    # Resolved inside a live instance: an earlier test module's disposed instance may still be Dagster's
    # current definitions-state storage (a context variable), which resolving outside one would reach.
    with dg.instance_for_test() as instance:
        schedule = defs.resolve_schedule_def("nightly_resync_schedule")
        assert schedule.job_name == "resync_day"
        assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
        context = dg.build_schedule_context(instance=instance, repository_def=defs.get_repository_def(),
                                            scheduled_execution_time=datetime(2026, 3, 1, 0, 30, tzinfo=timezone.utc))
        result = schedule.evaluate_tick(context)
    (request,) = result.run_requests
    assert request.partition_key == "2026-02-28"
    partitions = defs.resolve_job_def("resync_day").partitions_def
    assert partitions.has_partition_key("2026-02-28")
