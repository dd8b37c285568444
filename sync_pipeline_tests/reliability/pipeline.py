"""The pipeline's cycle as the `sync_all` job runs it, over plain clients and a real ledger.

Each step is its process (sync_pipeline/processes/) run by the one runner the assets use
(processes/runner.py): the delta cursor read from the ledger, the process run with a gate inside
`ledger.run(run_id)` (claims under the run's id, released when it ends), the new cursor saved only
when the process returned. A failed step skips the steps that depend on it, as Dagster skips downstream assets.
Nothing here stands in for the pipeline's own code: it only calls it.
"""

from __future__ import annotations

from datetime import timedelta

from sync_pipeline.ledger import DEFAULT_CLAIM_TTL, Kind, Ledger
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import Delta
from sync_pipeline.sync.orders import OrderOptions
from sync_pipeline.sync.report import SyncReport

# step -> the steps it needs (the assets' deps)
STEPS: dict[str, tuple[str, ...]] = {"articles": (), "orders": ("articles",), "shipped": ("orders",),
                                     "stock": ("orders",)}


class Skipped(Exception):
    """A step not run because a step it depends on failed."""


class Pipeline:
    def __init__(self, ledger: Ledger, erp, wms, options: OrderOptions = OrderOptions(),
                 claim_ttl: timedelta = DEFAULT_CLAIM_TTL):
        self.ledger, self.erp, self.wms, self.claim_ttl = ledger, erp, wms, claim_ttl
        self.config = ProcessConfig(orders=options)

    def step(self, name: str, run_id: str) -> SyncReport:
        return runner.run(process_named(name), Delta(), erp=self.erp, wms=self.wms, ledger=self.ledger,
                          config=self.config, run_id=run_id, claim_ttl=self.claim_ttl).report

    def cycle(self, run_id: str, steps: tuple[str, ...] = tuple(STEPS)) -> dict[str, SyncReport | BaseException]:
        """Every step in dependency order; a failure is kept as the step's result, as a run's event log keeps it."""
        results: dict[str, SyncReport | BaseException] = {}
        for name in steps:
            failed = [need for need in STEPS[name] if isinstance(results.get(need), BaseException)]
            if failed:
                results[name] = Skipped(f"{name} skipped: {', '.join(failed)} failed")
                continue
            try:
                results[name] = self.step(name, run_id)
            except Exception as exc:  # noqa: BLE001 - a failed step is a result, as in a Dagster run
                results[name] = exc
        return results


def quiet(results: dict[str, SyncReport | BaseException]) -> bool:
    """A cycle that found nothing to do: every step ran, wrote nothing, failed nothing, and nothing was
    left to another run or held back for an order in flight."""
    for report in results.values():
        if isinstance(report, BaseException):
            return False
        if report.failed or report.created or report.updated or report.details.get("held_by_other_run") \
                or report.details.get("held_for_orders_in_flight"):
            return False
    return True


def backing_off(ledger: Ledger) -> list[str]:
    """Records that failed and wait for their retry: a cycle that ran before the retry was due found nothing
    to do, yet the systems are not at rest. Dead-lettered records are left to the invariants."""
    dead = {(entry.kind, entry.key) for entry in ledger.dead_letters()}
    return [f"{kind} {key}" for kind in Kind for key in ledger.failing(kind) if (kind, key) not in dead]
