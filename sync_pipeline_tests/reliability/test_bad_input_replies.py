"""The bad-input corpus, reply by reply: what neither sandbox would ever send, and what both must refuse.

Replies a real service should never send (garbled, in another namespace, oversized, carrying a DTD,
entities or references to local files) come from a tiny hostile HTTP server started in the test.
The real ERP and WMS clients are pointed at it: each case ends in a clean SyncError of the right
class (retryable for accidents of transport, terminal for what repeating cannot change), or in a
safe reading; never in an expanded entity, a file's content or a raw library exception.

The last part sends hostile requests to the sandboxes' own SOAP endpoints: they refuse DTDs and
entities too, answer with a SOAP fault and go on serving.
"""

from __future__ import annotations

import gzip
import http.client
import logging
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

import pytest
import requests
from pydantic import SecretStr
from zeep.exceptions import Fault

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.mapping import map_order
from sync_pipeline.sandbox.server import MAX_REQUEST_BYTES, SandboxServer
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.soap.errors import RetryableError, SyncError, TerminalError
from sync_pipeline.resources import WmsResource, resources_from_env
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.settings import SettingsError, load_settings
from sync_pipeline.soap.transport import DEFAULT_MAX_REPLY_BYTES, MB
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.wms.status_calls import order_statuses

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ERP = "http://24sevenOffice.com/webservices"
WMS = "http://ongoingsystems.se/WSI"
PASSWORD = "hostile-test-Pa55word"
SESSION = "hostilesessionid00000000"
ATTEMPTS = 3
LIMIT = 64 * 1024  # the clients' reply limit in these tests (the default is DEFAULT_MAX_REPLY_BYTES)
PASSWD_MARKERS = ("root:x:", "/bin/bash", "/usr/sbin/nologin")
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')
XXE = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
NETWORK_DTD = '<!DOCTYPE soap:Envelope SYSTEM "{hostile}/evil.dtd">'  # {hostile}: the address, filled in
PARAMETER_ENTITY = '<!DOCTYPE x [<!ENTITY % remote SYSTEM "{hostile}/evil.dtd"> %remote;]>'


def envelope(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<soap:Envelope xmlns:soap="{SOAP}" '
            f'xmlns:xsi="{XSI}"><soap:Body>{body}</soap:Body></soap:Envelope>').encode()


def products(*records: str) -> str:
    return f'<GetProductsResponse xmlns="{ERP}"><GetProductsResult>{"".join(records)}</GetProductsResult></GetProductsResponse>'


def product(name: str = "Kaffe") -> str:
    return f"<Product><Id>1</Id><Name>{name}</Name><No>SKU-1</No></Product>"


def statuses(name: str = "Open") -> str:
    return (f'<GetOrderStatusesResponse xmlns="{WMS}"><GetOrderStatusesResult><OrderStatuses><OrderStatus>'
            f"<OrderStatusId>200</OrderStatusId><OrderStatusName>{name}</OrderStatusName></OrderStatus>"
            "</OrderStatuses></GetOrderStatusesResult></GetOrderStatusesResponse>")


LOGIN = envelope(f'<LoginResponse xmlns="{ERP}"><LoginResult>{SESSION}</LoginResult></LoginResponse>')


@dataclass
class Reply:
    """What the hostile server answers: a status, a body (or a writer streaming one) and headers."""

    body: bytes = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    stream: Callable[[Any], None] | None = None  # writes the body itself (no Content-Length)
    declared_length: int | None = None  # a Content-Length other than the body's


class Hostile:
    """A real HTTP server on a free port answering every SOAP call with `reply` (ERP logins excepted)."""

    def __init__(self) -> None:
        self.reply = Reply()
        self.login = Reply(LOGIN, headers=(("Set-Cookie", f"ASP.NET_SessionId={SESSION}; path=/"),))
        self.requests: list[tuple[str, str, str]] = []  # (method, path, SOAPAction)
        self.sent = 0  # bytes an endless reply managed to send before the client hung up
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_side = hostile

            def do_GET(self) -> None:  # noqa: N802 - stdlib name: a parser fetching a DTD would come here
                hostile.requests.append(("GET", self.path, ""))
                self._answer(Reply(b'<!ENTITY secret "fetched from the network">'))

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                action = self.headers.get("SOAPAction", "")
                hostile.requests.append(("POST", self.path, action.strip('"').rsplit("/", 1)[-1]))
                if action.endswith('/Login"'):
                    self._answer(hostile.login)
                else:
                    self._answer(hostile.reply)

            def _answer(self, reply: Reply) -> None:
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                for name, value in reply.headers:
                    self.send_header(name, value)
                try:
                    if reply.stream is not None:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        reply.stream(self)
                    else:
                        length = len(reply.body) if reply.declared_length is None else reply.declared_length
                        self.send_header("Content-Length", str(length))
                        self.end_headers()
                        self.wfile.write(reply.body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: that is what some cases expect
                if reply.stream is not None or reply.declared_length is not None:
                    self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def calls(self, operation: str) -> int:
        return sum(1 for _, _, action in self.requests if action == operation)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.stop()


QUICK = RetryPolicy(attempts=ATTEMPTS, base_delay=0.001, max_delay=0.005)


@pytest.fixture
def erp_client(hostile: Hostile) -> Iterator[ErpClient]:
    connection = ErpConnection(base_url=hostile.url, application_id="11111111-1111-1111-1111-111111111111",
                               username="hostile@example.com", password=SecretStr(PASSWORD), timeout=5,
                               retry=QUICK, max_reply_bytes=LIMIT)
    with ErpClient(connection) as client:
        yield client


@pytest.fixture
def wms_client(hostile: Hostile) -> WmsClient:
    return WmsClient(WmsConnection(base_url=hostile.url + "/sandbox", goods_owner_code="DEMO", username="demo",
                                   password=SecretStr(PASSWORD), timeout=5, retry=QUICK, max_reply_bytes=LIMIT))


# -- replies that fail cleanly --------------------------------------------------------------------

ENDLESS_CAP = 64 * 1024 * 1024


def endless(handler: Any, chunk: bytes = b" " * 65536) -> None:
    """A reply without Content-Length that goes on (up to ENDLESS_CAP) while the client reads."""
    handler.wfile.write(envelope("").split(b"<soap:Body>")[0])
    handler.server_side.sent = 0
    while handler.server_side.sent < ENDLESS_CAP:
        handler.server_side.sent += len(chunk)  # counted before the write, which the client may cut short
        handler.wfile.write(chunk)


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(envelope(products(product()))[:-len("</soap:Body></soap:Envelope>")] + b" " * size
                         + b"</soap:Body></soap:Envelope>", compresslevel=9)


@dataclass(frozen=True)
class Failing:
    reply: Reply
    error: type[SyncError]
    words: str


def failing(name: str, reply: Reply, error: type[SyncError], words: str):
    return pytest.param(Failing(reply, error, words), id=name)


def hostile_replies(body: Callable[[str], str]) -> list:
    """The cases, for one service: `body(text)` is a valid reply body with `text` in a string field."""
    valid = envelope(body("fine"))
    return [
        # garbled: a transport accident, worth another attempt
        failing("truncated", Reply(valid[: len(valid) // 2]), RetryableError, "malformed reply"),
        failing("empty-body-HTTP-200", Reply(b""), RetryableError, "malformed reply"),
        # a web page (a login or proxy page) is no SOAP reply at all: the address is wrong
        failing("HTML-page-HTTP-200", Reply(b"<html><body>Please log in</body></html>"), TerminalError,
                "an HTML page (HTTP 200), not a SOAP reply"),
        failing("JSON-HTTP-200", Reply(b'{"error": "nope"}'), RetryableError, "malformed reply"),
        failing("raw-control-bytes", Reply(envelope(body("a\x1bb"))), RetryableError, "malformed reply"),
        failing("cut-off-before-Content-Length", Reply(valid[:40], declared_length=len(valid)), RetryableError,
                "connection lost"),
        failing("HTTP-502-empty", Reply(b"", status=502), RetryableError, "HTTP 502"),
        # well-formed but not what the service description says: the same request gets the same answer
        failing("wrong-namespace", Reply(valid.replace(ERP.encode(), b"urn:wrong").replace(WMS.encode(), b"urn:wrong")),
                TerminalError, "does not match the service description"),
        failing("another-operations-reply", Reply(envelope(f'<HasSessionResponse xmlns="{ERP}"><HasSessionResult>'
                                                            f"true</HasSessionResult></HasSessionResponse>")),
                TerminalError, "does not match the service description"),
        failing("no-SOAP-Body", Reply(f'<soap:Envelope xmlns:soap="{SOAP}"/>'.encode()), TerminalError,
                "no SOAP Body"),
        failing("empty-SOAP-Body", Reply(envelope("")), TerminalError, "no SOAP Body"),
        failing("SOAP-1.2-envelope", Reply(valid.replace(SOAP.encode(), b"http://www.w3.org/2003/05/soap-envelope")),
                RetryableError, "Envelope root element"),
        # DTDs and entities: refused before anything is read, never expanded or fetched
        failing("billion-laughs", Reply(envelope(body("&lol4;"), LAUGHS)), TerminalError, "unsafe XML"),
        failing("external-entity-file", Reply(envelope(body("&secret;"), XXE)), TerminalError, "unsafe XML"),
        failing("external-DTD-over-HTTP", Reply(envelope(body("&secret;"), NETWORK_DTD)), TerminalError, "unsafe XML"),
        failing("parameter-entity", Reply(envelope(body("&secret;"), PARAMETER_ENTITY)), TerminalError, "unsafe XML"),
        failing("DTD-in-a-fault", Reply(envelope("<soap:Fault><faultcode>soap:Server</faultcode><faultstring>"
                                                 "&lol4;</faultstring></soap:Fault>", LAUGHS), status=500),
                TerminalError, "unsafe XML"),
        # oversized
        failing("Content-Length-over-the-limit", Reply(valid, declared_length=50 * LIMIT), TerminalError,
                "more than the limit"),
        failing("endless-reply", Reply(stream=endless), TerminalError, "larger than the limit"),
        failing("gzip-bomb", Reply(gzip_bomb(100 * LIMIT), headers=(("Content-Encoding", "gzip"),)), TerminalError,
                "larger than the limit"),
    ]


ERP_REPLIES = hostile_replies(lambda text: products(product(text)))
WMS_REPLIES = hostile_replies(lambda text: statuses(text))


def addressed(reply: Reply, hostile: Hostile) -> Reply:
    """The reply with "{hostile}" standing for the hostile server's address (where a DTD would be fetched)."""
    return replace(reply, body=reply.body.replace(b"{hostile}", hostile.url.encode()))


def assert_clean_failure(raised: pytest.ExceptionInfo, case: Failing, operation: str, hostile: Hostile,
                         logs: str) -> None:
    error = raised.value
    assert type(error) is case.error, f"{type(error).__name__}: {error}"
    assert str(error).startswith(f"{operation}: ") and case.words in str(error), str(error)
    expected_calls = ATTEMPTS if case.error is RetryableError else 1
    assert hostile.calls(operation) == expected_calls, "retryable ones are retried, terminal ones are not"
    assert [r for r in hostile.requests if r[0] == "GET"] == [], "nothing was fetched from the network"
    chain, cause, seen = [], error, set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        chain.append(f"{type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    everything = "\n".join(chain) + logs
    assert "lollollol" not in everything, "an entity was expanded"
    assert "fetched from the network" not in everything
    for marker in PASSWD_MARKERS:
        assert marker not in everything, "a local file's content leaked"
    assert PASSWORD not in everything and SESSION not in everything


@pytest.mark.parametrize("case", ERP_REPLIES)
def test_erp_reply(case: Failing, hostile: Hostile, erp_client: ErpClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hostile.reply = addressed(case.reply, hostile)
    with pytest.raises(SyncError) as raised:
        erp_client.products([1])
    assert_clean_failure(raised, case, "GetProducts", hostile, caplog.text)


@pytest.mark.parametrize("case", WMS_REPLIES)
def test_wms_reply(case: Failing, hostile: Hostile, wms_client: WmsClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hostile.reply = addressed(case.reply, hostile)
    with pytest.raises(SyncError) as raised:
        order_statuses(wms_client)
    assert_clean_failure(raised, case, "GetOrderStatuses", hostile, caplog.text)


def test_an_endless_reply_is_not_read_to_its_end(hostile: Hostile, wms_client: WmsClient) -> None:
    hostile.reply = Reply(stream=endless)
    with pytest.raises(TerminalError, match="larger than the limit"):
        order_statuses(wms_client)
    assert 0 < hostile.sent < ENDLESS_CAP, "the client hung up long before the server's 64 MB were sent"


def test_a_fault_quoting_the_password_does_not_pass_it_on(hostile: Hostile, wms_client: WmsClient) -> None:
    hostile.reply = Reply(envelope(f"<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Password "
                                   f"'{PASSWORD}' is not valid for goods owner DEMO</faultstring></soap:Fault>"),
                          status=500)
    with pytest.raises(TerminalError) as raised:
        order_statuses(wms_client)
    text = str(raised.value) + str(raised.value.__cause__)
    assert "is not valid for goods owner DEMO" in text and PASSWORD not in text, text
    assert isinstance(raised.value.__cause__, Fault), "the cause keeps its type, without the password"


def test_the_reply_limit_comes_from_SYNC_MAX_REPLY_MB(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in sandbox_environment("http://127.0.0.1:9", "http://127.0.0.1:9").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SYNC_MAX_REPLY_MB", raising=False)
    assert load_settings(None).erp_connection().max_reply_bytes == DEFAULT_MAX_REPLY_BYTES >= 200 * MB
    monkeypatch.setenv("SYNC_MAX_REPLY_MB", "3")
    settings = load_settings(None)
    assert settings.erp_connection().max_reply_bytes == settings.wms_connection().max_reply_bytes == 3 * MB
    resources = resources_from_env(settings)
    assert resources["erp"].max_reply_mb == resources["wms"].max_reply_mb == 3
    wms = WmsResource(base_url="http://127.0.0.1:9/sandbox", goods_owner_code="DEMO", username="demo",
                      password="p", max_reply_mb=3)
    assert wms.client().connection.max_reply_bytes == 3 * MB
    monkeypatch.setenv("SYNC_MAX_REPLY_MB", "0")
    with pytest.raises(SettingsError, match="SYNC_MAX_REPLY_MB.*megabytes"):
        load_settings(None)


def test_a_reply_just_under_the_limit_is_read(hostile: Hostile, wms_client: WmsClient) -> None:
    padded = envelope(statuses().replace("<OrderStatuses>", "<OrderStatuses>" + " " * (LIMIT - 1000)))
    assert LIMIT - 1000 < len(padded) <= LIMIT
    hostile.reply = Reply(padded)
    assert [s.OrderStatusId for s in order_statuses(wms_client)] == [200]


# -- replies read safely --------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    pytest.param("Kaffe&#x0;filter&#x1B;&#xB;", "Kaffe\ufffdfilter\ufffd\ufffd", id="forbidden-character-references"),
    pytest.param("Kaffe&#xD800;&#65535;", "Kaffe\ufffd\ufffd", id="surrogate-and-non-character-references"),
    pytest.param("Caf&#xE9; &#x2615;&#9;", "Café ☕\t", id="allowed-character-references-kept"),
    pytest.param('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>',
                 None, id="XInclude-not-processed"),
])
def test_erp_reply_read_safely(name: str, expected: str | None, hostile: Hostile, erp_client: ErpClient) -> None:
    hostile.reply = Reply(envelope(products(product(name))))
    (record,) = erp_client.products([1])
    assert (record.No, record.Name) == ("SKU-1", expected)


def test_nil_where_lists_were_expected(hostile: Hostile, erp_client: ErpClient) -> None:
    order = ("<InvoiceOrder><OrderId>{id}</OrderId><CustomerId>201</CustomerId><OrderStatus>Confirmed</OrderStatus>"
             '<IncludeVAT xsi:nil="true"/>{rows}</InvoiceOrder>')
    hostile.reply = Reply(envelope(
        f'<GetInvoicesResponse xmlns="{ERP}"><GetInvoicesResult>'
        + order.format(id=1, rows='<InvoiceRows xsi:nil="true"/>')
        + order.format(id=2, rows="<InvoiceRows/>")
        + order.format(id=3, rows='<InvoiceRows><InvoiceRow xsi:nil="true"/><InvoiceRow><ProductId>1</ProductId>'
                                  "<RowId>1</RowId><Quantity>2</Quantity></InvoiceRow></InvoiceRows>")
        + '<InvoiceOrder xsi:nil="true"/>'
        + order.format(id=4, rows="")
        + "</GetInvoicesResult></GetInvoicesResponse>"))
    orders = erp_client.orders([1, 2, 3, 4])
    # A nil record is read (as zeep reads it) as a record without values: the order is refused by
    # name, and a nil row refuses its order rather than letting it ship without a line.
    assert [(o.OrderId, [r.ProductId for r in o.InvoiceRows]) for o in orders] == [
        (1, []), (2, []), (3, [None, 1]), (None, []), (4, [])]
    refusals = [(error.key, error.field) for error in map(map_order, orders)]
    assert refusals == [("1", "InvoiceRows"), ("2", "InvoiceRows"), ("3", "InvoiceRows[0].ProductId"),
                        ("InvoiceOrder (no OrderId)", "OrderId"), ("4", "InvoiceRows")]


# -- hostile requests at the sandboxes' own endpoints ---------------------------------------------

def erp_login(prolog: str = "") -> bytes:
    return envelope(f'<Login xmlns="{ERP}"><credential><ApplicationId>11111111-1111-1111-1111-111111111111'
                    "</ApplicationId><Password>demo-password</Password><Username>demo@example.com</Username>"
                    "</credential></Login>", prolog)


def wms_statuses(prolog: str = "") -> bytes:
    return envelope(f'<GetOrderStatuses xmlns="{WMS}"><UserName>demo</UserName><Password>demo-password</Password>'
                    "<GoodsOwnerCode>DEMO</GoodsOwnerCode></GetOrderStatuses>", prolog)


def bad_requests(valid: Callable[..., bytes]) -> list:
    """(body, words the fault must contain) for one endpoint; `valid(prolog=...)` is a request it answers."""
    sample = valid()
    return [
        pytest.param(valid(prolog=LAUGHS), "DTD is prohibited", id="billion-laughs"),
        pytest.param(valid(prolog=XXE), "DTD is prohibited", id="external-entity-file"),
        pytest.param(valid(prolog=PARAMETER_ENTITY), "DTD is prohibited", id="parameter-entity-over-HTTP"),
        pytest.param(valid(prolog=NETWORK_DTD), "DTD is prohibited", id="external-DTD-over-HTTP"),
        pytest.param(sample[: len(sample) // 2], "unable to read request", id="truncated"),
        pytest.param(b"", "unable to read request", id="empty"),
        pytest.param(b'{"Login": {}}', "unable to read request", id="JSON"),
        pytest.param(sample.replace(b"demo", b"de&#x0;mo", 1), "unable to read request",
                     id="forbidden-character-reference"),
        pytest.param(sample.replace(b"<soap:Body>", b"<soap:Body>" + b"<a>" * 5000, 1), "unable to read request",
                     id="nested-5000-deep"),
        pytest.param(sample.replace(ERP.encode(), b"urn:wrong").replace(WMS.encode(), b"urn:wrong"),
                     "Unknown namespace", id="wrong-namespace"),
        pytest.param(envelope(""), "no SOAP 1.1 Body", id="empty-SOAP-Body"),
        pytest.param(sample.replace(SOAP.encode(), b"http://www.w3.org/2003/05/soap-envelope"), "no SOAP 1.1 Body",
                     id="SOAP-1.2-envelope"),
    ]


def post(url: str, body: bytes, **headers: str) -> requests.Response:
    return requests.post(url, data=body, headers={"Content-Type": "text/xml; charset=utf-8", **headers}, timeout=10)


def assert_refused(reply: requests.Response, words: str, hostile: Hostile) -> None:
    assert reply.status_code == 500 and b"<faultstring>" in reply.content, reply.content[:300]
    assert words in reply.text, reply.text[:300]
    assert "lollollol" not in reply.text and not any(marker in reply.text for marker in PASSWD_MARKERS)
    assert hostile.requests == [], "the sandbox fetched nothing from the network"


@pytest.mark.parametrize("body, words", bad_requests(erp_login))
def test_erp_sandbox_refuses(body: bytes, words: str, erp_server: SandboxServer, hostile: Hostile) -> None:
    url = erp_server.url + "/authenticate/v001/authenticate.asmx"
    assert_refused(post(url, body.replace(b"{hostile}", hostile.url.encode()), SOAPAction=f'"{ERP}/Login"'),
                   words, hostile)
    after = post(url, erp_login(), SOAPAction=f'"{ERP}/Login"')
    assert after.status_code == 200 and b"LoginResult>" in after.content, "and goes on serving"


@pytest.mark.parametrize("body, words", bad_requests(wms_statuses))
def test_wms_sandbox_refuses(body: bytes, words: str, wms_server: SandboxServer, hostile: Hostile) -> None:
    url = wms_server.url + "/sandbox/service.asmx"
    assert_refused(post(url, body.replace(b"{hostile}", hostile.url.encode()),
                        SOAPAction=f'"{WMS}/GetOrderStatuses"'), words, hostile)
    after = post(url, wms_statuses(), SOAPAction=f'"{WMS}/GetOrderStatuses"')
    assert after.status_code == 200 and b"OrderStatusId>450</" in after.content, "and goes on serving"


@pytest.mark.parametrize("length, status", [
    pytest.param(str(MAX_REQUEST_BYTES + 1), 413, id="Content-Length-over-the-limit"),
    pytest.param("lots", 400, id="Content-Length-not-a-number"),
])
def test_sandboxes_refuse_requests_they_cannot_read(length: str, status: int, erp_server: SandboxServer,
                                                    wms_server: SandboxServer) -> None:
    for server, path in ((erp_server, "/authenticate/v001/authenticate.asmx"), (wms_server, "/sandbox/service.asmx")):
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("POST", path, body=b"<x/>", headers={"Content-Length": length})  # never sends that much
        assert connection.getresponse().status == status
        connection.close()
        assert requests.get(server.url + path + "?WSDL", timeout=10).status_code == 200, "and goes on serving"
