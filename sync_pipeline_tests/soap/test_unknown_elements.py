"""The counts of skipped elements: per client, thread-safe, logged once per name, never with the text."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.soap.unknown import UnknownElements, watching
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.canned_server import Canned, canned_server
from sync_pipeline_tests.erp.conftest import connection_for
from sync_pipeline_tests.soap.samples import ERP, REPLIES, envelope

LOGGER = "sync_pipeline.soap.unknown"


def test_counts_add_up_from_many_threads_and_each_name_is_logged_once(caplog):
    collector = UnknownElements()
    start = threading.Barrier(8)

    def note_many() -> None:
        start.wait()
        for _ in range(500):
            collector.note("GetProducts", "Product.Colour")
            collector.add("GetProducts", {"Product.Size": 2, "ArrayOfProduct.Page": 1})

    with caplog.at_level(logging.INFO, logger=LOGGER):
        threads = [threading.Thread(target=note_many) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert collector.snapshot() == {"ArrayOfProduct.Page": 4000, "Product.Colour": 4000, "Product.Size": 8000}
    assert sorted(record.getMessage() for record in caplog.records if record.name == LOGGER) == [
        f"GetProducts reply: skipped {name}, which no service description defines"
        for name in ("ArrayOfProduct.Page", "Product.Colour", "Product.Size")]
    assert all(record.levelno == logging.INFO for record in caplog.records if record.name == LOGGER)


def test_a_watch_sees_what_every_collector_notes_inside_its_block():
    first, second = UnknownElements(), UnknownElements()
    first.note("GetProducts", "Product.Before")
    with watching() as seen:
        first.note("GetProducts", "Product.Colour")
        second.add("GetInventoryByQuery", {"ArticleClass.Colour": 3})
        with watching() as inner:
            second.note("GetOrdersByQuery", "Order.Priority")
    first.note("GetProducts", "Product.After")
    assert seen.snapshot() == {"ArticleClass.Colour": 3, "Order.Priority": 1, "Product.Colour": 1}
    assert inner.snapshot() == {"Order.Priority": 1}
    assert seen.messages() == [
        "GetInventoryByQuery reply: skipped ArticleClass.Colour, which no service description defines",
        "GetOrdersByQuery reply: skipped Order.Priority, which no service description defines",
        "GetProducts reply: skipped Product.Colour, which no service description defines"]


# -- the clients: one collector each, fed by every reply they read --------------------------------

@pytest.fixture
def wms_canned() -> Iterator[Canned]:
    yield from canned_server("/sandbox/service.asmx")


@pytest.fixture
def erp_canned() -> Iterator[Canned]:
    yield from canned_server("/authenticate/v001/authenticate.asmx")


def test_a_wms_client_counts_what_it_skipped_and_logs_each_name_once(wms_canned, caplog):
    wms_canned.body = REPLIES["GetOrdersByQuery"].replace(
        b"<Address2>", b"<DoorBell>secret-code</DoorBell><Address2>").replace(
        b"<Success>", b"<Priority>secret-priority</Priority><Success>")
    client = WmsClient(WmsConnection(base_url=wms_canned.url.removesuffix("/service.asmx"), goods_owner_code="DEMO",
                                     username="demo", password="pw", timeout=5, page_size=1000))
    with caplog.at_level(logging.INFO, logger=LOGGER):
        for _ in range(2):
            (order,) = client.orders(order_numbers=["1"])
    assert order.Consignee.Name == "Kari" and order.WayBill == "WB-1"
    replies = wms_canned.requests  # every page is the same reply
    assert replies >= 2 and client.unknown_elements.snapshot() == {"Consignee.DoorBell": replies,
                                                                   "Order.Priority": replies}
    logged = [record.getMessage() for record in caplog.records if record.name == LOGGER]
    assert logged == ["GetOrdersByQuery reply: skipped Consignee.DoorBell, which no service description defines",
                      "GetOrdersByQuery reply: skipped Order.Priority, which no service description defines"]
    assert "secret" not in caplog.text


def test_the_erp_login_is_read_tolerantly_into_the_clients_collector(erp_canned):
    erp_canned.body = envelope(ERP, "Login", "session-1").replace(
        b"</LoginResult>", b"</LoginResult><Expires>2030-01-01T00:00:00</Expires>")
    client = ErpClient(connection_for(erp_canned.url.removesuffix("/authenticate/v001/authenticate.asmx")))
    client.session.login()
    assert client.session.logged_in
    assert client.unknown_elements.snapshot() == {"LoginResponse.Expires": 1}
