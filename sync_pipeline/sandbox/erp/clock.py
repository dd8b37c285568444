"""Time as the simulated ERP sees it: UTC stamps that always move forward, and its rounding of cursors."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sync_pipeline.sandbox.values import Now, as_utc, utc_now

_MILLISECOND = timedelta(milliseconds=1)


def rounded_to_second(moment: datetime) -> datetime:
    """The service rounds (not truncates) the times it filters on: 12:00:00.6 searches from 12:00:01."""
    moment = as_utc(moment)
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


class Clock:
    """Hands out change stamps: millisecond precision, strictly increasing, so every change is visible."""

    def __init__(self, now: Now = utc_now):
        self._now = now
        self._lock = threading.Lock()
        self._last: datetime | None = None

    def now(self) -> datetime:
        return as_utc(self._now())

    def reset(self) -> None:
        """Forget the last stamp (when the records carrying stamps are gone)."""
        with self._lock:
            self._last = None

    def stamp(self) -> datetime:
        moment = self.now()
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
        with self._lock:
            if self._last is not None and moment <= self._last:
                moment = self._last + _MILLISECOND
            self._last = moment
        return moment
