"""One write at a time per goods owner: a write that cannot get its turn in time fails with a timeout fault."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import pytest
import zeep

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.errors import RetryableError, classify
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, line, order

WAIT = 0.3
TIMEOUT_FAULT = ("Server was unable to process request. ---> Timeout expired. "
                 "Another write for this goods owner is in progress.")


@pytest.fixture
def server(start_wms: Callable[..., SandboxServer]) -> SandboxServer:
    return start_wms(write_wait_seconds=WAIT)


def push(ongoing: Ongoing, number: str) -> Any:
    try:
        return ongoing.process_order(order(number, [line("1", article_number="SKU-1")]))
    except zeep.exceptions.Fault as fault:
        return fault


def test_parallel_writes_behind_a_running_write_time_out(server: SandboxServer) -> None:
    ongoing = Ongoing(server.url)
    ongoing.process_article("SKU-1")

    with server.system.writes.write("DEMO"):  # a long write of another client is in progress
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(lambda n: push(ongoing, n), ["A", "B"]))
        waited = time.monotonic() - started

    assert all(isinstance(o, zeep.exceptions.Fault) and o.message == TIMEOUT_FAULT for o in outcomes)
    assert all(isinstance(classify(o, "ProcessOrder"), RetryableError) for o in outcomes)
    assert waited >= WAIT  # no upper bound needed: a push that did not give up would wait for good
    assert ongoing.orders() == []
    assert push(ongoing, "A").Success is True  # once the write is done, the retry goes through


def test_a_write_waits_for_a_short_running_write(start_wms: Callable[..., SandboxServer]) -> None:
    server = start_wms(write_wait_seconds=60.0)  # generous for a loaded machine: the wait ends with the write
    ongoing = Ongoing(server.url)
    ongoing.process_article("SKU-1")
    holding = threading.Event()

    def short_write() -> None:
        with server.system.writes.write("DEMO"):
            holding.set()
            time.sleep(0.2)

    writer = threading.Thread(target=short_write)
    writer.start()
    assert holding.wait(60)
    result = push(ongoing, "A")
    writer.join()

    assert result.Success is True


def test_reads_do_not_wait_for_writes(server: SandboxServer) -> None:
    ongoing = Ongoing(server.url)
    ongoing.process_article("SKU-1")

    with server.system.writes.write("DEMO"):  # a read waiting for the slot would end in the timeout fault
        inventory = ongoing.inventory()
        orders = ongoing.orders()
        statuses = ongoing.call("GetOrderStatuses")

    assert len(inventory) == 1 and orders == [] and len(statuses.OrderStatus) == 9


def test_admin_writes_take_their_turn_too(server: SandboxServer) -> None:
    admin = Admin(server.url)

    with server.system.writes.write("DEMO"):
        admin.post("stock", {"ArticleNumber": "SKU-1", "NumberOfItems": 1}, expect=409)

    assert admin.get("state")["stock"] == []
