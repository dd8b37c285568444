"""Every kind of transient failure is retried until the call succeeds; terminal ones are not."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.soap.errors import AuthenticationError, RetryableError

from sync_pipeline_tests.erp.conftest import calls, connection_for

RATE = 0.5


def _seed_failing_first_call_only() -> int:
    """A fault seed whose first draw injects the fault and whose second does not."""
    for seed in range(1000):
        rolls = random.Random(seed)
        if rolls.random() < RATE <= rolls.random():
            return seed
    raise AssertionError("no such seed")


@pytest.mark.parametrize("kind", ["error", "timeout", "drop", "malformed"])
def test_an_injected_fault_is_retried_and_the_call_succeeds(kind, erp_server, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001", "Stock": "4"}])
    with ErpClient(connection_for(erp_server.url, timeout=0.5)) as client:
        client.session.login()
        erp_admin.post("faults", {f"{kind}_rate": RATE, "seed": _seed_failing_first_call_only(),
                                  "timeout_hold_seconds": 1.0})

        (product,) = client.products([1])

    assert product.No == "SKU-1001"
    outcomes = [entry["outcome"] for entry in calls(erp_admin, "GetProducts")]
    assert outcomes[0].startswith(f"injected: {kind}") and outcomes[-1] == "ok" and len(outcomes) == 2


def test_a_write_interrupted_by_a_timeout_is_repeated_harmlessly(erp_server, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001", "Stock": "4"}])
    with ErpClient(connection_for(erp_server.url, timeout=0.5)) as client:
        client.session.login()
        erp_admin.post("faults", {"timeout_rate": RATE, "seed": _seed_failing_first_call_only(),
                                  "timeout_hold_seconds": 1.0})
        assert client.set_stock_quantity(1, Decimal("9")) is None
    assert [p["Stock"] for p in erp_admin.get("products")] == ["9"]
    assert len(calls(erp_admin, "SetStockQuantity")) == 2


def test_the_client_waits_out_a_quarantine_and_then_succeeds(erp_server, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001"}])
    with ErpClient(connection_for(erp_server.url)) as client:
        client.session.login()
        erp_admin.post("faults", {"quarantine_seconds": 1.5, "quarantine_from_next_call": True})
        started = time.monotonic()

        (product,) = client.products([1])

    assert product.No == "SKU-1001"
    assert time.monotonic() - started >= 1.0
    outcomes = [entry["outcome"] for entry in calls(erp_admin, "GetProducts")]
    assert outcomes[0] == "quarantined" and outcomes[-1] == "ok"


def test_retries_give_up_after_the_policy_s_attempts(erp_server, erp_admin):
    policy = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)
    with ErpClient(connection_for(erp_server.url, retry=policy)) as client:
        client.session.login()
        erp_admin.post("faults", {"drop_rate": 1.0})
        with pytest.raises(RetryableError):
            client.products([1])
    assert len(calls(erp_admin, "GetProducts")) == 3


def test_a_terminal_fault_is_not_retried(erp_server, erp_admin):
    # A blocked identity is a fault the service will repeat however often it is asked.
    connection = connection_for(erp_server.url, identity_id="33333333-3333-3333-3333-333333333333")
    with ErpClient(connection) as client:
        with pytest.raises(AuthenticationError) as raised:
            client.products([1])
    assert raised.value.retryable is False
    assert len(calls(erp_admin)) == 1
