"""Replies holding characters XML 1.0 forbids: written as character references, as ASP.NET services do."""

from __future__ import annotations

from lxml import etree

from sync_pipeline.sandbox.erp.shapes import PRODUCT_WSDL
from sync_pipeline.sandbox.soap import SoapService, render_fault


def products_reply(*names: str) -> bytes:
    service = SoapService(PRODUCT_WSDL, {})
    products = [{"Id": index, "Name": name} for index, name in enumerate(names, start=1)]
    return service._render("GetProductsResponse", {"GetProductsResult": {"Product": products}})


def test_a_forbidden_character_becomes_a_reference_and_the_rest_stays_as_it_is() -> None:
    reply = products_reply("Kaffe\x1bfilter", "Te\x00 og \ufffe", "Ørnekaffe")

    assert b"Kaffe&#x1B;filter" in reply
    assert b"Te&#x0; og &#xFFFE;" in reply
    assert "Ørnekaffe".encode() in reply
    assert b"\xf3\xb0\x80\x80" not in reply, "no marker is left in the bytes"


def test_a_reply_without_one_is_the_plain_rendering() -> None:
    reply = products_reply("Kaffe", "Te")

    names = [node.text for node in etree.fromstring(reply).iter() if etree.QName(node).localname == "Name"]
    assert names == ["Kaffe", "Te"]
    assert b"&#x" not in reply


def test_a_fault_message_with_one_is_written_the_same_way() -> None:
    fault = render_fault("Bad name: \x1b[31m")

    assert b"<faultstring>Bad name: &#x1B;[31m</faultstring>" in fault
