"""Neither the password nor the session id ever reaches a log record, even with DEBUG everywhere."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.redaction import SESSION_COOKIE
from sync_pipeline.soap.redaction import SecretRedactor
from sync_pipeline.soap.errors import AuthenticationError

from sync_pipeline_tests.erp.conftest import PASSWORD, connection_for


def _client_records(caplog) -> list[logging.LogRecord]:
    # The sandbox runs in this process too; what it logs is not the client's doing.
    return [r for r in caplog.records if not r.name.startswith("sync_pipeline.sandbox")]


def _everything_logged(caplog) -> str:
    records = _client_records(caplog)
    handler_text = "\n".join(line for line in caplog.text.splitlines() if "sync_pipeline.sandbox" not in line)
    return "\n".join([handler_text] + [r.getMessage() for r in records] + [r.exc_text or "" for r in records])


def test_password_and_session_id_stay_out_of_debug_logs(erp_server, erp_admin, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("zeep", "zeep.transports", "urllib3", "sync_pipeline"):
        caplog.set_level(logging.DEBUG, logger=name)
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001"}])
    session_ids = []
    with ErpClient(connection_for(erp_server.url)) as client:
        client.products([1])
        session_ids.append(client.session.http.cookies.get(SESSION_COOKIE))
        erp_admin.post("faults", {"expire_sessions": True})
        client.set_stock_quantity(1, Decimal("3"))  # fails, logs in again, repeats
        session_ids.append(client.session.http.cookies.get(SESSION_COOKIE))

    assert all(session_ids) and session_ids[0] != session_ids[1]
    logged = _everything_logged(caplog)
    assert any(r.name == "zeep.transports" for r in _client_records(caplog)), "zeep logged no envelopes"
    assert "Login" in logged and "SetStockQuantity" in logged  # the envelopes themselves are still logged
    assert PASSWORD not in logged
    for session_id in session_ids:
        assert session_id not in logged


def test_a_refused_login_logs_no_password(erp_server, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="zeep.transports")
    with ErpClient(connection_for(erp_server.url, password="wrong-secret-pw")) as client:
        with pytest.raises(AuthenticationError) as raised:
            client.products([1])
    assert "wrong-secret-pw" not in _everything_logged(caplog)
    assert "wrong-secret-pw" not in str(raised.value)


def test_redactor_blanks_password_elements_and_cookies_it_was_not_told_about():
    redactor = SecretRedactor()
    text = ('<soap:Body><ns0:Login><ns0:credential><ns0:Password>hunter2&amp;x</ns0:Password>'
            '</ns0:credential></ns0:Login> Cookie: ASP.NET_SessionId=abcdefghijklmnopqrstuvwx; path=/'
            '<LoginResult>qwertyuiopasdfghjklzxcvb</LoginResult>')
    cleaned = redactor.redact(text)
    assert "hunter2" not in cleaned and "abcdefghijklmnopqrstuvwx" not in cleaned
    assert "qwertyuiopasdfghjklzxcvb" not in cleaned
    assert "<ns0:Password>***</ns0:Password>" in cleaned
