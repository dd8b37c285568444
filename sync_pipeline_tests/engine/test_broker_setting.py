"""SYNC_CELERY_BROKER_URL: checked at load without showing its password; set, every job runs its steps on
Celery workers, and the password is in no job's snapshot (what the UI and the run storage keep)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from dagster._serdes import serialize_value

from sync_pipeline.automation.engine import celery_settings
from sync_pipeline_tests.settings_environment import REQUIRED, clear_settings, load, problems

PASSWORD = "br0ker-s3cret"


def build_definitions() -> dg.Definitions:
    from sync_pipeline.definitions import build_definitions as build  # reads the settings: import late

    return build()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clear_settings(monkeypatch, tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))


@pytest.mark.parametrize(("url", "expected"), [
    (f"amqp://guest:{PASSWORD}@rabbit:5672//", "must be a redis URL like redis://:password@host:6379/0 (the broker is redis)"),
    (f"redis://:{PASSWORD}@/0", "must name the redis host"),
    (f"redis://:{PASSWORD}@broker:6379/queue", "the redis database after the host is a number"),
    (f"redis://:{PASSWORD}@broker:99999/0", "must be a redis URL like redis://:password@host:6379/0"),
])
def test_a_broker_that_is_not_redis_is_refused_without_its_password(monkeypatch: pytest.MonkeyPatch, url: str,
                                                                      expected: str) -> None:
    (line,) = problems(monkeypatch, SYNC_CELERY_BROKER_URL=url)
    assert line.startswith("SYNC_CELERY_BROKER_URL: ") and expected in line, line
    assert PASSWORD not in line and "***@" in line


def test_a_redis_broker_is_taken_and_kept_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch, SYNC_CELERY_BROKER_URL=f"  rediss://:{PASSWORD}@broker.internal:6380/2 ")
    assert settings.sync_celery_broker_url is not None
    assert settings.sync_celery_broker_url.get_secret_value() == f"rediss://:{PASSWORD}@broker.internal:6380/2"
    assert PASSWORD not in repr(settings)
    assert load(monkeypatch, SYNC_CELERY_BROKER_URL=" ").sync_celery_broker_url is None


def test_without_a_broker_every_job_runs_in_its_own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    defs = build_definitions()
    for job in defs.resolve_all_job_defs():
        assert job.executor_def is dg.in_process_executor, job.name


def test_with_a_broker_every_job_runs_on_celery_and_no_snapshot_holds_the_password(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**REQUIRED, "SYNC_CELERY_BROKER_URL": f"redis://:{PASSWORD}@broker:6379/0"}.items():
        monkeypatch.setenv(name, value)
    defs = build_definitions()
    jobs = list(defs.resolve_all_job_defs())
    assert {"sync_all", "push_orders", "__ASSET_JOB"} <= {job.name for job in jobs}
    for job in jobs:
        assert job.executor_def.name == "celery", job.name
        assert PASSWORD not in serialize_value(job.get_job_snapshot()), job.name


def test_a_step_is_acknowledged_when_it_ends_and_redelivered_after_the_set_time() -> None:
    settings = celery_settings(90)
    assert settings["task_acks_late"] and settings["task_reject_on_worker_lost"]
    assert settings["broker_transport_options"]["visibility_timeout"] == 90
    assert settings["broker_transport_options"]["unacked_restore_interval"] < 90
