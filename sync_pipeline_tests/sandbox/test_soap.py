"""Replies holding characters XML 1.0 forbids: written as character references, as ASP.NET services do; and
replies rendered from plain values are the bytes zeep renders from its own objects."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from lxml import etree

from sync_pipeline.sandbox.erp.shapes import PRODUCT_WSDL
from sync_pipeline.sandbox.soap import CHECK_RENDER, SoapService, render_fault


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


def test_replies_render_from_plain_values_as_zeep_renders_its_own_objects(monkeypatch) -> None:
    service = SoapService(PRODUCT_WSDL, {})
    products = [{"Id": 1, "No": "SKU-1", "Weight": Decimal("0.125"), "StockControlled": True,
                 "DateChanged": datetime(2026, 12, 8, 3, 0, 0, 123000, tzinfo=timezone.utc)},
                {"Id": 2, "Name": "Uten vekt"}]
    reply = {"GetProductsResult": {"Product": products}}
    monkeypatch.setenv(CHECK_RENDER, "0")
    plain = service._render("GetProductsResponse", reply)
    monkeypatch.setenv(CHECK_RENDER, "1")

    assert service._render("GetProductsResponse", reply) == plain  # checked against zeep's own: the same bytes
    assert b"<ns0:Weight>0.125</ns0:Weight>" in plain and b"<ns0:StockControlled>true</ns0:StockControlled>" in plain


def test_while_checked_a_reply_value_the_schema_does_not_have_is_refused(monkeypatch) -> None:
    service = SoapService(PRODUCT_WSDL, {})
    reply = {"GetProductsResult": {"Product": [{"Id": 1, "Colour": "red"}]}}
    monkeypatch.setenv(CHECK_RENDER, "0")
    assert b"red" not in service._render("GetProductsResponse", reply), "unchecked, it is left out"
    monkeypatch.setenv(CHECK_RENDER, "1")

    with pytest.raises(TypeError, match="Colour"):
        service._render("GetProductsResponse", reply)
