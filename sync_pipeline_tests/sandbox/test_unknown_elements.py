"""The fault key `unknown_elements`: each system's records carry elements no description defines."""

from __future__ import annotations

from pathlib import Path

import requests
from lxml import etree

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.unknown_elements import ADDED_NAMES, ADDED_RECORD, ADDED_VALUE
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.contracts.real import ERP_WSDL_DIR, ONGOING_2024, WMS_WSDL_DIR, contracts_dir
from sync_pipeline_tests.sandbox.real_requests import post, request
from sync_pipeline_tests.sandbox.test_lenient_requests import ERP_LOGIN, wms_url
from sync_pipeline_tests.sandbox.wms.ongoing import CREDENTIALS, article, line, order, order_filters

PRODUCTS = "/Logistics/Product/V001/ProductService.asmx"


def children(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def records(reply: etree._Element, name: str) -> list[etree._Element]:
    return [node for node in reply.iter() if etree.QName(node).localname == name]


def wms_reads(server: SandboxServer) -> tuple[etree._Element, etree._Element]:
    url = wms_url(server)
    post(url, request(ONGOING_2024, "ProcessArticle", **CREDENTIALS, art=article("SKU-1", ArticleName="Tent")))
    post(url, request(ONGOING_2024, "ProcessOrder", **CREDENTIALS, co=order("ORD-1", [line("1", article_number="SKU-1")])))
    _, inventory = post(url, request(ONGOING_2024, "GetInventoryByQuery", **CREDENTIALS, GetInventoryQuery={}))
    _, orders = post(url, request(ONGOING_2024, "GetOrdersByQuery", **CREDENTIALS, query=order_filters()))
    return inventory, orders


def test_with_the_fault_on_every_wms_record_carries_them(wms_server: SandboxServer, wms_admin: Admin) -> None:
    assert wms_admin.post("faults", {"unknown_elements": True})["unknown_elements"] is True

    inventory, orders = wms_reads(wms_server)

    for reply, names in ((inventory, ("InventoryLine", "Article")),
                         (orders, ("Order", "OrderInfo", "Consignee", "PickedOrderLine"))):
        for name in names:
            (record,) = records(reply, name) if name != "Article" else records(reply, name)[:1]
            found = children(record)
            assert found[1] == ADDED_VALUE, f"{name}: one just after its first child"
            assert found[-1] == ADDED_RECORD, f"{name}: one with children of its own at its end"
            assert children(record[-1]) == ["Code", "Since"]
    assert records(inventory, "ArticleNumber")[0].text == "SKU-1", "the known elements are all still there"


def test_without_it_replies_carry_none(wms_server: SandboxServer, wms_admin: Admin) -> None:
    wms_admin.post("faults", {"unknown_elements": True})
    wms_admin.post("faults", {})

    inventory, orders = wms_reads(wms_server)

    assert not [node for reply in (inventory, orders) for node in reply.iter()
                if etree.QName(node).localname in ADDED_NAMES]


def test_erp_records_carry_them_too(erp_server: SandboxServer, erp_admin: Admin) -> None:
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1", "Name": "Kaffe"}, {"Id": 2, "No": "SKU-2", "Name": "Te"}])
    erp_admin.post("faults", {"unknown_elements": True})
    session = requests.Session()
    post(erp_server.url + "/authenticate/v001/authenticate.asmx",
         request("24sevenoffice/authService.wsdl", "Login", credential=ERP_LOGIN), session)

    status, reply = post(erp_server.url + PRODUCTS, request(
        "24sevenoffice/productService.wsdl", "GetProducts", searchParams={},
        returnProperties={"string": ["Id", "No", "Name"]}), session)

    assert status == 200
    assert [children(product) for product in records(reply, "Product")] == [
        ["Id", ADDED_VALUE, "Name", "No", ADDED_RECORD]] * 2


def test_no_description_defines_them() -> None:
    descriptions = [*contracts_dir().rglob("*.wsdl"), *Path(ERP_WSDL_DIR).glob("*.wsdl"),
                    *Path(WMS_WSDL_DIR).glob("*.wsdl")]
    assert len(descriptions) >= 10
    for path in descriptions:
        text = path.read_text(encoding="utf-8")
        assert not [name for name in ADDED_NAMES if f'name="{name}"' in text], path.name
