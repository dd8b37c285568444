"""Injected faults on the ERP sandbox as a client meets them at the HTTP level."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from decimal import Decimal

import pytest
import requests
from zeep.exceptions import Fault, TransportError

from sync_pipeline.sandbox.faults import FaultConfig
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.errors import QuarantineError, RetryableError, classify
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient


def test_error_is_an_http_500_fault(erp: ErpClient, erp_server: SandboxServer):
    erp_server.faults.configure(FaultConfig(error_rate=1.0))
    with pytest.raises(Fault, match=r"Server was unable to process request\. .*\(injected\)") as raised:
        erp.products_by("Id")
    assert isinstance(classify(raised.value, "GetProducts"), RetryableError)
    assert erp_server.calls.snapshot()["log"][-1]["outcome"] == "injected: error"


def test_drop_closes_the_connection_without_a_reply(erp: ErpClient, erp_server: SandboxServer):
    erp_server.faults.configure(FaultConfig(drop_rate=1.0))
    with pytest.raises(requests.ConnectionError) as raised:
        erp.products_by("Id")
    assert isinstance(classify(raised.value, "GetProducts"), RetryableError)


def test_malformed_reply_cannot_be_parsed_but_the_work_was_done(erp: ErpClient, erp_server: SandboxServer,
                                                                  erp_admin: Admin):
    erp_admin.post("products", {"Id": 1, "No": "SKU-1", "Stock": "1"})
    erp_server.faults.configure(FaultConfig(malformed_rate=1.0))
    with pytest.raises(TransportError, match="invalid XML") as raised:
        erp.products.SetStockQuantity(productId=1, stockQuantity=Decimal("9"))
    assert isinstance(classify(raised.value, "SetStockQuantity"), RetryableError)
    assert erp_admin.get("products")[0]["Stock"] == "9"


def test_timeout_holds_the_reply_after_doing_the_work(erp_server: SandboxServer, erp_admin: Admin):
    client = ErpClient(erp_server.url, timeout=0.3)
    client.login()
    erp_admin.post("products", {"Id": 1, "No": "SKU-1", "Stock": "1"})
    erp_server.faults.configure(FaultConfig(timeout_rate=1.0, timeout_hold_seconds=0.6))
    with pytest.raises(requests.Timeout):
        client.products.SetStockQuantity(productId=1, stockQuantity=Decimal("4"))
    assert erp_admin.get("products")[0]["Stock"] == "4"


def test_quarantine_names_its_end_over_the_admin_route(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("faults", {"quarantine_seconds": 120})
    with pytest.raises(Fault, match=r"Limit exceeded\. Request is blocked\. Quarantine ends at ") as raised:
        erp.products_by("Id")
    error = classify(raised.value, "GetProducts")
    assert isinstance(error, QuarantineError)
    assert 100 < (error.retry_at - datetime.now(timezone.utc)).total_seconds() <= 121
    erp_admin.post("faults", {})
    assert erp.products_by("Id") == []


def test_exceeding_the_hourly_request_limit_blocks_the_caller(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("faults", {"rate_limit_per_hour": 3})
    erp.products_by("Id")
    erp.products_by("Id")
    with pytest.raises(Fault, match="Limit exceeded"):
        erp.products_by("Id")  # the login of the fixture counted too


def test_latency_is_the_time_a_call_takes_its_own_work_included(erp: ErpClient, erp_server: SandboxServer,
                                                                 erp_admin: Admin):
    """`latency_ms` models a remote service's answer time: work the sandbox does is inside it, not added."""
    erp_admin.post("products", [{"Id": i, "No": f"SKU-{i}", "Name": f"Vare {i} " + "x" * 40} for i in range(1, 3001)])

    def answer_time() -> float:  # best of three; the reply is not parsed here, so this is the sandbox's time
        times = []
        for _ in range(3):
            started = time.perf_counter()
            with erp.products._client.settings(raw_response=True):
                reply = erp.products.GetProducts(searchParams={"Id": None},
                                                 returnProperties={"string": ["Id", "No", "Name"]})
            times.append(time.perf_counter() - started)
            assert reply.status_code == 200 and b"SKU-3000" in reply.content
        return min(times)

    work = answer_time()
    assert work > 0.02, "too little work for the comparison to mean anything"
    latency = work + 0.3
    erp_server.faults.configure(FaultConfig(latency_ms=latency * 1000))
    took = answer_time()
    assert latency <= took < latency + work / 2, f"work {work:.3f}s, latency {latency:.3f}s, took {took:.3f}s"
