"""Where a run's steps execute: in the run's own process, or on Celery workers (docs/deploy.md)."""

from __future__ import annotations

import dagster as dg

from sync_pipeline.settings import Settings


def engine_executor(settings: Settings) -> dg.ExecutorDefinition:
    """The executor of every job. One process per run, its steps in turn: the steps run one after
    another anyway (articles before orders, one writer per goods owner), and share one ERP login."""
    return dg.in_process_executor
