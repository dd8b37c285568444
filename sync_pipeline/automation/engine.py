"""Where a run's steps execute: in the run's own process, or on Celery workers (docs/deploy.md)."""

from __future__ import annotations

from typing import Any

import dagster as dg

from sync_pipeline.settings import Settings

BROKER_VARIABLE = "SYNC_CELERY_BROKER_URL"

# How long a step's task may stay unacknowledged before the broker hands it to another worker. A task
# is acknowledged only once its step has ended (acks_late), so a worker killed mid-step leaves it
# unacknowledged and a surviving worker runs the step again after this long. It must exceed the longest
# step (an initial load): a step still running past it would be started a second time.
REDELIVERY_SECONDS = 900

# Dagster-celery's own broker retries, kept: its config_source replaces the whole dict.
_BROKER_RETRIES = {"max_retries": 3, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def celery_settings(redelivery_seconds: int = REDELIVERY_SECONDS) -> dict[str, Any]:
    """The Celery app's settings, the same for the runs that send steps and for the workers that run
    them (deploy/celery-worker.yaml carries them for `dagster-celery worker start`)."""
    return {
        "task_acks_late": True,  # a step's task is acknowledged when it ends, not when a worker takes it
        "task_reject_on_worker_lost": True,  # a worker's child killed mid-step: the task goes back at once
        "worker_prefetch_multiplier": 1,  # a worker holds no task it is not running
        "broker_transport_options": {
            **_BROKER_RETRIES,
            "visibility_timeout": redelivery_seconds,
            # the surviving workers look for abandoned tasks every 10 s (kombu's default is every 100 s)
            "unacked_restore_interval": 10,
            "unacked_restore_throttle": 1,
        },
        "result_backend_transport_options": {"visibility_timeout": redelivery_seconds},
    }


def engine_executor(settings: Settings) -> dg.ExecutorDefinition:
    """The executor of every job.

    Without a broker: one process per run, its steps in turn (they run one after another anyway,
    articles before orders, one writer per goods owner, and share one ERP login).
    With SYNC_CELERY_BROKER_URL: dagster-celery's executor, each step a task on a Celery worker, the
    same redis as the result backend. The URL is read from the environment where the run starts
    (Dagster's `env` config source), so the password in it is never part of a run's config, its
    tags or the job's snapshot.
    """
    if settings.sync_celery_broker_url is None:
        return dg.in_process_executor
    from dagster_celery import celery_executor  # only a deployment with a broker loads it

    source = {"env": BROKER_VARIABLE}
    return celery_executor.configured(
        {"broker": source, "backend": source, "config_source": celery_settings()}, name="celery"
    )
