"""The 24SevenOffice client reads every generated reply (corpus.py) with the values it holds, on both paths.

Replies come over HTTP from a server answering by SOAPAction and are read by ErpClient's own methods:
once as the client is (GetProducts, GetInvoices and GetCompanies by the fast decoder, which leaves
what it does not know to zeep) and once with zeep decoding every reply. Records must hold every
element of the reply (corpus_checks.py), the elements no description has must be skipped and noted
by the same names and counts on both paths, a misplaced APIException must be its record's refusal,
and what is not a reply of the operation must fail the call with the same error on both paths.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from zeep.helpers import serialize_object

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.erp.client import (
    COMPANY_RETURN_PROPERTIES,
    FAR_PAST,
    INVOICE_RETURN_PROPERTIES,
    PRODUCT_RETURN_PROPERTIES,
    ROW_RETURN_PROPERTIES,
)
from sync_pipeline.erp.models import OrderStatus
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.soap.fast_reply import Unusual
from sync_pipeline.soap.values import string_array
from sync_pipeline_tests.contracts.corpus import (
    SO24_DESCRIPTIONS,
    NonReply,
    Operation,
    Reply,
    drawn_reply,
    non_replies,
    replies,
)
from sync_pipeline_tests.contracts.corpus_checks import (
    erp_record_problems,
    holds_nothing,
    non_reply_problems,
    zeep_result_problems,
)
from sync_pipeline_tests.contracts.corpus_server import (
    Answer,
    RoutedServer,
    routed_server,
)
from sync_pipeline_tests.contracts.corpus_values import DrawingPicker
from sync_pipeline_tests.soap.reading import reading_of

OPERATIONS = {name: Operation(name, path) for name, path in SO24_DESCRIPTIONS.items()}
FAST, ZEEP = "fast path", "zeep's path"
QUICK = RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002, max_quarantine_wait=0.01)
RECORD_READS: dict[str, Callable[[ErpClient], list[Any]]] = {
    "GetProducts": lambda client: client.products_changed_since(None),
    "GetInvoices": lambda client: client.orders([1]),
    "GetCompanies": lambda client: client.companies_changed_since(None),
}
# What the proxies are asked, as the client asks it (the reply does not depend on it).
ARGUMENTS: dict[str, dict[str, Any]] = {
    "Login": {"credential": {"ApplicationId": "11111111-1111-1111-1111-111111111111",
                             "IdentityId": "00000000-0000-0000-0000-000000000000",
                             "Username": "demo@example.com", "Password": "demo-password"}},
    "HasSession": {},
    "GetProducts": {"searchParams": {"DateChanged": FAR_PAST},
                    "returnProperties": string_array(PRODUCT_RETURN_PROPERTIES)},
    "SetStockQuantity": {"productId": 7, "stockQuantity": Decimal(5)},
    "GetOrderSyncList": {"syncParams": {"ChangedAfter": FAR_PAST, "RegisteredAfter": FAR_PAST}},
    "GetInvoices": {"searchParams": {"OrderIds": {"int": [1]}},
                    "invoiceReturnProperties": string_array(INVOICE_RETURN_PROPERTIES),
                    "rowReturnProperties": string_array(ROW_RETURN_PROPERTIES)},
    "SaveInvoices": {"invoices": {"InvoiceOrder": [{"OrderId": 1, "OrderStatus": "Confirmed", "IncludeVAT": None}]}},
    "GetCompanies": {"searchParams": {"ChangedAfter": FAR_PAST},
                     "returnProperties": string_array(COMPANY_RETURN_PROPERTIES)},
}


@pytest.fixture(scope="module")
def server() -> Iterator[RoutedServer]:
    yield from routed_server()


@pytest.fixture
def make_client(server: RoutedServer) -> Callable[[str], ErpClient]:
    """A client of the server, logged in by the full Login reply; with `ZEEP`, zeep decodes every reply."""
    server.answers.clear()  # the server lives for the module; answers of earlier tests are gone
    server.answer("Login", replies(OPERATIONS["Login"])[0].envelope)
    made: list[ErpClient] = []

    def make(path: str) -> ErpClient:
        client = ErpClient(ErpConnection(base_url=server.url, application_id="11111111-1111-1111-1111-111111111111",
                                         username="demo@example.com", password="demo-password", timeout=5,
                                         retry=QUICK))
        if path == ZEEP:
            for reader in (client._products_reader, client._invoices_reader, client._companies_reader):
                reader.decoder = None
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def outcome(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - comparing failures is the point
        return error


def noted(client: ErpClient, read: Callable[[], Any]) -> tuple[Any, dict[str, int]]:
    """What `read` gives (or raises), and the unknown elements it noted."""
    before = client.unknown_elements.snapshot()
    result = outcome(read)
    after = client.unknown_elements.snapshot()
    return result, {name: count - before.get(name, 0) for name, count in after.items() if count != before.get(name, 0)}


def record_problems(reply: Reply, records: Any) -> list[str]:
    if isinstance(records, Exception):
        return [f"{reply}: raised {type(records).__name__}: {records}"]
    expected = reply.records
    labels = reply.record_labels or tuple(f"#{index}" for index in range(len(expected)))
    if len(records) != len(expected):
        # A record element that holds nothing (nil, or no element the description has: zeep gives None for
        # an empty element) may be read as no record; the records that hold something must all be there.
        kept = [index for index, held in enumerate(expected) if held not in (None, {})]
        records = [record for record in records if not holds_nothing(record)]
        expected, labels = [expected[index] for index in kept], tuple(labels[index] for index in kept)
    if len(records) != len(expected):
        return [f"{reply}: read {len(records)} records, the reply holds {len(expected)}"]
    return [f"{reply.operation.name} [{label}] {problem}" for label, record, held in zip(labels, records, expected)
            for problem in erp_record_problems(record, held, "")]


# -- records: GetProducts, GetInvoices, GetCompanies ---------------------------------------------------

@pytest.mark.parametrize("path", [FAST, ZEEP])
@pytest.mark.parametrize("name", sorted(RECORD_READS))
def test_records_hold_every_element_of_the_reply(server: RoutedServer, make_client: Callable[[str], ErpClient],
                                                 name: str, path: str) -> None:
    client = make_client(path)
    problems: list[str] = []
    for reply in replies(OPERATIONS[name]):
        server.answer(name, reply.envelope)
        records, notes = noted(client, lambda: RECORD_READS[name](client))
        problems += record_problems(reply, records)
        if notes != reply.unknown:
            problems.append(f"{reply}: noted {notes}, the reply has {reply.unknown}")
    assert not problems, "\n".join(problems[:40])


# No shrinking: shrinking a large drawn reply outlasts pytest-timeout, whose Failed inside an example
# hypothesis takes for a failure that then passes on replay (a FlakyFailure hiding the real one).
DRAWN = settings(derandomize=True, database=None, deadline=None, max_examples=15,
                 phases=(Phase.explicit, Phase.generate),
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("name", sorted(RECORD_READS))
@DRAWN
@given(data=st.data())
def test_drawn_replies_are_read_alike_on_both_paths(name: str, data: st.DataObject) -> None:
    """Replies drawn by hypothesis: elements present or not, nil, in any order, unknown ones added."""
    reply = drawn_reply(OPERATIONS[name], DrawingPicker(data.draw))
    for fast in (True, False):
        records, notes = reading_of(name).as_client(reply.envelope, fast=fast)
        assert not record_problems(reply, records), (fast, record_problems(reply, records))
        assert notes == reply.unknown, fast


def left_to_zeep(name: str) -> list[str]:
    """The labels of the replies the fast pass leaves to zeep."""
    left = []
    for reply in replies(OPERATIONS[name]):
        try:
            reading_of(name).fast(reply.envelope)
        except Unusual:
            left.append(reply.label)
    return left


# Left to zeep by design: an absent, empty or nil result, unknown elements in the wrappers, a misplaced
# APIException (TolerantReading moves it to its record).
BY_DESIGN = ("absent", "nil", "unknown", "records APIException")
# Unknown elements or children out of order inside a complex element the model does not have (an extra
# such as InvoiceOrder.Currency or Company.Maps): the fast pass gives those to zeep as they came.
INSIDE_EXTRAS = ("unknown inside records", "reversed")


@pytest.mark.parametrize("name", sorted(RECORD_READS))
def test_the_fast_pass_reads_the_replies_itself(name: str) -> None:
    """The fast pass reads full replies and those with absent, nil, unknown or reordered elements in the
    records itself (so that the fast path the other tests read is the fast pass, not zeep)."""
    left = [label for label in left_to_zeep(name) if label not in INSIDE_EXTRAS]
    assert not [label for label in left if not label.startswith(BY_DESIGN) or label == "unknown inside records"], left
    assert "full" not in left


@pytest.mark.parametrize("name", ["GetProducts", "GetInvoices", "GetCompanies"])
def test_the_fast_pass_reads_unknown_and_reordered_elements_inside_extras(name: str) -> None:
    assert not set(INSIDE_EXTRAS) & set(left_to_zeep(name))


# -- zeep's values: every element of every reply -------------------------------------------------------

@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_zeeps_values_hold_every_element_of_the_reply(server: RoutedServer, make_client: Callable[[str], ErpClient],
                                                      name: str) -> None:
    client = make_client(ZEEP)
    proxy = {"Login": client.session._auth, "HasSession": client.session._auth, "GetProducts": client._products,
             "SetStockQuantity": client._products, "GetCompanies": client._companies}.get(name, client._invoices)
    problems: list[str] = []
    for reply in replies(OPERATIONS[name]):
        server.answer(name, reply.envelope)
        read = outcome(lambda: serialize_object(getattr(proxy, name)(**ARGUMENTS[name]), dict))
        if isinstance(read, Exception):
            problems.append(f"{reply}: raised {type(read).__name__}: {read}")
        else:
            problems += [f"{reply}: {problem}" for problem in zeep_result_problems(read, reply.result)]
    assert not problems, "\n".join(problems[:40])


# -- the other replies the client reads ------------------------------------------------------------

def test_login_replies(server: RoutedServer, make_client: Callable[[str], ErpClient]) -> None:
    for reply in replies(OPERATIONS["Login"]):
        client = make_client(ZEEP)
        server.answer("Login", reply.envelope)
        result, notes = noted(client, client.session.login)
        if reply.result:  # a session id
            assert result is None and client.session.logged_in, reply
            assert client.session._session_cookie() == reply.result, reply
        else:
            assert isinstance(result, SyncError) and "refused the login" in str(result), (reply, result)
        assert notes == reply.unknown, reply


@pytest.mark.parametrize("name, read, expected", [
    ("HasSession", lambda client: client.has_session(), lambda held: held),
    ("SetStockQuantity", lambda client: client.set_stock_quantity(7, Decimal(5)),
     lambda held: None if held else RecordError(key="7", field="Stock",
                                                 message="24SevenOffice did not accept stock quantity 5")),
    ("GetOrderSyncList", lambda client: client.order_ids_changed_since(None),
     lambda held: list(dict.fromkeys((held or {}).get("int", [])))),
])
def test_answers_of_one_value(server: RoutedServer, make_client: Callable[[str], ErpClient], name: str,
                              read: Callable[[ErpClient], Any], expected: Callable[[Any], Any]) -> None:
    client = make_client(ZEEP)
    client.session.login()
    for reply in replies(OPERATIONS[name]):
        server.answer(name, reply.envelope)
        result, notes = noted(client, lambda: read(client))
        assert result == expected(reply.result), reply
        assert notes == reply.unknown, reply


def first_refusal(reply: Reply) -> RecordError | None:
    for record in reply.records:
        problem = (record or {}).get("APIException")
        if problem and (problem.get("Type") or problem.get("Message")):
            message = ": ".join(part for part in (problem.get("Type"), problem.get("Message")) if part)
            return RecordError(key="1", field="OrderStatus", message=message)
    return None


def test_save_invoices_refusals(server: RoutedServer, make_client: Callable[[str], ErpClient]) -> None:
    """A SaveInvoices reply with an APIException anywhere inside a record is that record's refusal."""
    client = make_client(ZEEP)
    client.session.login()
    for reply in replies(OPERATIONS["SaveInvoices"]):
        server.answer("SaveInvoices", reply.envelope)
        result, notes = noted(client, lambda: client.set_order_status(1, OrderStatus.CONFIRMED))
        assert result == first_refusal(reply), reply
        assert notes == reply.unknown, reply


# -- what is not a reply of the operation -------------------------------------------------------------

CALLS: dict[str, Callable[[ErpClient], Any]] = {
    **RECORD_READS,
    "HasSession": lambda client: client.has_session(),
    "SetStockQuantity": lambda client: client.set_stock_quantity(7, Decimal(5)),
    "GetOrderSyncList": lambda client: client.order_ids_changed_since(None),
    "SaveInvoices": lambda client: client.set_order_status(1, OrderStatus.CONFIRMED),
}


def ending(server: RoutedServer, make_client: Callable[[str], ErpClient], name: str, non_reply: NonReply,
           path: str) -> Any:
    """How the client's call ends when the server answers `non_reply`."""
    client = make_client(path)
    if name != "Login":
        client.session.login()
    server.answer(name, Answer(non_reply.body, non_reply.status, non_reply.content_type))
    return outcome(client.session.login if name == "Login" else functools.partial(CALLS[name], client))


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_what_is_not_a_reply_fails_the_call_alike_on_both_paths(server: RoutedServer,
                                                                 make_client: Callable[[str], ErpClient],
                                                                 name: str) -> None:
    problems = []
    for non_reply in non_replies(OPERATIONS[name]):
        if non_reply.label == "HTML error page":
            continue  # see below
        fast, by_zeep = (ending(server, make_client, name, non_reply, path) for path in (FAST, ZEEP))
        problems += non_reply_problems(non_reply.label, name, fast)
        if (type(fast), str(fast)) != (type(by_zeep), str(by_zeep)):
            problems.append(f"{non_reply}: {fast!r} on the fast path, {by_zeep!r} on zeep's")
    assert not problems, "\n".join(problems)


def test_an_html_error_page_is_retried_as_any_http_5xx(server: RoutedServer,
                                                       make_client: Callable[[str], ErpClient]) -> None:
    (page,) = [non_reply for non_reply in non_replies(OPERATIONS["GetProducts"]) if non_reply.label == "HTML error page"]
    assert not non_reply_problems(page.label, "GetProducts", ending(server, make_client, "GetProducts", page, FAST))
