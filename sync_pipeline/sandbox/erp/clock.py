"""Time as the simulated ERP sees it: UTC stamps that always move forward, and its rounding of cursors."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

Now = Callable[[], datetime]
NOT_SET = datetime(1, 1, 1)  # the schema's "no date" default, 0001-01-01T00:00:00
_MILLISECOND = timedelta(milliseconds=1)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A moment in aware UTC; a moment without an offset is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def is_set(moment: datetime | None) -> bool:
    return moment is not None and moment.replace(tzinfo=None) != NOT_SET


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
