"""The run a crash test kills: a process running the pipeline's cycle over and over until SIGKILL.

Started through multiprocessing's forkserver, with the pipeline's modules imported once in the fork
server, so each new run costs a fork rather than a second and a half of imports. Everything a run
needs arrives pickled in a WorkerConfig; it opens its own ledger and clients (an engine or a zeep
client must not cross a fork).
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from datetime import timedelta

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.ledger import BackoffPolicy, Ledger
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.reliability.pipeline import Pipeline

PRELOAD = ["sync_pipeline_tests.reliability.crash_worker", "sync_pipeline.sync.articles", "sync_pipeline.sync.orders",
           "sync_pipeline.sync.stock", "sync_pipeline.ledger", "sync_pipeline.erp", "sync_pipeline.wms",
           "sqlalchemy.dialects.sqlite", "pandas"]


@dataclass(frozen=True)
class WorkerConfig:
    ledger_url: str
    erp: ErpConnection
    wms: WmsConnection
    claim_ttl: timedelta
    backoff: BackoffPolicy


def forkserver():
    """The multiprocessing context the crash tests start their runs in."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def live(config: WorkerConfig) -> None:
    """Run cycles until killed, each under a run id of its own (as each scheduled run has one)."""
    ledger = Ledger(config.ledger_url, backoff=config.backoff)
    pipeline = Pipeline(ledger, ErpClient(config.erp), WmsClient(config.wms), claim_ttl=config.claim_ttl)
    cycle = 0
    while True:
        pipeline.cycle(f"killed-run-{os.getpid()}-{cycle}")
        cycle += 1
