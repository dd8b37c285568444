"""When a failed record is tried again: exponential backoff with jitter, and when to give up."""

from __future__ import annotations

import random as _random
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable


@dataclass(frozen=True)
class BackoffPolicy:
    """Attempt n (1-based) waits min(cap, base * 2**(n-1)), less up to `jitter` of that at random.

    The jitter spreads retries of records that failed together (a WMS outage) over time. With
    jitter <= 0.5, until the cap each wait is at least as long as any earlier one could have been;
    at the cap they stay between cap * (1 - jitter) and cap. After `max_attempts` failed attempts a
    record is dead-lettered.

    The defaults suit the 15-minute schedule: 5, 10, 20 ... minutes, at most 6 hours apart, dead
    after 10 attempts (about a day of retrying, enough to ride out a night's outage).
    """

    base: timedelta = timedelta(minutes=5)
    cap: timedelta = timedelta(hours=6)
    max_attempts: int = 10
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.base <= timedelta(0):
            raise ValueError("backoff base must be positive")
        if self.cap < self.base:
            raise ValueError("backoff cap must be at least the base")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter is a fraction from 0 to 1")

    def ceiling(self, attempt: int) -> timedelta:
        """The wait after `attempt` failed attempts, before jitter."""
        if attempt < 1:
            raise ValueError("attempts are counted from 1")
        # Doubling stops once past the cap, so huge attempt numbers cannot overflow.
        wait = self.base
        for _ in range(attempt - 1):
            if wait >= self.cap:
                break
            wait *= 2
        return min(wait, self.cap)

    def delay(self, attempt: int, random: Callable[[], float] = _random.random) -> timedelta:
        """The wait after `attempt` failed attempts: within [ceiling * (1 - jitter), ceiling]."""
        ceiling = self.ceiling(attempt)
        return ceiling * (1.0 - self.jitter * random())

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts
