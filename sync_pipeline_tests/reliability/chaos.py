"""Faults of every kind on both sandboxes while the pipeline runs, through their admin API.

Per SOAP call, `rate` of the calls fail, split evenly over the four kinds the sandboxes inject
(README, "Admin API"): a 5xx fault and a dropped connection before the work is done, a timeout
(the connection held, then closed) and a reply cut in half after it was done. On top of those, a
background thread ends every live ERP session every two seconds and now and then puts one sandbox in
quarantine ("Limit exceeded ... Quarantine ends at ...") for a second. (Twice a second, a machine slowed
by other work took longer than that for a login and the call after it, so the replacement session was
ended too, call after call: the soak measured the machine's speed, not the pipeline.)

Each quarantine starts with the next call to its sandbox (`quarantine_from_next_call`), so at least
one call meets it however the machine's load spreads the calls over time, and nothing is posted to
that sandbox until it is over (a post would end it). The ERP's first quarantine is posted before the
pipeline starts: every run meets one.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from sync_pipeline_tests.reliability.sandboxes import NO_REQUEST_LIMIT, Sandboxes

PER_CALL_KINDS = ("error_rate", "timeout_rate", "drop_rate", "malformed_rate")


class Chaos:
    def __init__(self, sandboxes: Sandboxes, rate: float, seed: int, *, tick: float = 0.5,
                 quarantine_every: int = 25, quarantine_seconds: float = 1.0, timeout_hold: float = 0.05,
                 expire_every: int = 4):
        self.sandboxes, self.rate, self.seed, self.tick = sandboxes, rate, seed, tick
        self.quarantine_every, self.quarantine_seconds, self.timeout_hold, self.expire_every = (
            quarantine_every, quarantine_seconds, timeout_hold, expire_every)
        self.events: Counter[str] = Counter()  # session_expiries, quarantines
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chaos", daemon=True)
        self._ticks = 0

    def settings(self, **extra: Any) -> dict[str, Any]:
        share = self.rate / len(PER_CALL_KINDS)
        return {"seed": self.seed + self._ticks, "timeout_hold_seconds": self.timeout_hold,
                **{kind: share for kind in PER_CALL_KINDS}, **extra}

    def __enter__(self) -> "Chaos":
        for system in ("erp", "wms"):
            self._post(system, quarantine=system == "erp")
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sandboxes.faults()  # off

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            self._ticks += 1
            quarantine = None
            if self._ticks % self.quarantine_every == 0:
                quarantine = ("erp", "wms")[(self._ticks // self.quarantine_every) % 2]
            for system in ("erp", "wms"):
                if not self.sandboxes.quarantined(system):  # a post would end its quarantine, or cancel it unmet
                    self._post(system, quarantine=system == quarantine)

    def _post(self, system: str, quarantine: bool) -> None:
        extra: dict[str, Any] = {}
        if system == "erp" and self._ticks % self.expire_every == 0:
            extra["expire_sessions"] = True
            self.events["session_expiries"] += 1
        if quarantine:
            extra.update(quarantine_seconds=self.quarantine_seconds, quarantine_from_next_call=True)
            self.events["quarantines"] += 1
        self.sandboxes.admin(system, "POST", "faults", {**NO_REQUEST_LIMIT, **self.settings(**extra)})
