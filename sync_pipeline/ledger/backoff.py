"""When a failed record is tried again: exponential backoff with jitter, and when to give up."""

from __future__ import annotations

import random as _random
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable


# The defaults suit the 15-minute schedule (SYNC_RETRY_BASE_SECONDS, SYNC_RETRY_MAX_SECONDS and
# SYNC_RETRY_ATTEMPTS override them): 5, 10, 20 ... minutes, at most 6 hours apart, dead-lettered
# after 10 attempts (about a day of retrying, enough to ride out a night's outage).
DEFAULT_BASE_SECONDS = 300
DEFAULT_MAX_SECONDS = 6 * 3600
DEFAULT_ATTEMPTS = 10


@dataclass(frozen=True)
class BackoffPolicy:
    """Attempt n (1-based) waits min(cap, base * 2**(n-1)), less up to `jitter` of that at random.

    The jitter spreads retries of records that failed together (a WMS outage) over time. With
    jitter <= 0.5, until the cap each wait is at least as long as any earlier one could have been;
    at the cap they stay between cap * (1 - jitter) and cap. After `max_attempts` failed attempts a
    record is dead-lettered.
    """

    base: timedelta = timedelta(seconds=DEFAULT_BASE_SECONDS)
    cap: timedelta = timedelta(seconds=DEFAULT_MAX_SECONDS)
    max_attempts: int = DEFAULT_ATTEMPTS
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

    @classmethod
    def in_seconds(cls, base: int, cap: int, max_attempts: int) -> BackoffPolicy:
        """The policy as the settings give it (whole seconds), with the default jitter."""
        return cls(base=timedelta(seconds=base), cap=timedelta(seconds=cap), max_attempts=max_attempts)

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
