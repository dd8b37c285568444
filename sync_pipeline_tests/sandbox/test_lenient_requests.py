"""Requests are read as the real (ASP.NET) services read them: optional and even required elements left
out, nillable ones nil, elements in another order than the description's sequence.

Each request is first rendered by a client of the vendor's REAL description, then reshaped as another
client (PHP, hand-written XML, an older generator) would send it. What is not a request of the
service at all is still a fault.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.contracts.real import ONGOING_2024, body_child, is_fault
from sync_pipeline_tests.sandbox.real_requests import left_out, local, nil, post, request, reshaped, reversed_children
from sync_pipeline_tests.sandbox.wms.ongoing import CREDENTIALS, article, customer, line, order, order_filters

ERP_LOGIN = {"ApplicationId": "11111111-1111-1111-1111-111111111111", "Username": "demo@example.com",
             "Password": "demo-password"}


def wms_url(server: SandboxServer) -> str:
    return f"{server.url}/sandbox/service.asmx"


def ongoing(operation: str, **values) -> object:
    return request(ONGOING_2024, operation, **CREDENTIALS, **values)


# -- Ongoing ---------------------------------------------------------------------------------------

def test_an_article_without_its_required_ids_in_reverse_order_is_created(wms_server: SandboxServer,
                                                                        wms_admin: Admin) -> None:
    sent = reshaped(ongoing("ProcessArticle", art=article("SKU-1", ArticleName="Tent", ArticleUnitCode="st",
                                                          Weight=Decimal("2.5"))),
                    left_out("art", "ArticleSystemId"), left_out("art", "IsStockArticle"),
                    reversed_children("art"), reversed_children())  # credentials after the article too

    status, reply = post(wms_url(wms_server), sent)

    assert (status, local(reply, "Success")) == (200, "true")
    (stored,) = wms_admin.get("state")["articles"]
    assert (stored["ArticleName"], stored["ArticleUnitCode"], Decimal(stored["Weight"])) == ("Tent", "st", Decimal("2.5"))


def test_a_nil_element_changes_nothing_and_the_rest_is_updated(wms_server: SandboxServer, wms_admin: Admin) -> None:
    post(wms_url(wms_server), ongoing("ProcessArticle", art=article("SKU-1", ArticleName="Tent",
                                                                     ArticleDescription="Two persons")))
    update = reshaped(ongoing("ProcessArticle", art=article("SKU-1", ArticleName="Tent", ArticleDescription="x",
                                                            BarCode="7040000000017")),
                      nil("art", "ArticleDescription"), nil("art", "ArticleName"))

    status, reply = post(wms_url(wms_server), update)

    assert (status, local(reply, "Success")) == (200, "true")
    (stored,) = wms_admin.get("state")["articles"]
    assert (stored["ArticleName"], stored["ArticleDescription"], stored["BarCode"]) == (
        "Tent", "Two persons", "7040000000017")


def test_an_order_with_its_parts_in_another_order_and_required_flags_left_out_is_created(
        wms_server: SandboxServer, wms_admin: Admin) -> None:
    post(wms_url(wms_server), ongoing("ProcessArticle", art=article("SKU-1", ArticleName="Tent")))
    sent = reshaped(
        ongoing("ProcessOrder", co=order("ORD-1", [line("1", 2, article_number="SKU-1")], OrderRemark="x",
                                         customer=customer(CustomerNumber="C-1", Name="Kari", Address2="Oppgang B"))),
        *[left_out("co", "Customer", flag) for flag in ("IsVisible", "NotifyBySMS", "NotifyByEmail",
                                                        "NotifyByTelephone", "CustomerId")],
        left_out("co", "CustomerOrderLines", "CustomerOrderLine", "SubOrderLineSpecification"),
        nil("co", "OrderInfo", "OrderRemark"),
        reversed_children("co", "OrderInfo"), reversed_children("co", "Customer"),
        reversed_children("co", "CustomerOrderLines", "CustomerOrderLine"), reversed_children("co"))

    status, reply = post(wms_url(wms_server), sent)

    assert (status, local(reply, "Success")) == (200, "true"), local(reply, "ErrorMessage")
    (stored,) = wms_admin.get("state")["orders"]
    assert (stored["GoodsOwnerOrderNumber"], stored["OrderStatusNumber"]) == ("ORD-1", 200)
    assert (stored["Customer"]["Name"], stored["Customer"]["Address2"]) == ("Kari", "Oppgang B")
    assert "OrderRemark" not in stored["OrderInfo"]
    assert [(ln["ArticleNumber"], Decimal(ln["NumberOfItems"])) for ln in stored["Lines"]] == [("SKU-1", 2)]


def test_an_order_query_without_the_required_filters_reads_the_orders(wms_server: SandboxServer) -> None:
    post(wms_url(wms_server), ongoing("ProcessArticle", art=article("SKU-1", ArticleName="Tent")))
    post(wms_url(wms_server), ongoing("ProcessOrder", co=order("ORD-1", [line("1", article_number="SKU-1")])))
    query = order_filters(OrderNumbersToGet={"string": ["ORD-1"]})
    sent = reshaped(ongoing("GetOrdersByQuery", query=query),
                    *[left_out("query", name) for name, value in query.items() if value is None])

    status, reply = post(wms_url(wms_server), sent)

    assert (status, local(reply, "GoodsOwnerOrderNumber")) == (200, "ORD-1")


def test_an_inventory_query_in_reverse_order_still_pages(wms_server: SandboxServer) -> None:
    for number in ("SKU-1", "SKU-2", "SKU-3"):
        post(wms_url(wms_server), ongoing("ProcessArticle", art=article(number)))
    sent = reshaped(ongoing("GetInventoryByQuery", GetInventoryQuery={"MaxArticlesToGet": 1, "ArticleSystemIdFrom": 2}),
                    reversed_children("GetInventoryQuery"))

    status, reply = post(wms_url(wms_server), sent)

    numbers = [node.text for node in reply.iter() if node.tag.endswith("}ArticleNumber")]
    assert (status, numbers) == (200, ["SKU-2"])


# Shaped as Ongoing's own example requests are (OngoingWarehouse/Ongoing-Warehouse-SOAP-API-Example-Requests,
# see docs/sandboxes.md): required elements left out, OrderInfo's GoodsOwnerOrderNumber before its
# OrderOperation, a line's ArticleIdentification before its OrderLineIdentification, no DeliveryDate.
VENDOR_SHAPED_ARTICLE = """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<ProcessArticle xmlns="http://ongoingsystems.se/WSI">
  <GoodsOwnerCode>DEMO</GoodsOwnerCode><UserName>demo</UserName><Password>demo-password</Password>
  <art>
    <ArticleOperation>CreateOrUpdate</ArticleOperation><ArticleIdentification>ArticleNumber</ArticleIdentification>
    <ArticleNumber>SKU-7</ArticleNumber><ArticleName>Sovepose</ArticleName>
    <SupplierArticleNumber>NU-77</SupplierArticleNumber><BarCode>7041234000077</BarCode><Weight>1.4</Weight>
  </art>
</ProcessArticle></soap:Body></soap:Envelope>"""
VENDOR_SHAPED_ORDER = """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<ProcessOrder xmlns="http://ongoingsystems.se/WSI">
  <GoodsOwnerCode>DEMO</GoodsOwnerCode><UserName>demo</UserName><Password>demo-password</Password>
  <co>
    <OrderInfo>
      <OrderIdentification>GoodsOwnerOrderNumber</OrderIdentification>
      <GoodsOwnerOrderNumber>ORD-7</GoodsOwnerOrderNumber><OrderOperation>CreateOrUpdate</OrderOperation>
    </OrderInfo>
    <Customer>
      <CustomerOperation>CreateOrUpdate</CustomerOperation><CustomerIdentification>CustomerNumber</CustomerIdentification>
      <CustomerNumber>C-7</CustomerNumber><Name>Åsa Lindström</Name><Address>Järnvägsgatan 7</Address>
      <Address2>Lägenhet 1102</Address2><PostCode>831 34</PostCode><City>Östersund</City><CountryCode>SE</CountryCode>
    </Customer>
    <CustomerOrderLines><CustomerOrderLine>
      <ArticleIdentification>ArticleNumber</ArticleIdentification>
      <OrderLineIdentification>ExternalOrderLineCode</OrderLineIdentification>
      <ExternalOrderLineCode>1</ExternalOrderLineCode><ArticleNumber>SKU-7</ArticleNumber><NumberOfItems>2</NumberOfItems>
    </CustomerOrderLine></CustomerOrderLines>
  </co>
</ProcessOrder></soap:Body></soap:Envelope>"""


def test_requests_shaped_as_the_vendors_examples_are_taken(wms_server: SandboxServer, wms_admin: Admin) -> None:
    for body in (VENDOR_SHAPED_ARTICLE, VENDOR_SHAPED_ORDER):
        reply = requests.post(wms_url(wms_server), data=body.encode(), timeout=10,
                              headers={"Content-Type": "text/xml; charset=utf-8"})
        assert (reply.status_code, local(body_child(reply.content), "Success")) == (200, "true"), reply.text

    state = wms_admin.get("state")
    assert [a["ArticleNumber"] for a in state["articles"]] == ["SKU-7"]
    (stored,) = state["orders"]
    assert (stored["GoodsOwnerOrderNumber"], stored["Customer"]["City"]) == ("ORD-7", "Östersund")
    assert [(ln["ArticleNumber"], Decimal(ln["NumberOfItems"])) for ln in stored["Lines"]] == [("SKU-7", 2)]


# -- 24SevenOffice ---------------------------------------------------------------------------------

ERP_PATHS = {"auth": "/authenticate/v001/authenticate.asmx", "invoices": "/Economy/InvoiceOrder/V001/InvoiceService.asmx"}


def erp_session(server: SandboxServer) -> requests.Session:
    """Logged in with a Login whose credential elements come in reverse order."""
    session = requests.Session()
    sent = reshaped(request("24sevenoffice/authService.wsdl", "Login", credential=ERP_LOGIN),
                    reversed_children("credential"))
    status, reply = post(server.url + ERP_PATHS["auth"], sent, session)
    assert status == 200 and local(reply, "LoginResult"), "logged in"
    return session


def test_save_invoices_in_another_order_without_the_required_include_vat_saves(erp_server: SandboxServer,
                                                                                erp_admin: Admin) -> None:
    erp_admin.post("orders", {"OrderId": 1, "CustomerId": 1, "OrderStatus": "Confirmed", "IncludeVAT": True})
    session = erp_session(erp_server)
    sent = reshaped(request("24sevenoffice/invoiceService.wsdl", "SaveInvoices", invoices={"InvoiceOrder": [
                        {"OrderId": 1, "OrderStatus": "OrderState_Sent", "ExternalStatus": 450, "IncludeVAT": None}]}),
                    left_out("invoices", "InvoiceOrder", "IncludeVAT"), reversed_children("invoices", "InvoiceOrder"))

    status, reply = post(erp_server.url + ERP_PATHS["invoices"], sent, session)

    assert (status, local(reply, "Message")) == (200, None)
    (stored,) = erp_admin.get("orders")
    assert (stored["OrderStatus"], stored["ExternalStatus"], stored["IncludeVAT"]) == ("OrderState_Sent", 450, True)


def test_get_invoices_with_its_parameters_in_reverse_order_answers(erp_server: SandboxServer, erp_admin: Admin) -> None:
    erp_admin.post("orders", {"OrderId": 1, "CustomerId": 1, "OrderStatus": "Confirmed", "YourReference": "Åse"})
    session = erp_session(erp_server)
    sent = reshaped(request("24sevenoffice/invoiceService.wsdl", "GetInvoices", searchParams={"OrderIds": {"int": [1]}},
                            invoiceReturnProperties={"string": ["OrderId", "YourReference"]},
                            rowReturnProperties={"string": []}),
                    reversed_children())

    status, reply = post(erp_server.url + ERP_PATHS["invoices"], sent, session)

    assert (status, local(reply, "YourReference")) == (200, "Åse")


# -- what is not a request of the service stays a fault -------------------------------------------

ENVELOPE = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">{}</soap:Envelope>'


@pytest.mark.parametrize("body, message", [
    ("this is not XML", "unable to read request"),
    ('<?xml version="1.0"?><html><body>Hello</body></html>', "no SOAP 1.1 Body"),
    (ENVELOPE.format("<soap:Body/>"), "no SOAP 1.1 Body"),
    (ENVELOPE.format("<soap:Body><DeleteEverything xmlns='http://ongoingsystems.se/WSI'/></soap:Body>"),
     "Unknown operation 'DeleteEverything'"),
    (ENVELOPE.format("<soap:Body><ProcessArticle xmlns='http://ongoingsystems.se/WSI'><art>"
                     "<ArticleNumber>SKU-1</ArticleNumber><Weight>heavy</Weight></art></ProcessArticle></soap:Body>"),
     "unable to read request"),
], ids=["not XML", "not SOAP", "empty Body", "unknown operation", "a value its type cannot hold"])
def test_what_is_not_a_request_of_the_service_is_a_fault(wms_server: SandboxServer, wms_admin: Admin,
                                                         body: str, message: str) -> None:
    reply = requests.post(wms_url(wms_server), data=body.encode(), timeout=10,
                          headers={"Content-Type": "text/xml; charset=utf-8"})

    assert reply.status_code == 500
    fault = body_child(reply.content)
    assert is_fault(fault) and message in local(fault, "faultstring")
    assert wms_admin.get("state")["articles"] == []
