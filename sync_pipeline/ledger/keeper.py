"""Keeping a run's claims alive while it runs, and giving them up when it ends (Ledger.run uses these).

Claims carry a short ttl and a heartbeat renews them every third of it, so a run keeps its records
however long it takes, and a run that dies without ending its block (SIGKILL, a lost machine, a
run worker Dagster never hears from again) frees them within one ttl. Releasing at the end is
retried while the database is away for a moment (a restart, a failover); if it stays away the
claims simply expire.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

import tenacity
from sqlalchemy.exc import DBAPIError

from sync_pipeline.ledger.model import LedgerUnavailable

if TYPE_CHECKING:
    from sync_pipeline.ledger.claims import Claims

log = logging.getLogger(__name__)
RELEASE_PATIENCE_SECONDS = 10.0  # how long the end of a run waits for the database to release its claims
RELEASE_RETRY_SECONDS = 0.5


class ClaimKeeper:
    """A daemon thread renewing `run_id`'s live claims every ttl / 3 until stop()."""

    def __init__(self, ledger: Claims, run_id: str, ttl: timedelta):
        self._ledger, self._run_id, self._ttl = ledger, run_id, ttl
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._keep, name=f"ledger-claims-{run_id}"[:60], daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _keep(self) -> None:
        interval = self._ttl.total_seconds() / 3
        while not self._stopped.wait(interval):
            try:
                self._ledger.renew(self._run_id, self._ttl)
            except (DBAPIError, LedgerUnavailable) as exc:  # the next beat tries again, else they expire
                log.warning("could not renew the ledger claims of run %s: %s", self._run_id, _first_line(exc))


def release_patiently(ledger: Claims, run_id: str, patience: float = RELEASE_PATIENCE_SECONDS) -> None:
    """Release `run_id`'s claims, retrying while the database is unreachable; never raises for that.

    Called as a run ends, often while an exception is on its way up: that exception, not a second one
    about the claims, is what the operator must see. Claims left behind expire after their ttl, or are
    released at the start of the next run once Dagster reports this one finished.
    """
    releasing = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type((DBAPIError, LedgerUnavailable)),
        wait=tenacity.wait_fixed(RELEASE_RETRY_SECONDS),
        stop=tenacity.stop_after_delay(patience),
        reraise=True,
    )
    try:
        releasing(ledger.release, run_id)
    except (DBAPIError, LedgerUnavailable) as exc:
        log.warning("could not release the ledger claims of run %s (they expire by themselves): %s",
                    run_id, _first_line(exc))


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
