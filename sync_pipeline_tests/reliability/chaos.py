"""Faults of every kind on both sandboxes while the pipeline runs, through their admin API.

Per SOAP call, `rate` of the calls fail, split evenly over the four kinds the sandboxes inject
(README, "Admin API"): a 5xx fault and a dropped connection before the work is done, a timeout
(the connection held, then closed) and a reply cut in half after it was done. On top of those, a
background thread ends every live ERP session twice a second and now and then puts one sandbox in
quarantine ("Limit exceeded ... Quarantine ends at ...") for a second.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from sync_pipeline_tests.reliability.sandboxes import NO_REQUEST_LIMIT, Sandboxes

PER_CALL_KINDS = ("error_rate", "timeout_rate", "drop_rate", "malformed_rate")
FIRST_QUARANTINE_TICK = 5  # early, while the first cycle is busy: even a short soak meets one


class Chaos:
    def __init__(self, sandboxes: Sandboxes, rate: float, seed: int, *, tick: float = 0.5,
                 quarantine_every: int = 25, quarantine_seconds: float = 1.0, timeout_hold: float = 0.05):
        self.sandboxes, self.rate, self.seed, self.tick = sandboxes, rate, seed, tick
        self.quarantine_every, self.quarantine_seconds, self.timeout_hold = (
            quarantine_every, quarantine_seconds, timeout_hold)
        self.events: Counter[str] = Counter()  # session_expiries, quarantines
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chaos", daemon=True)
        self._ticks = 0

    def settings(self, **extra: Any) -> dict[str, Any]:
        share = self.rate / len(PER_CALL_KINDS)
        return {"seed": self.seed + self._ticks, "timeout_hold_seconds": self.timeout_hold,
                **{kind: share for kind in PER_CALL_KINDS}, **extra}

    def __enter__(self) -> "Chaos":
        self.sandboxes.faults(**self.settings())
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sandboxes.faults()  # off

    def _run(self) -> None:
        quiet_until = {"erp": 0.0, "wms": 0.0}  # a re-post would end a quarantine early
        while not self._stop.wait(self.tick):
            self._ticks += 1
            now = time.monotonic()
            quarantine = None
            if self._ticks % self.quarantine_every == FIRST_QUARANTINE_TICK:
                quarantine = ("erp", "wms")[(self._ticks // self.quarantine_every) % 2]
            for system in ("erp", "wms"):
                if now < quiet_until[system]:
                    continue
                extra: dict[str, Any] = {}
                if system == "erp":
                    extra["expire_sessions"] = True
                    self.events["session_expiries"] += 1
                if system == quarantine:
                    extra["quarantine_seconds"] = self.quarantine_seconds
                    quiet_until[system] = now + self.quarantine_seconds + self.tick
                    self.events["quarantines"] += 1
                self.sandboxes.admin(system, "POST", "faults", {**NO_REQUEST_LIMIT, **self.settings(**extra)})

