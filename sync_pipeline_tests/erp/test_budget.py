"""Each login's request budget, kept by the client before the service's own limit is reached.

Through the ERP sandbox, whose rate limit per client is 24SevenOffice's rule (a sliding hour, then a
quarantine): a client with the same budget never meets the quarantine, and clients of one login share it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from collections.abc import Iterator
from typing import Any

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.erp.budget import RequestBudget, RequestBudgetSpent
from sync_pipeline_tests.erp.conftest import connection_for
from sync_pipeline_tests.sandbox.tenants import Sandboxes, serve


@pytest.fixture
def sandboxes() -> Iterator[Sandboxes]:
    """Both sandboxes as `sync-pipeline sandbox --seed-demo` serves them: tenants possible."""
    yield from serve(seed_demo=True)


def outcomes(sandboxes: Sandboxes, client: str | None = None) -> list[str]:
    route = f"clients/{client}/calls" if client else "calls"
    return [entry["outcome"] for entry in sandboxes.admin("erp", "GET", route)["log"]]


def rate_limit(sandboxes: Sandboxes, per_hour: int) -> None:
    """The service's own limit of the default client, as 24SevenOffice's 7,200 an hour."""
    sandboxes.admin("erp", "POST", "faults", {"rate_limit_per_hour": per_hour})


def erp_client(sandboxes: Sandboxes, **changes: Any) -> ErpClient:
    return ErpClient(connection_for(sandboxes.erp.url, **changes))


def test_a_spent_budget_sends_nothing_more_and_the_service_never_quarantines(sandboxes):
    rate_limit(sandboxes, 4)
    with erp_client(sandboxes, requests_per_hour=4) as client:
        for _ in range(3):  # the login and three reads: four requests
            client.products([1])
        with pytest.raises(RequestBudgetSpent) as spent:
            client.products([1])

    message = str(spent.value)
    assert "request budget of demo@example.com spent: 4 requests in the last hour" in message
    assert "SYNC_ERP_REQUESTS_PER_HOUR=4" in message
    assert spent.value.retryable and spent.value.retry_at is not None
    assert (spent.value.retry_at - datetime.now(timezone.utc)).total_seconds() > 3500  # an hour after the first
    assert outcomes(sandboxes) == ["ok"] * 4, "the fifth request must never reach the service"


def test_without_a_budget_the_same_run_is_quarantined_by_the_service(sandboxes):
    """What the budget prevents: the service's quarantine, which would stop every run of the merchant."""
    rate_limit(sandboxes, 4)
    with erp_client(sandboxes, requests_per_hour=None) as client:
        for _ in range(3):
            client.products([1])
        with pytest.raises(Exception, match="Limit exceeded"):
            client.products([1])
    assert outcomes(sandboxes)[-1] == "quarantined"


def test_clients_of_one_login_share_its_budget_and_other_logins_keep_their_own(sandboxes):
    budget = 6
    first = erp_client(sandboxes, requests_per_hour=budget)
    second = erp_client(sandboxes, requests_per_hour=budget)  # another run's, of the same merchant
    bolt = sandboxes.new_client("bolt")  # another merchant: its own client of the service
    other = erp_client(sandboxes, requests_per_hour=budget, application_id=bolt["application_id"],
                       username=bolt["username"], password=bolt["password"])
    with first, second, other:
        first.products([1])                                     # login + read: 2
        worker = threading.Thread(target=second.products, args=([1],))  # another thread: login + read: 4
        worker.start()
        worker.join()
        first.products([1])                                     # 5
        second.products([1])                                    # 6
        with pytest.raises(RequestBudgetSpent):
            first.products([1])
        with pytest.raises(RequestBudgetSpent):
            second.products([1])
        for _ in range(budget - 1):  # its own login and five reads: its whole budget, untouched by the others
            assert other.products([1]) == []
    assert outcomes(sandboxes) == ["ok"] * budget
    assert outcomes(sandboxes, "bolt") == ["ok"] * budget


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_request_waits_for_its_place_when_it_frees_within_the_patience():
    clock = Clock()
    budget = RequestBudget("merchant acme", 2, patience=60, clock=clock, sleep=clock.sleep)
    budget.take()
    clock.now += 3570
    budget.take()
    clock.now += 10   # 3,580 s after the first: its place frees in 20 s
    budget.take()
    assert clock.slept == [pytest.approx(20)]
    assert budget.used() == 2  # the first left the hour as the third took its place

    clock.now += 1   # both places taken for another 3,579 s: far beyond the patience
    with pytest.raises(RequestBudgetSpent, match="request budget of merchant acme spent: 2 requests"):
        budget.take()
    assert clock.slept == [pytest.approx(20)]
