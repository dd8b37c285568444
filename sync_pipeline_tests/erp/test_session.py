"""Login once, reuse the session everywhere, log in again only when it died."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.soap.errors import AuthenticationError

from sync_pipeline_tests.erp.conftest import USERNAME, calls, connection_for


def test_one_login_serves_every_service_and_has_session_is_never_asked(erp_client, erp_admin, real_contracts):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001", "Name": "Pledd"}])
    erp_admin.post("companies", [{"Id": 1, "Name": "Leverandør AS", "Type": "Supplier"}])

    for _ in range(3):
        assert [p.No for p in erp_client.products_changed_since(None)] == ["SKU-1001"]
        assert [c.Name for c in erp_client.companies([1])] == ["Leverandør AS"]
        assert erp_client.order_ids_changed_since(datetime(2020, 1, 1, tzinfo=timezone.utc)) == []

    counts = erp_admin.get("calls")["counts"]
    assert counts["Login"] == 1
    assert "HasSession" not in counts
    assert counts["GetProducts"] == 3 and counts["GetCompanies"] == 3 and counts["GetOrderSyncList"] == 3
    assert real_contracts.validated.count("Login") == 1


def test_a_dead_session_is_replaced_once_and_the_call_repeated(erp_client, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001"}])
    erp_client.products([1])
    erp_admin.post("faults", {"expire_sessions": True})

    assert [p.No for p in erp_client.products([1])] == ["SKU-1001"]

    log = [(entry["operation"], entry["outcome"]) for entry in calls(erp_admin)]
    assert log == [("Login", "ok"), ("GetProducts", "ok"),
                   ("GetProducts", "fault"), ("Login", "ok"), ("GetProducts", "ok")]
    assert erp_admin.get("state")["logins"] == 2


def test_wrong_password_is_an_authentication_error_without_retry_or_secret(erp_server, erp_admin):
    connection = connection_for(erp_server.url, password="not-the-password")
    with ErpClient(connection) as client:
        with pytest.raises(AuthenticationError) as raised:
            client.products([1])
    message = str(raised.value)
    assert USERNAME in message and "not-the-password" not in message
    assert [entry["operation"] for entry in calls(erp_admin)] == ["Login"]  # refused logins are not retried


def test_a_blocked_identity_is_an_authentication_error_and_not_retried(erp_server, erp_admin):
    connection = connection_for(erp_server.url, identity_id="33333333-3333-3333-3333-333333333333")
    with ErpClient(connection) as client:
        with pytest.raises(AuthenticationError, match="IdentityId is blocked"):
            client.products([1])
    assert [(e["operation"], e["outcome"]) for e in calls(erp_admin)] == [("Login", "fault")]


def test_a_chosen_identity_that_is_allowed_logs_in(erp_server, erp_admin):
    connection = connection_for(erp_server.url, identity_id="22222222-2222-2222-2222-222222222222")
    with ErpClient(connection) as client:
        assert client.products([1]) == []


def test_has_session_is_available_for_diagnostics(erp_client, erp_admin):
    assert erp_client.has_session() is False  # not logged in yet: no request needed to know
    erp_client.products([1])
    assert erp_client.has_session() is True
    erp_admin.post("faults", {"expire_sessions": True})
    assert erp_client.has_session() is False
    assert erp_admin.get("calls")["counts"]["Login"] == 1  # asking does not log in
