"""PF4 order throughput: push_orders with both sandboxes answering every call `latency_ms` late.

`orders` confirmed orders (two rows each) wait in the ERP; one push_orders run takes them to the WMS,
which takes one write at a time. The floor is one write per latency: 1000 / latency_ms orders a
second, if everything else (reading, mapping, the services' own work) overlapped the writes. The
ERP login happens before the clock starts.

For reference, the same ProcessOrder requests are then sent again as bare HTTP posts, rendered
beforehand and sent one after another: the most one-at-a-time writes can do against this sandbox,
whose own work per write (reading the request, storing, answering) adds to the latency.
"""

from __future__ import annotations

import random
import time

import requests
from lxml import etree

from benchmarks.common import Stack, line, order_record, sandboxes, seed_companies, seed_orders, seed_products, \
    seed_wms_articles
from sync_pipeline.mapping import map_order
from sync_pipeline.soap.client import build_client
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.wms import payloads
from sync_pipeline.wms.client import WSDL_PATH

PRODUCTS = 200


def run(orders: int, latency_ms: float = 20.0) -> str:
    rng = random.Random(4)
    with sandboxes() as stack:
        seed_companies(stack)
        seed_products(stack, range(1, PRODUCTS + 1), rng)
        seed_wms_articles(stack, range(1, PRODUCTS + 1))
        seed_orders(stack, [order_record(10_000 + n, 1 + n % 6, rng.sample(range(1, PRODUCTS + 1), 2), rng)
                            for n in range(orders)])
        erp, wms = stack.erp_client(), stack.wms_client()
        erp.session.login()
        stack.faults(latency_ms=latency_ms)
        stack.reset_calls()
        started = time.perf_counter()
        report = push_orders(erp, wms, None, OrderOptions())
        elapsed = time.perf_counter() - started
        calls = sum(stack.calls("erp").values()) + sum(stack.calls("wms").values())
        bare = bare_writes(stack, [map_order(order) for order in erp.orders(range(10_000, 10_000 + orders))])
        stack.faults()
        erp.close()

    assert report.created == orders and not report.failures, report.summary()
    throughput = orders / elapsed
    floor = 1000.0 / latency_ms
    ratio = throughput / floor
    return line("PF4", f"order throughput, {orders:,} orders at {latency_ms:g} ms per call",
                f"{throughput:.1f} orders/s ({elapsed * 1000 / orders:.1f} ms per order)",
                f"floor {floor:.1f} orders/s (one write per {latency_ms:g} ms)", ratio, ">= 0.90 of the floor",
                ratio >= 0.9, f"{calls:,} requests in {elapsed:.2f} s, of which {orders:,} ProcessOrder; "
                f"the same requests as bare serial posts: {orders / bare:.1f}/s ({bare * 1000 / orders:.1f} ms each), "
                f"of which the pipeline reaches {bare / elapsed:.2f}")


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
