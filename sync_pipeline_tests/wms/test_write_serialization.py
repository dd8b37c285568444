"""Writes for one goods owner go one at a time across threads and clients; reads never wait for them."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import zeep

from sync_pipeline.wms import WmsClient
from sync_pipeline.wms.write_lock import goods_owner_write_lock
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.samples import article
from sync_pipeline_tests.wms.status_calls import order_statuses

WRITES = {"ProcessArticle", "ProcessOrder", "UpdateOrder"}


class CallTimes(zeep.Plugin):
    """When each request left and its answer arrived, per operation (shared by all clients)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started: dict[int, tuple[str, float]] = {}
        self.spans: list[tuple[str, float, float]] = []

    def egress(self, envelope: Any, http_headers: dict, operation: Any, binding_options: Any):
        with self.lock:
            self.started[threading.get_ident()] = (operation.name, time.monotonic())
        return envelope, http_headers

    def ingress(self, envelope: Any, http_headers: dict, operation: Any):
        with self.lock:
            name, start = self.started.pop(threading.get_ident())
            self.spans.append((name, start, time.monotonic()))
        return envelope, http_headers


def overlapping(spans: list[tuple[str, float, float]]) -> list[tuple]:
    ordered = sorted(spans, key=lambda span: span[1])
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if b[1] < a[2]]


def test_parallel_writers_never_overlap(make_client: Callable[..., WmsClient], wms_admin: Admin) -> None:
    times = CallTimes()
    clients = [make_client(plugins=(times,)) for _ in range(6)]
    wms_admin.post("faults", {"latency_ms": 40})  # long enough that unserialised writes would overlap

    def write(index: int) -> bool:
        client = clients[index % len(clients)]
        return client.process_article(article(f"SKU-{2000 + index}")).success

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert all(pool.map(write, range(18)))

    writes = [span for span in times.spans if span[0] in WRITES]
    assert len(writes) == 18
    assert overlapping(writes) == []
    log = wms_admin.get("calls")["log"]
    assert [entry["outcome"] for entry in log if entry["operation"] == "ProcessArticle"] == ["ok"] * 18


def test_reads_proceed_while_a_write_is_in_progress(make_client: Callable[..., WmsClient]) -> None:
    writer, reader = make_client(), make_client()
    writer.process_article(article("SKU-1001"))
    lock = goods_owner_write_lock(writer.connection.service_url, writer.connection.goods_owner_code)
    done = threading.Event()

    lock.acquire()  # as if another thread's write were on its way
    try:
        thread = threading.Thread(target=lambda: (writer.process_article(article("SKU-1002")), done.set()))
        thread.start()
        # A read waiting for the slot would wait for good: the slot is held until the reads are done.
        assert [line.ArticleNumber for line in reader.inventory()] == ["SKU-1001"]
        assert order_statuses(reader)
        assert list(reader.orders()) == []
        assert not done.is_set(), "a write went out while another held the goods owner's write slot"
    finally:
        lock.release()
    thread.join(timeout=60)  # generous: it ends when the write does
    assert done.is_set()
    assert sorted(line.ArticleNumber for line in reader.inventory()) == ["SKU-1001", "SKU-1002"]


def test_the_lock_is_per_service_and_goods_owner() -> None:
    same = goods_owner_write_lock("http://wms/a/service.asmx", "DEMO")
    assert goods_owner_write_lock("HTTP://WMS/a/service.asmx/", "DEMO") is same
    assert goods_owner_write_lock("http://wms/a/service.asmx", "OTHER") is not same
    assert goods_owner_write_lock("http://wms/b/service.asmx", "DEMO") is not same
