"""Login, the session cookie, HasSession and session death, as a 24SevenOffice API user meets them."""

from __future__ import annotations

import json

import pytest
import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.errors import SessionExpiredError, classify
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import PASSWORD, ErpClient, FakeClock

NOT_AUTHENTICATED = "Not authenticated: the session has expired or you are not logged in."


def test_login_returns_a_session_that_the_cookie_carries_to_every_service(erp_server: SandboxServer):
    client = ErpClient(erp_server.url)
    session_id = client.login()
    assert len(session_id) == 24
    assert client.http.cookies.get("ASP.NET_SessionId") == session_id
    assert client.auth.HasSession() is True
    assert client.products_by("Id") == []  # another service accepts the same cookie


@pytest.mark.parametrize("change", [{"Password": "wrong"}, {"Username": "someone@example.com"},
                                    {"ApplicationId": "99999999-9999-9999-9999-999999999999"}])
def test_wrong_credentials_give_an_empty_session_id_not_a_fault(erp_server: SandboxServer, change):
    client = ErpClient(erp_server.url)
    credential = {"ApplicationId": "11111111-1111-1111-1111-111111111111", "Username": "demo@example.com",
                  "Password": PASSWORD, **change}
    assert client.auth.Login(credential=credential) is None  # "" on the wire; zeep reads that as None
    assert "ASP.NET_SessionId" not in client.http.cookies
    assert client.auth.HasSession() is False


def test_wrong_credentials_reply_is_an_empty_login_result_on_the_wire(erp_server: SandboxServer):
    envelope = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<Login xmlns="http://24sevenOffice.com/webservices"><credential>'
        '<ApplicationId>11111111-1111-1111-1111-111111111111</ApplicationId>'
        '<Password>nope</Password><Username>demo@example.com</Username>'
        '</credential></Login></soap:Body></soap:Envelope>')
    reply = requests.post(erp_server.url + "/authenticate/v001/authenticate.asmx", data=envelope.encode(),
                          headers={"Content-Type": "text/xml; charset=utf-8",
                                   "SOAPAction": '"http://24sevenOffice.com/webservices/Login"'}, timeout=5)
    assert reply.status_code == 200
    result = etree.fromstring(reply.content).find(".//{http://24sevenOffice.com/webservices}LoginResult")
    assert result is not None and (result.text or "") == ""


def test_identity_ids_zeros_and_the_users_own_are_accepted_others_blocked(erp_server: SandboxServer):
    client = ErpClient(erp_server.url)
    assert client.login(identity="00000000-0000-0000-0000-000000000000")
    assert client.login(identity="22222222-2222-2222-2222-222222222222")
    with pytest.raises(Fault, match="The provided IdentityId is blocked"):
        client.login(identity="33333333-3333-3333-3333-333333333333")


@pytest.mark.parametrize("call", [
    lambda c: c.products_by("Id"),
    lambda c: c.products.SetStockQuantity(productId=1, stockQuantity=5),
    lambda c: c.invoices.GetOrderSyncList(syncParams={"RegisteredAfter": "2020-01-01T00:00:00"}),
    lambda c: c.invoices_by(["OrderId"]),
    lambda c: c.invoices.SaveInvoices(invoices={"InvoiceOrder": [{"OrderId": 1, "IncludeVAT": None}]}),
    lambda c: c.companies.GetCompanies(searchParams={}, returnProperties={"string": ["Id"]}),
])
def test_every_operation_needs_a_session(erp_server: SandboxServer, call):
    client = ErpClient(erp_server.url)
    with pytest.raises(Fault) as raised:
        call(client)
    assert raised.value.message == f"Server was unable to process request. ---> {NOT_AUTHENTICATED}"
    assert isinstance(classify(raised.value, "x"), SessionExpiredError)


def test_a_made_up_session_cookie_is_not_a_session(erp_server: SandboxServer):
    client = ErpClient(erp_server.url)
    client.http.cookies.set("ASP.NET_SessionId", "abcdefghijklmnopqrstuvwx")
    assert client.auth.HasSession() is False
    with pytest.raises(Fault, match="Not authenticated"):
        client.products_by("Id")


def test_not_authenticated_is_an_http_500_fault(erp_server: SandboxServer):
    envelope = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                '<SetStockQuantity xmlns="http://24sevenOffice.com/webservices"><productId>1</productId>'
                '<stockQuantity>1</stockQuantity></SetStockQuantity></soap:Body></soap:Envelope>')
    reply = requests.post(erp_server.url + "/Logistics/Product/V001/ProductService.asmx", data=envelope.encode(),
                          headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=5)
    assert reply.status_code == 500
    assert NOT_AUTHENTICATED.encode() in reply.content


def test_a_session_dies_after_its_idle_time_and_use_keeps_it_alive(clocked_server: SandboxServer,
                                                                    clock: FakeClock):
    client = ErpClient(clocked_server.url)  # the sandbox's sessions live 60 s idle
    client.login()
    clock.advance(seconds=50)
    assert client.products_by("Id") == []
    clock.advance(seconds=50)  # 100 s after login, but only 50 s after the last call
    assert client.auth.HasSession() is True
    clock.advance(seconds=61)
    with pytest.raises(Fault, match="Not authenticated"):
        client.products_by("Id")
    assert client.auth.HasSession() is False
    client.login()
    assert client.products_by("Id") == []


def test_expire_sessions_kills_every_live_session(erp_server: SandboxServer, erp_admin: Admin):
    first, second = ErpClient(erp_server.url), ErpClient(erp_server.url)
    first.login(), second.login()
    assert erp_admin.get("state")["sessions"] == 2
    erp_admin.post("faults", {"expire_sessions": True})
    assert erp_admin.get("state")["sessions"] == 0
    for client in (first, second):
        assert client.auth.HasSession() is False
        with pytest.raises(Fault, match="Not authenticated"):
            client.products_by("Id")
    first.login()
    assert first.products_by("Id") == []


def test_state_counts_sessions_and_logins_but_never_shows_secrets(erp_server: SandboxServer, erp_admin: Admin):
    client = ErpClient(erp_server.url)
    session_id = client.login()
    client.login(password="wrong")
    state = erp_admin.get("state")
    assert (state["sessions"], state["logins"]) == (1, 1)
    text = json.dumps(state) + json.dumps(erp_admin.get("calls"))
    assert session_id not in text and PASSWORD not in text


def test_wsdl_is_served_with_the_sandbox_as_address_and_works_as_a_client(erp_server: SandboxServer):
    url = erp_server.url + "/Logistics/Product/V001/ProductService.asmx"
    reply = requests.get(url + "?WSDL", timeout=5)
    assert reply.status_code == 200
    address = etree.fromstring(reply.content).find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address.get("location") == url
    logged_in = ErpClient(erp_server.url)
    logged_in.login()
    served = zeep.Client(url + "?WSDL", transport=zeep.Transport(session=logged_in.http))
    assert served.service.SetStockQuantity(productId=1, stockQuantity=1) is False  # no product 1 yet
