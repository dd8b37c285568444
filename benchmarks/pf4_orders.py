"""PF4 order throughput: the order process (processes/orders.py, run by processes/runner.py) with both sandboxes taking `latency_ms` to answer every call.

`orders` confirmed orders (two rows each) wait in the ERP; one run takes them to the WMS,
which takes one write at a time. The floor is one write per latency: 1000 / latency_ms orders a
second, if everything else (reading, mapping, rendering and reading the messages) overlapped the
writes. The sandboxes run in a child process, as remote services would (their work inside the
latency, not competing with the pipeline for its interpreter lock), and on a CPU of their own
where there are two or more; the figure without that placement is printed beside it. The ERP
login happens before the clock starts.

For reference, the same ProcessOrder requests are then sent again as bare HTTP posts, rendered
beforehand and sent one after another: the most one-at-a-time writes can do over HTTP here.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests
from lxml import etree

from benchmarks.common import Stack, cpu_placement, line, order_record, sandboxes_apart, seed_orders, seed_shop
from sync_pipeline.ledger import Ledger
from sync_pipeline.mapping import map_order
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.orders import ORDERS
from sync_pipeline.processes.selection import Everything
from sync_pipeline.soap.client import build_client
from sync_pipeline.wms import payloads
from sync_pipeline.wms.client import WSDL_PATH

PRODUCTS = 200


def run(orders: int, latency_ms: float = 20.0) -> str:
    placed = measure(orders, latency_ms, separate_cpus=True)
    shared = measure(orders, latency_ms, separate_cpus=False)
    ledgered = measure(orders, latency_ms, separate_cpus=True, with_ledger=True)
    throughput = orders / placed.elapsed
    floor = 1000.0 / latency_ms
    ratio = throughput / floor
    placement = cpu_placement()
    where = (f"pipeline on CPU {','.join(map(str, sorted(placement[0])))}, sandboxes on CPU "
             f"{','.join(map(str, sorted(placement[1])))}" if placement else "one CPU: no placement")
    return line("PF4", f"order throughput, {orders:,} orders at {latency_ms:g} ms per call ({where})",
                f"{throughput:.1f} orders/s ({placed.elapsed * 1000 / orders:.1f} ms per order)",
                f"floor {floor:.1f} orders/s (one write per {latency_ms:g} ms)", ratio, ">= 0.90 of the floor",
                ratio >= 0.9, f"{placed.calls:,} requests in {placed.elapsed:.2f} s, of which {orders:,} ProcessOrder; "
                f"the same requests as bare serial posts: {orders / placed.bare:.1f}/s "
                f"({placed.bare * 1000 / orders:.1f} ms each), of which the pipeline reaches "
                f"{placed.bare / placed.elapsed:.2f}; with both processes on all CPUs: {orders / shared.elapsed:.1f} "
                f"orders/s = {orders / shared.elapsed / floor:.2f} of the floor (bare posts {orders / shared.bare:.1f}/s); "
                f"with the ledger (SQLite), as the assets run it: {orders / ledgered.elapsed:.1f} orders/s = "
                f"{orders / ledgered.elapsed / floor:.2f} of the floor")


@dataclass(frozen=True)
class Measured:
    elapsed: float  # seconds of one run of the order process
    calls: int  # requests both sandboxes answered during it
    bare: float  # seconds of the same ProcessOrder requests as bare serial posts


def measure(orders: int, latency_ms: float, *, separate_cpus: bool, with_ledger: bool = False) -> Measured:
    with sandboxes_apart(seed, orders, separate_cpus=separate_cpus) as stack, fresh_ledger(with_ledger) as ledger:
        erp, wms = stack.erp_client(), stack.wms_client()
        erp.session.login()
        stack.faults(latency_ms=latency_ms)
        stack.reset_calls()
        started = time.perf_counter()
        report = runner.run(ORDERS, Everything(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig(),
                            run_id="pf4").report
        elapsed = time.perf_counter() - started
        calls = sum(stack.calls("erp").values()) + sum(stack.calls("wms").values())
        bare = bare_writes(stack, [map_order(order) for order in erp.orders(range(10_000, 10_000 + orders))])
        stack.faults()
        erp.close()
    assert report.created == orders and not report.failures, report.summary()
    return Measured(elapsed, calls, bare)


@contextmanager
def fresh_ledger(wanted: bool) -> Iterator[Ledger | None]:
    """A fresh SQLite ledger, which the runner claims the run's orders in as it does for the assets; or None."""
    if not wanted:
        yield None
        return
    with tempfile.TemporaryDirectory() as folder, Ledger(f"sqlite:///{folder}/ledger.db") as ledger:
        yield ledger


def seed(stack: Stack, orders: int) -> None:
    """Customers, 200 products in both systems, and `orders` confirmed orders of two rows each."""
    rng = random.Random(4)
    seed_shop(stack, PRODUCTS, rng)
    seed_orders(stack, [order_record(10_000 + n, 1 + n % 6, rng.sample(range(1, PRODUCTS + 1), 2), rng)
                        for n in range(orders)])


def bare_writes(stack: Stack, orders: list[dict]) -> float:
    """Seconds to send the ProcessOrder requests for `orders`, rendered beforehand, one after another."""
    connection = stack.settings.wms_connection()
    client, service = build_client(WSDL_PATH, connection.service_url, timeout=60)
    credentials = {"GoodsOwnerCode": connection.goods_owner_code, "UserName": connection.username,
                   "Password": connection.password.get_secret_value()}
    bodies = [etree.tostring(client.create_message(service, "ProcessOrder", co=payloads.customer_order(order),
                                                   **credentials)) for order in orders]
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"http://ongoingsystems.se/WSI/ProcessOrder"'}
    with requests.Session() as http:
        started = time.perf_counter()
        for body in bodies:
            http.post(connection.service_url, data=body, headers=headers, timeout=60).raise_for_status()
        return time.perf_counter() - started
