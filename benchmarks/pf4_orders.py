"""PF4 order throughput: push_orders with both sandboxes answering every call `latency_ms` late.

`orders` confirmed orders (two rows each, customers with contact details on the company for some)
wait in the ERP; one push_orders run takes them to the WMS, which takes one write at a time. The
floor is one write per latency: 1000 / latency_ms orders a second, if everything else (reading,
mapping, the services' own work) overlapped the writes. The ERP login happens before the clock starts.
"""

from __future__ import annotations

import random
import time

from benchmarks.common import line, order_record, sandboxes, seed_companies, seed_orders, seed_products, \
    seed_wms_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders

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
        stack.faults()
        requests = sum(stack.calls("erp").values()) + sum(stack.calls("wms").values())
        erp.close()

    assert report.created == orders and not report.failures, report.summary()
    throughput = orders / elapsed
    floor = 1000.0 / latency_ms
    ratio = throughput / floor
    return line("PF4", f"order throughput, {orders:,} orders at {latency_ms:g} ms per call",
                f"{throughput:.1f} orders/s ({elapsed * 1000 / orders:.1f} ms per order)",
                f"floor {floor:.1f} orders/s (one write per {latency_ms:g} ms)", ratio, ">= 0.90 of the floor",
                ratio >= 0.9, f"{requests:,} requests in {elapsed:.2f} s, of which {orders:,} ProcessOrder")
