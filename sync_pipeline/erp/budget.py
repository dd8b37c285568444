"""Each merchant's 24SevenOffice request budget: at most N requests in any hour, counted before they leave.

24SevenOffice allows a client 7,200 requests an hour and then blocks it for a while (a quarantine
that stops every run of that merchant). The pipeline keeps below it itself: every HTTP request of a
login (service calls, logins, repeats after a failure) takes a place in that login's budget first.
One budget per merchant login and process, shared by every client and thread of that login in the
process (its runs, its sensors), and by no other merchant: one merchant's heavy run never spends
another's places.

The rule is the service's own: a sliding hour, not a refilling bucket, so a burst at the end of one
hour and another at the start of the next cannot add up to twice the limit within sixty minutes.
When the budget is spent, a request waits for its place if that comes within `patience` seconds
(the connection's retry policy's patience with a quarantine, 5 minutes by default); otherwise it is
not sent and RequestBudgetSpent says whose budget, how large, and when the next place frees. That is
a QuarantineError (retryable, with its time): a write is recorded as failed to be retried by a
later run, several in a row stop the batch, and a read stops the run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta, timezone
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from sync_pipeline.soap.errors import QuarantineError

HOUR = 3600.0
DEFAULT_REQUESTS_PER_HOUR = 7200  # 24SevenOffice's limit per client


class RequestBudgetSpent(QuarantineError):
    """The merchant's requests of the last hour reached its budget; nothing was sent."""


class RequestBudget:
    """At most `per_hour` requests in any `window` seconds, for one merchant login; thread-safe."""

    def __init__(self, name: str, per_hour: int, *, patience: float = 300.0, window: float = HOUR,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        if per_hour < 1:
            raise ValueError("a request budget must allow at least one request an hour")
        self.name, self.per_hour, self.patience, self.window = name, per_hour, patience, window
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._sent: deque[float] = deque()  # when each request of the window left (or will leave)

    def used(self) -> int:
        """Requests in the window that ends now."""
        with self._lock:
            self._forget(self._clock())
            return len(self._sent)

    def take(self) -> None:
        """Take a place for one request now, after waiting up to `patience`; RequestBudgetSpent otherwise."""
        with self._lock:
            now = self._clock()
            self._forget(now)
            # The window holds at most per_hour entries: the place frees when the oldest of them leaves it.
            at = now if len(self._sent) < self.per_hour else self._sent[-self.per_hour] + self.window
            wait = at - now
            if wait > self.patience:
                raise self._spent(wait)
            self._sent.append(at)  # the place is ours: a waiting thread after us queues behind it
        if wait > 0:
            self._sleep(wait)

    def _forget(self, now: float) -> None:
        while self._sent and self._sent[0] <= now - self.window:
            self._sent.popleft()

    def _spent(self, wait: float) -> RequestBudgetSpent:
        frees = datetime.now(timezone.utc) + timedelta(seconds=wait)
        return RequestBudgetSpent(
            f"24SevenOffice request budget of {self.name} spent: {len(self._sent):,} requests in the last hour "
            f"(SYNC_ERP_REQUESTS_PER_HOUR={self.per_hour}); nothing sent, the next request is allowed at "
            f"{frees:%Y-%m-%d %H:%M:%S} UTC", retry_at=frees)


class BudgetedAdapter(HTTPAdapter):
    """requests' HTTP adapter that takes a place in the budget before each request it sends."""

    def __init__(self, budget: RequestBudget) -> None:
        super().__init__()
        self.budget = budget

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.budget.take()
        return super().send(request, *args, **kwargs)


_budgets: dict[Hashable, RequestBudget] = {}
_budgets_lock = threading.Lock()


def budget_for(login: Hashable, name: str, per_hour: int, patience: float) -> RequestBudget:
    """The process's budget of one merchant login; a changed limit or name applies to the same window."""
    with _budgets_lock:
        budget = _budgets.get(login)
        if budget is None:
            budget = _budgets[login] = RequestBudget(name, per_hour, patience=patience)
        budget.name, budget.per_hour, budget.patience = name, per_hour, patience
        return budget


def keep_budget(http: requests.Session, budget: RequestBudget) -> None:
    """Make every request sent through `http` take its place in `budget` first."""
    adapter = BudgetedAdapter(budget)
    http.mount("https://", adapter)
    http.mount("http://", adapter)
