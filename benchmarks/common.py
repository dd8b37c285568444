"""What every benchmark shares: both sandboxes in this process, seeding them fast, clients, output.

The sandboxes run as in the tests: real HTTP servers on free ports, in background threads. Bulk
data goes straight into the sandbox objects (in-process), which is what their admin API does too,
without 50,000 JSON round trips. The sandboxes' own request limit (7,200 an hour, as the real ERP)
is lifted: a benchmark makes a day's requests in minutes; PF6 counts them against the limit instead.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import requests

from sync_pipeline.erp import ErpClient
from sync_pipeline.erp.models import Product
from sync_pipeline.mapping import article_key
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.sandbox.erp import ErpSandbox
from sync_pipeline.sandbox.erp.companies import Companies
from sync_pipeline.sandbox.erp.invoices import Orders
from sync_pipeline.sandbox.erp.products import Products
from sync_pipeline.sandbox.erp.records import from_json
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.wms import WmsSandbox
from sync_pipeline.settings import Settings, load_settings
from sync_pipeline.sync.cursor import Cursor, CursorBuilder
from sync_pipeline.wms import WmsClient

ROOT = Path(__file__).resolve().parent.parent  # the project: `benchmarks` imports from here
NO_REQUEST_LIMIT = {"rate_limit_per_hour": 10**9}
BIG_REPLY_TIMEOUT = 900.0  # seconds: the sandbox renders a 100,000-product reply slowly


# -- output -------------------------------------------------------------------------------------

def line(measure: str, title: str, figure: str, baseline: str, ratio: float | None, target: str,
         met: bool | None, note: str = "") -> str:
    """One result line: id, what, the figure, its baseline, the ratio, the target and whether it is met."""
    ratio_text = "n/a" if ratio is None else f"{ratio:.2f}"
    verdict = "" if met is None else (" (met)" if met else " (MISSED)")
    text = f"{measure} {title}: {figure}; baseline {baseline}; ratio {ratio_text}; target {target}{verdict}"
    return text + (f"; {note}" if note else "")


def best_of(runs: int, *works: Callable[[], Any], clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Best time of each work over `runs` rounds, taking turns (fair when the load drifts)."""
    best = [float("inf")] * len(works)
    for _ in range(runs):
        for index, work in enumerate(works):
            gc.collect()
            started = clock()
            work()
            best[index] = min(best[index], clock() - started)
    return best


# -- the sandboxes ------------------------------------------------------------------------------

@dataclass
class Stack:
    """Both sandboxes, where they answer, and settings pointing the pipeline at them.

    `erp` and `wms` are the sandbox objects when they run in this process (seeding goes straight
    into them); None when they run in a child process (`sandboxes_apart`).
    """

    erp: ErpSandbox | None
    wms: WmsSandbox | None
    erp_url: str
    wms_url: str
    settings: Settings

    def erp_client(self) -> ErpClient:
        return ErpClient(self.settings.erp_connection(timeout=BIG_REPLY_TIMEOUT))

    def wms_client(self) -> WmsClient:
        return WmsClient(self.settings.wms_connection(timeout=BIG_REPLY_TIMEOUT))

    def admin(self, system: str, method: str, route: str, payload: Any = None) -> Any:
        """The sandbox's JSON admin API over HTTP, as an operator or a test would call it."""
        url = self.erp_url if system == "erp" else self.wms_url
        reply = requests.request(method, f"{url}/_sandbox/{route}", json=payload, timeout=600)
        reply.raise_for_status()
        return reply.json()

    def faults(self, **settings: Any) -> None:
        """Set both sandboxes' faults (latency etc.); the request limit stays lifted."""
        for system in ("erp", "wms"):
            self.admin(system, "POST", "faults", {**NO_REQUEST_LIMIT, **settings})

    def reset_calls(self) -> None:
        for system in ("erp", "wms"):
            self.admin(system, "POST", "calls/reset")

    def calls(self, system: str) -> Counter[str]:
        """Requests per operation since the last reset, from the sandbox's call log (GET /_sandbox/calls)."""
        return Counter(self.admin(system, "GET", "calls")["counts"])


UNLIMITED_REQUESTS = 10**9  # an hour: the client's request budget, lifted


def _stack(erp: ErpSandbox | None, wms: WmsSandbox | None, erp_url: str, wms_url: str) -> Stack:
    environment = sandbox_environment(erp_url, wms_url)
    # Like the sandboxes' limit, the client's request budget is lifted: a day's requests come in minutes here.
    settings = load_settings(None, **{name.lower(): value for name, value in environment.items()},
                             sync_erp_requests_per_hour=UNLIMITED_REQUESTS)
    return Stack(erp, wms, erp_url, wms_url, settings)


@contextmanager
def sandboxes() -> Iterator[Stack]:
    """Both sandboxes in this process, in background threads."""
    erp, wms = ErpSandbox(Store()), WmsSandbox(Store())
    erp_server = SandboxServer(erp, "127.0.0.1", 0).start()
    wms_server = SandboxServer(wms, "127.0.0.1", 0).start()
    stack = _stack(erp, wms, erp_server.url, wms_server.url)
    try:
        stack.faults()
        yield stack
    finally:
        erp_server.stop()
        wms_server.stop()


def _serve_apart(seed: Callable[..., None], args: tuple, cpus: set[int] | None, system: str,
                 connection: Connection) -> None:
    if cpus:
        os.sched_setaffinity(0, cpus)  # before the server threads start: they inherit it
    with sandboxes() as stack:
        seed(stack, *args)  # both stores, as one process would hold them; only `system` is asked
        gc.freeze()  # the seeded stores are the service's data, not garbage to walk again at every collection
        connection.send(stack.erp_url if system == "erp" else stack.wms_url)
        connection.recv()  # anything, or the parent's end closing: stop


def cpu_placement() -> tuple[set[int], set[int]] | None:
    """(this process's CPUs, the sandboxes' CPU) when there are two or more to share out; else None."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    return (set(cpus[:-1]), {cpus[-1]}) if len(cpus) >= 2 else None


@contextmanager
def sandboxes_apart(seed: Callable[..., None], *args: Any, separate_cpus: bool = False) -> Iterator[Stack]:
    """Each sandbox in a child process of its own, seeded there by `seed(stack, *args)` (a module-level
    function; both children seed alike, each answers for its own system).

    As in production, the services' work then competes neither with the pipeline nor with each
    other for an interpreter lock: with both in one process, the ERP building a reply of 450 orders
    held back the WMS's replies to writes by up to 0.28 s. separate_cpus: the children get a CPU of
    their own and this thread (and the threads it starts meanwhile) the others, as if the services
    ran on another machine; see cpu_placement().
    """
    placement = cpu_placement() if separate_cpus else None
    context = multiprocessing.get_context("spawn")
    pipes, children = [], []
    before = os.sched_getaffinity(0) if placement else None
    try:
        for system in ("erp", "wms"):
            ours, theirs = context.Pipe()
            child = context.Process(target=_serve_apart, args=(seed, args, placement and placement[1], system, theirs),
                                    name=f"sandbox-{system}", daemon=True)
            child.start()
            pipes.append(ours)
            children.append(child)
        urls = []
        for ours in pipes:
            if not ours.poll(600):
                raise RuntimeError("the sandboxes did not start within 10 minutes")
            urls.append(ours.recv())
        if placement:
            os.sched_setaffinity(0, placement[0])
        yield _stack(None, None, *urls)
    finally:
        if before:
            os.sched_setaffinity(0, before)
        for ours, child in zip(pipes, children):
            stop_child(ours, child)


def stop_child(pipe: Any, child: Any) -> None:
    """Ask the sandboxes' child process to stop over its pipe; killed if it has not within 30 s."""
    try:
        pipe.send("stop")
    except OSError:
        pass
    child.join(30)
    if child.is_alive():
        child.kill()


@contextmanager
def pipeline_environment(stack: Stack, home: str) -> Iterator[None]:
    """The environment the code location reads its settings from, pointing at the sandboxes."""
    # The pipeline's defaults, whatever the caller's environment switches on or off; but the request
    # budget lifted, as the stack's clients have it: PF6's simulated day spends its hours in minutes,
    # and a sliding real hour of 7,200 requests stopped its sensors (it counts per simulated hour itself).
    with environment({**sandbox_environment(stack.erp_url, stack.wms_url), "DAGSTER_HOME": home,
                      "SYNC_ERP_REQUESTS_PER_HOUR": str(UNLIMITED_REQUESTS)}, cleared=("SYNC_",)):
        yield


@contextmanager
def environment(wanted: Mapping[str, str], cleared: tuple[str, ...]) -> Iterator[None]:
    """`wanted` set and every variable starting with one of `cleared` removed, as they were afterwards."""
    saved = {name: os.environ.get(name) for name in [*wanted, *(n for n in os.environ if n.startswith(cleared))]}
    for name in saved:
        os.environ.pop(name, None)
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# -- data ---------------------------------------------------------------------------------------

def article_number(product_id: int) -> str:
    return f"SKU-{product_id:06d}"


def initial_stock(product_id: int) -> Decimal:
    """The same stock on both sides to begin with, as after a reconciliation."""
    return Decimal(product_id * 37 % 500)


def product_record(product_id: int, rng: random.Random) -> dict[str, Any]:
    """One ERP product as the admin API takes it."""
    record = {
        "Id": product_id, "No": article_number(product_id),
        "Name": f"Vare {product_id} «{'ÆØÅ'[product_id % 3]}»",
        "Description": "Ull, 100 %" if product_id % 4 == 0 else None,
        "EAN1": f"70{product_id:011d}", "Weight": str(Decimal(rng.randrange(1, 5000)) / 1000),
        "Price": str(Decimal(rng.randrange(100, 1_000_000)) / 100),
        "InPrice": str(Decimal(rng.randrange(50, 500_000)) / 100),
        "Stock": str(initial_stock(product_id)), "StockControlled": True,
        "SupplierId": 7 + product_id % 3,
    }
    return {name: value for name, value in record.items() if value is not None}


def seed_products(stack: Stack, ids: range | list[int], rng: random.Random) -> None:
    """Create ERP products in-process (what POST /_sandbox/products does, without HTTP)."""
    stack.erp.products.upsert([from_json(Products.shape, product_record(i, rng)) for i in ids])


def change_products(stack: Stack, ids: list[int], version: int) -> None:
    """A real change to each product (its name and price), as a user editing them in the ERP."""
    stack.erp.products.upsert([from_json(Products.shape, {"Id": i, "Name": f"Vare {i} v{version}",
                                                          "Price": f"{100 + version}.{i % 100:02d}"})
                               for i in ids])


def seed_companies(stack: Stack) -> None:
    """Customers 1..6 and suppliers 7..9 of the demo data."""
    from sync_pipeline.sandbox.erp import demo

    stack.erp.companies.upsert([from_json(Companies.shape, c) for c in demo.CUSTOMERS + demo.SUPPLIERS])


def seed_wms_articles(stack: Stack, ids: range | list[int]) -> None:
    """Articles with stock in the warehouse, in-process (as an earlier initial load would have left them)."""
    for product_id in ids:
        number = article_number(product_id)
        stack.wms.articles.process({"ArticleOperation": "CreateOrUpdate", "ArticleIdentification": "ArticleNumber",
                                    "ArticleNumber": number, "ArticleName": f"Vare {product_id}",
                                    "ProductCode": str(product_id)})
        stack.wms.inventory.set_physical(number, initial_stock(product_id))


def seed_shop(stack: Stack, products: int, rng: random.Random) -> None:
    """The demo's customers and suppliers, products 1..`products` in the ERP, and their articles in the WMS."""
    seed_companies(stack)
    seed_products(stack, range(1, products + 1), rng)
    seed_wms_articles(stack, range(1, products + 1))


def order_record(order_id: int, customer_id: int, product_ids: list[int], rng: random.Random) -> dict[str, Any]:
    return {
        "OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": customer_id,
        "ReferenceNumber": f"WEB-{order_id}", "DeliveryDate": "2030-01-01T00:00:00+00:00",
        "Addresses": {"Delivery": {"Street": f"Storgata {order_id % 90 + 1}", "PostalCode": "0155",
                                   "City": "Oslo", "Country": "NO", "Name": f"Kunde {order_id}"}},
        "CustomerDeliveryPhone": "+47 900 00 000", "InvoiceEmailAddress": f"kunde{order_id}@example.no",
        "InvoiceRows": [{"ProductId": product_id, "RowId": row, "Quantity": str(rng.randrange(1, 4))}
                        for row, product_id in enumerate(product_ids, start=1)],
    }


def seed_orders(stack: Stack, records: list[dict[str, Any]]) -> None:
    stack.erp.orders.upsert([from_json(Orders.shape, record) for record in records])


def loaded_cursor(stack: Stack) -> Cursor:
    """The article cursor an initial load of the whole ERP catalogue leaves behind.

    Built from the sandbox's own change stamps: seeding in bulk runs the ERP clock ahead of the wall
    clock (every change gets a stamp one millisecond after the last), so "now" would be too early.
    """
    progress = CursorBuilder(None)
    for document in stack.erp.products.all():
        product = Product.model_validate(document)
        progress.handled(article_key(product), product.DateChanged)
    return progress.build()
