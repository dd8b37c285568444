"""The WMS sandbox as a SOAP service: its description, its login, its status list, its call log."""

from __future__ import annotations

import pytest
import requests
import zeep
from lxml import etree

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.errors import TerminalError, classify
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, order, line

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"


def test_the_service_description_is_served_with_the_sandbox_address(wms_server: SandboxServer) -> None:
    reply = requests.get(f"{wms_server.url}/sandbox/service.asmx?WSDL", timeout=5)

    assert reply.status_code == 200
    document = etree.fromstring(reply.content)
    address = document.find(f".//{{{WSDL_NS}}}port/{{http://schemas.xmlsoap.org/wsdl/soap/}}address")
    assert address.get("location") == f"{wms_server.url}/sandbox/service.asmx"
    operations = {op.get("name") for op in document.iterfind(f"{{{WSDL_NS}}}portType/{{{WSDL_NS}}}operation")}
    assert operations == {"ProcessArticle", "ProcessOrder", "UpdateOrder", "GetOrderStatuses",
                          "GetOrdersByQuery", "GetInventoryByQuery", "GetReturnOrdersByQuery",
                          "GetInventoryChanges", "SetInventoryChangesToReported"}
    # and a client can be built from it
    client = zeep.Client(f"{wms_server.url}/sandbox/service.asmx?WSDL")
    assert client.service.GetOrderStatuses(UserName="demo", Password="demo-password", GoodsOwnerCode="DEMO")


@pytest.mark.parametrize("wrong", [{"Password": "guess"}, {"UserName": "someone"}, {"GoodsOwnerCode": "OTHER"}])
def test_wrong_credentials_are_a_terminal_fault_for_reads_and_writes(wms_server: SandboxServer,
                                                                     wms_admin: Admin, wrong: dict) -> None:
    credentials = {"GoodsOwnerCode": "DEMO", "UserName": "demo", "Password": "demo-password", **wrong}
    intruder = Ongoing(wms_server.url, credentials=credentials)

    for call in (lambda: intruder.inventory(), lambda: intruder.process_article("SKU-1", ArticleName="Tent")):
        with pytest.raises(zeep.exceptions.Fault) as fault:
            call()
        assert fault.value.message == ("Server was unable to process request. ---> "
                                       "Wrong UserName, Password or GoodsOwnerCode.")
        assert isinstance(classify(fault.value, "ProcessArticle"), TerminalError)
    assert wms_admin.get("state")["articles"] == []


def test_order_statuses_are_the_standard_ones(ongoing: Ongoing) -> None:
    result = ongoing.call("GetOrderStatuses")

    assert [(s.OrderStatusId, s.OrderStatusName) for s in result.OrderStatus] == [
        (150, "Error"), (200, "Open"), (300, "Released"), (320, "Allocated"), (400, "Picked"), (450, "Sent"),
        (500, "Collected"), (800, "Returned"), (1000, "Cancelled")]


def test_the_call_log_names_each_record(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1", ArticleName="Tent")
    ongoing.process_order(order("ORD-7", [line("1", article_number="SKU-1")]))
    ongoing.update_order("ORD-7", status=300)
    ongoing.inventory()

    log = [(entry["operation"], entry["key"], entry["outcome"]) for entry in wms_admin.get("calls")["log"]]
    assert log == [("ProcessArticle", "SKU-1", "ok"), ("ProcessOrder", "ORD-7", "ok"),
                   ("UpdateOrder", "ORD-7", "ok"), ("GetInventoryByQuery", None, "ok")]


def test_state_never_shows_the_password(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1", ArticleName="Tent")

    state = requests.get(wms_admin.base + "state", timeout=5).text
    assert "SKU-1" in state
    assert "demo-password" not in state


def test_the_call_log_says_what_each_write_did_to_its_record(ongoing: Ongoing, wms_admin: Admin) -> None:
    """The detail the reliability invariants count orders by: one `created` per order, however often it is sent."""
    ongoing.process_article("SKU-1", ArticleName="Tent")
    ongoing.process_article("SKU-1", ArticleName="Tent, 2 persons")
    ongoing.process_order(order("ORD-7", [line("1", article_number="SKU-1")]))
    ongoing.process_order(order("ORD-7", [line("1", 2, article_number="SKU-1")]))
    ongoing.process_order(order("ORD-8", [line("1", article_number="SKU-404")]))
    ongoing.process_order(order("ORD-7", operation="Remove"))
    ongoing.update_order("ORD-7", status=300)

    log = [(entry["operation"], entry["key"], entry["detail"]) for entry in wms_admin.get("calls")["log"]]
    assert log == [("ProcessArticle", "SKU-1", "created"), ("ProcessArticle", "SKU-1", "updated"),
                   ("ProcessOrder", "ORD-7", "created"), ("ProcessOrder", "ORD-7", "updated"),
                   ("ProcessOrder", "ORD-8", "refused"), ("ProcessOrder", "ORD-7", "cancelled"),
                   ("UpdateOrder", "ORD-7", None)]
