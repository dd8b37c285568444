"""Both sandboxes in this process (real HTTP servers on free ports), seeded in bulk, with faults.

Bulk data goes straight into the sandbox objects, which is what their admin API does too, without
thousands of JSON round trips; everything the pipeline sees still travels over SOAP. The sandboxes'
request limit (7,200 an hour, as the real ERP) is lifted: a soak makes a day's requests in a minute;
quarantines are injected on purpose instead.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

import requests
from pydantic import SecretStr

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.sandbox.erp import ErpSandbox, demo
from sync_pipeline.sandbox.erp.auth import Credentials as ErpCredentials
from sync_pipeline.sandbox.erp.companies import Companies
from sync_pipeline.sandbox.erp.invoices import Orders
from sync_pipeline.sandbox.erp.products import Products
from sync_pipeline.sandbox.erp.records import from_json
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.wms import WmsSandbox
from sync_pipeline.sandbox.wms.credentials import Credentials as WmsCredentials
from sync_pipeline.sandbox.wms.system import WAREHOUSE
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.wms import WmsClient, WmsConnection

NO_REQUEST_LIMIT = {"rate_limit_per_hour": 10**9}
# Client retries as in production (4 attempts), with waits short enough for a test.
QUICK_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_quarantine_wait=5.0)
# Outcomes in the sandboxes' call log after which the call's work was done (README: faults).
APPLIED = ("ok", "injected: timeout (after ok)", "injected: malformed (after ok)")
OPEN, SHIPPED = 200, 450  # WMS order statuses
CUSTOMERS = tuple(c["Id"] for c in demo.CUSTOMERS)


@dataclass
class Sandboxes:
    erp: ErpSandbox
    wms: WmsSandbox
    erp_server: SandboxServer
    wms_server: SandboxServer

    @classmethod
    def start(cls) -> "Sandboxes":
        erp, wms = ErpSandbox(Store()), WmsSandbox(Store())
        found = cls(erp, wms, SandboxServer(erp, "127.0.0.1", 0).start(), SandboxServer(wms, "127.0.0.1", 0).start())
        found.faults()
        return found

    def stop(self) -> None:
        self.erp_server.stop()
        self.wms_server.stop()

    # -- admin API (over HTTP, as an operator or the warehouse would) ---------------------------

    def admin(self, system: str, method: str, route: str, payload: Any = None) -> Any:
        server = self.erp_server if system == "erp" else self.wms_server
        reply = requests.request(method, f"{server.url}/_sandbox/{route}", json=payload, timeout=120)
        assert reply.status_code == 200, f"{system} {method} {route}: {reply.status_code} {reply.text}"
        return reply.json()

    def faults(self, **settings: Any) -> None:
        """Both sandboxes' fault settings (POST /_sandbox/faults); none given: faults off."""
        for system in ("erp", "wms"):
            self.admin(system, "POST", "faults", {**NO_REQUEST_LIMIT, **settings})

    def quarantined(self, system: str) -> bool:
        """Whether the sandbox's quarantine refuses calls now or waits for its first call (read in-process:
        the admin API shows settings only)."""
        server = self.erp_server if system == "erp" else self.wms_server
        return server.faults.quarantined()

    def calls(self, system: str) -> list[dict[str, Any]]:
        return self.admin(system, "GET", "calls")["log"]

    def open_orders(self) -> list[str]:
        """Order numbers the warehouse holds and has not shipped yet (status 200 Open)."""
        return sorted(o["GoodsOwnerOrderNumber"] for o in self.admin("wms", "GET", "state")["orders"]
                      if o["OrderStatusNumber"] == OPEN)

    def ship(self, order_number: int | str, waybill: str) -> None:
        """The warehouse sends an order (status 450), taking its items from stock."""
        self.admin("wms", "POST", f"orders/{order_number}/status", {"OrderStatusNumber": SHIPPED, "WayBill": waybill})

    # -- clients --------------------------------------------------------------------------------

    def erp_connection(self, timeout: float = 10.0, retry: RetryPolicy = QUICK_RETRY) -> ErpConnection:
        credentials = ErpCredentials()
        return ErpConnection(base_url=self.erp_server.url, application_id=credentials.application_id,
                             username=credentials.username, password=SecretStr(credentials.password),
                             timeout=timeout, retry=retry)

    def wms_connection(self, timeout: float = 10.0, retry: RetryPolicy = QUICK_RETRY) -> WmsConnection:
        credentials = WmsCredentials()
        return WmsConnection(base_url=f"{self.wms_server.url}/{WAREHOUSE}",
                             goods_owner_code=credentials.goods_owner_code, username=credentials.username,
                             password=SecretStr(credentials.password), timeout=timeout, retry=retry)

    def clients(self, timeout: float = 10.0, retry: RetryPolicy = QUICK_RETRY) -> tuple[ErpClient, WmsClient]:
        return ErpClient(self.erp_connection(timeout, retry)), WmsClient(self.wms_connection(timeout, retry))


# -- data -----------------------------------------------------------------------------------------

def article_number(product_id: int) -> str:
    return f"SKU-{product_id:05d}"


def seed_catalogue(sandboxes: Sandboxes, products: int, rng: random.Random) -> None:
    """Customers and suppliers of the demo data, `products` products; the warehouse holds stock for
    each (plenty, so shipping never runs short), a different figure than the ERP's for some."""
    sandboxes.erp.companies.upsert([from_json(Companies.shape, c) for c in demo.CUSTOMERS + demo.SUPPLIERS])
    records = []
    for product_id in range(1, products + 1):
        stock = 10_000 + rng.randrange(1000)
        records.append({"Id": product_id, "No": article_number(product_id), "Name": f"Vare {product_id}",
                        "Price": f"{rng.randrange(100, 100_000) / 100:.2f}", "Stock": str(stock),
                        "StockControlled": True, "SupplierId": rng.choice(demo.SUPPLIER_IDS)})
        wms_stock = stock + (rng.randrange(1, 50) if rng.random() < 0.3 else 0)
        sandboxes.wms.inventory.set_physical(article_number(product_id), Decimal(wms_stock))
    sandboxes.erp.products.upsert([from_json(Products.shape, r) for r in records])


def order_record(order_id: int, products: int, rng: random.Random, status: str = "Confirmed") -> dict[str, Any]:
    rows = rng.sample(range(1, products + 1), rng.randrange(1, 4))
    return {
        "OrderId": order_id, "OrderStatus": status, "CustomerId": rng.choice(CUSTOMERS),
        "ReferenceNumber": f"WEB-{order_id}", "DeliveryDate": "2030-01-01T00:00:00+00:00",
        "Addresses": {"Delivery": {"Street": f"Storgata {order_id % 90 + 1}", "PostalCode": "0155",
                                   "City": "Oslo", "Country": "NO", "Name": f"Kunde {order_id}"}},
        # Every third order leaves phone and e-mail to the customer's company (the fallback lookup).
        **({} if order_id % 3 == 0 else {"CustomerDeliveryPhone": "+47 900 00 000",
                                         "InvoiceEmailAddress": f"kunde{order_id}@example.no"}),
        "InvoiceRows": [{"ProductId": product_id, "RowId": row, "Quantity": str(rng.randrange(1, 4))}
                        for row, product_id in enumerate(rows, start=1)],
    }


def seed_orders(sandboxes: Sandboxes, records: Iterable[dict[str, Any]]) -> None:
    sandboxes.erp.orders.upsert([from_json(Orders.shape, record) for record in records])


def change_quantities(sandboxes: Sandboxes, order_ids: Iterable[int | str], rng: random.Random) -> None:
    """A user edits confirmed orders: each row's quantity changes (the order must follow in the WMS)."""
    changed = []
    for order_id in map(int, order_ids):
        order = sandboxes.erp.orders.get(order_id)
        rows = [{"ProductId": row["ProductId"], "RowId": row["RowId"], "Quantity": str(rng.randrange(1, 6))}
                for row in order["InvoiceRows"]]
        changed.append(from_json(Orders.shape, {"OrderId": order_id, "InvoiceRows": rows}))
    sandboxes.erp.orders.upsert(changed)


def fault_counts(entries: Iterable[dict[str, Any]]) -> Counter[str]:
    """Injected faults by kind in a call log: error, timeout, drop, malformed, quarantined, session."""
    counts: Counter[str] = Counter()
    for entry in entries:
        outcome = entry["outcome"]
        if outcome.startswith("injected: "):
            counts[outcome[len("injected: "):].split(" ")[0]] += 1
        elif outcome == "quarantined":
            counts["quarantined"] += 1
    return counts
