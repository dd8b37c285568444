"""A quarantine that starts with the next SOAP call: tests meet it by the calls they make, not by timing."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from zeep.exceptions import Fault

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.errors import QuarantineError, classify
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient

NEXT_CALL = {"quarantine_seconds": 120, "quarantine_from_next_call": True}


def test_it_waits_for_the_next_call_however_late_that_comes(erp: ErpClient, erp_server: SandboxServer,
                                                             erp_admin: Admin):
    erp_admin.post("faults", {"quarantine_seconds": 0.05, "quarantine_from_next_call": True})
    assert erp_server.faults.quarantined(), "pending until a call comes"
    time.sleep(0.2)  # longer than the quarantine: one started when it was posted would be over
    before = len(erp_server.calls.snapshot()["log"])  # the fixture's login

    with pytest.raises(Fault, match=r"Limit exceeded\. Request is blocked\. Quarantine ends at "):
        erp.products_by("Id")
    time.sleep(0.2)  # it started with that call: now it is over
    assert not erp_server.faults.quarantined()
    assert erp.products_by("Id") == []
    assert [entry["outcome"] for entry in erp_server.calls.snapshot()["log"][before:]] == ["quarantined", "ok"]


def test_its_end_is_counted_from_the_refused_call(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("faults", NEXT_CALL)
    with pytest.raises(Fault) as raised:
        erp.products_by("Id")
    error = classify(raised.value, "GetProducts")
    assert isinstance(error, QuarantineError)
    assert 100 < (error.retry_at - datetime.now(timezone.utc)).total_seconds() <= 121


def test_a_new_setting_cancels_it_before_or_after_its_start(erp: ErpClient, erp_server: SandboxServer,
                                                           erp_admin: Admin):
    erp_admin.post("faults", NEXT_CALL)
    erp_admin.post("faults", {})
    assert not erp_server.faults.quarantined()
    assert erp.products_by("Id") == []

    erp_admin.post("faults", NEXT_CALL)
    with pytest.raises(Fault, match="Limit exceeded"):
        erp.products_by("Id")
    erp_admin.post("faults", {})
    assert not erp_server.faults.quarantined()
    assert erp.products_by("Id") == []


def test_the_setting_is_shown_and_off_by_default(erp_admin: Admin):
    assert erp_admin.post("faults", {})["quarantine_from_next_call"] is False
    assert erp_admin.post("faults", NEXT_CALL)["quarantine_from_next_call"] is True
    erp_admin.post("faults", {})
