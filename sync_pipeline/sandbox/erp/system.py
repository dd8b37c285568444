"""ErpSandbox: the simulated 24SevenOffice, wired for SandboxServer."""

from __future__ import annotations

from typing import Any

from sync_pipeline.sandbox.demo_flavour import DemoFlavour
from sync_pipeline.sandbox.erp import demo
from sync_pipeline.sandbox.erp.admin import ErpAdmin
from sync_pipeline.sandbox.erp.auth import Authenticate, Credentials, Sessions
from sync_pipeline.sandbox.erp.clock import Clock
from sync_pipeline.sandbox.erp.companies import Companies
from sync_pipeline.sandbox.erp.invoices import Orders
from sync_pipeline.sandbox.erp.products import Products
from sync_pipeline.sandbox.erp.records import from_json, known, public
from sync_pipeline.sandbox.erp.shapes import AUTHENTICATE_WSDL, COMPANY_WSDL, INVOICE_WSDL, PRODUCT_WSDL
from sync_pipeline.sandbox.soap import SoapService
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.values import Now, utc_now


class ErpSandbox:
    """24SevenOffice's Authenticate, Product, InvoiceOrder and Company services on one store.

    `wide_query_limit`: a GetInvoices without OrderIds that would return more orders than this
    times out, as wide ChangedAfter ranges do in production. `demo`: which article numbers and order
    ids seed_demo loads (another client's differ).
    """

    name = "24SevenOffice"

    def __init__(self, store: Store, *, session_ttl_seconds: float = 1200.0, now: Now = utc_now,
                 credentials: Credentials = Credentials(), wide_query_limit: int = 1000,
                 demo: DemoFlavour = DemoFlavour()):
        self.store = store
        self.credentials = credentials
        self.demo = demo
        self.clock = Clock(now)
        self.sessions = Sessions(self.clock, session_ttl_seconds)
        self.products = Products(store, self.clock, self.sessions)
        self.companies = Companies(store, self.clock, self.sessions)
        self.orders = Orders(store, self.clock, self.sessions, self.products, self.companies, wide_query_limit)
        self.services = {
            "/authenticate/v001/authenticate.asmx":
                SoapService(AUTHENTICATE_WSDL, Authenticate(self.sessions, credentials).handlers()),
            "/Logistics/Product/V001/ProductService.asmx":
                SoapService(PRODUCT_WSDL, self.products.handlers(), records=("Product",)),
            "/Economy/InvoiceOrder/V001/InvoiceService.asmx":
                SoapService(INVOICE_WSDL, self.orders.handlers(), records=("InvoiceOrder", "InvoiceRow")),
            "/CRM/Company/V001/CompanyService.asmx":
                SoapService(COMPANY_WSDL, self.companies.handlers(), records=("Company",)),
        }
        self._admin = ErpAdmin({"products": self.products, "orders": self.orders, "companies": self.companies},
                               self.seed_demo)

    # -- SandboxSystem -----------------------------------------------------------------------------

    def admin(self, method: str, path: str, body: Any) -> Any:
        return self._admin.handle(method, path, body)

    def reset(self) -> None:
        self.store.clear()
        self.sessions.reset()
        self.clock.reset()

    def state(self) -> dict[str, Any]:
        return {
            "products": [public(p) for p in self.products.all()],
            "orders": [public(o) for o in self.orders.all()],
            "companies": [public(c) for c in self.companies.all()],
            "sessions": self.sessions.count(),
            "logins": self.sessions.logins,
        }

    def expire_sessions(self) -> None:
        self.sessions.expire_all()

    # -- demo ----------------------------------------------------------------------------------------

    def seed_demo(self) -> dict[str, int]:
        """Load (or refresh) the demo catalogue, companies and orders; returns how many of each."""
        companies = [from_json(Companies.shape, known(Companies.shape, c)) for c in demo.CUSTOMERS + demo.SUPPLIERS]
        products = [from_json(Products.shape, known(Products.shape, p)) for p in demo.products(self.demo)]
        orders = [from_json(Orders.shape, known(Orders.shape, o)) for o in demo.orders(self.clock.now(), self.demo)]
        self.companies.upsert(companies)
        self.products.upsert(products)
        self.orders.upsert(orders)
        return {"products": len(products), "orders": len(orders), "companies": len(companies)}
