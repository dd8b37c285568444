"""The simulated Ongoing WMS: one goods owner of one warehouse, the SOAP operations the pipeline uses.

More goods owners of the same warehouse (a 3PL's) are more of these behind one server: see tenants.py.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import unquote

from sync_pipeline.sandbox.demo_flavour import DemoFlavour
from sync_pipeline.sandbox.server import AdminError
from sync_pipeline.sandbox.soap import RequestContext, SoapFault, SoapService
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.values import utc_now
from sync_pipeline.sandbox.wms import order_reply, replies, statuses
from sync_pipeline.sandbox.wms.admin import WmsAdmin, stock_summary
from sync_pipeline.sandbox.wms.articles import ArticleRegistry
from sync_pipeline.sandbox.wms.credentials import Credentials
from sync_pipeline.sandbox.wms.demo import demo_article_details, demo_inbound, demo_stock
from sync_pipeline.sandbox.wms.inventory import Inventory
from sync_pipeline.sandbox.wms.inventory_query import select_inventory
from sync_pipeline.sandbox.wms.order_query import select_orders
from sync_pipeline.sandbox.wms.orders import OrderBook
from sync_pipeline.sandbox.wms.results import Refused, refused_result
from sync_pipeline.sandbox.wms.returns import ReturnBook
from sync_pipeline.sandbox.wms.suppliers import SupplierRegistry
from sync_pipeline.sandbox.wms.values import text
from sync_pipeline.sandbox.wms.writes import WriteGuard, WriteInProgress

ONGOING_WSDL = Path(__file__).resolve().parents[2] / "wms" / "wsdl" / "ongoing.wsdl"
WAREHOUSE = "sandbox"  # the service lives at /<warehouse>/service.asmx
# The reply elements that are records, where the fault unknown_elements adds elements.
RECORDS = ("InventoryLine", "Article", "Order", "OrderInfo", "Consignee", "PickedOrderLine", "OrderTrackingInfo",
           "OrderStatus", "ProcessArticleResult", "ProcessOrderResult", "UpdateOrderResult", "ReturnOrderInfo",
           "ReturnOrderLineInfo")
RETURNS_ROUTE = re.compile(r"orders/(?P<number>[^/]+)/returns")

Reply = dict[str, Any]


class WmsSandbox:
    """Implements sandbox.server.SandboxSystem for Ongoing WMS."""

    name = "Ongoing WMS"

    def __init__(self, store: Store, *, warehouse: str = WAREHOUSE, credentials: Credentials = Credentials(),
                 write_wait_seconds: float = 2.0, now: Callable[[], datetime] = utc_now,
                 demo: DemoFlavour = DemoFlavour()):
        self.store = store
        self.demo = demo
        self.credentials = credentials
        self.writes = WriteGuard(write_wait_seconds)
        self.now = now
        self.inventory = Inventory(store, now)
        self.suppliers = SupplierRegistry(store)
        self.articles = ArticleRegistry(store, self.suppliers, self.inventory, now)
        self.orders = OrderBook(store, self.articles, self.inventory, now)
        self.returns = ReturnBook(store, self.orders, self.inventory, now)
        self._admin = WmsAdmin(self.orders, self.inventory, self._write, self.seed_demo)
        handlers = {
            "ProcessArticle": self.process_article,
            "ProcessOrder": self.process_order,
            "UpdateOrder": self.update_order,
            "GetOrderStatuses": self.get_order_statuses,
            "GetOrdersByQuery": self.get_orders_by_query,
            "GetInventoryByQuery": self.get_inventory_by_query,
            "GetReturnOrdersByQuery": self.get_return_orders_by_query,
        }
        self.services = {f"/{warehouse}/service.asmx": SoapService(ONGOING_WSDL, handlers, RECORDS, fit_replies=True)}

    # -- SandboxSystem ---------------------------------------------------------------------------

    def admin(self, method: str, path: str, body: Any) -> Any:
        returning = RETURNS_ROUTE.fullmatch(path)
        if method == "POST" and returning:
            try:
                with self._write():
                    return self.returns.stage(unquote(returning["number"]), body)
            except WriteInProgress as exc:
                raise AdminError(str(exc), 409) from exc
        return self._admin.handle(method, path, body)

    def reset(self) -> None:
        self.store.clear()

    def state(self) -> dict[str, Any]:
        with self.store.lock:
            return {"articles": self.articles.all(), "suppliers": self.suppliers.all(),
                    "orders": self.orders.all(), "stock": [stock_summary(s) for s in self.inventory.all()],
                    "returns": self.returns.all()}

    def expire_sessions(self) -> None:
        """Ongoing has no sessions: every call carries its credentials."""

    def seed_demo(self) -> None:
        for number, quantity in demo_stock(self.demo).items():
            self.inventory.set_physical(number, quantity)
        for number, quantity in demo_inbound(self.demo).items():
            self.inventory.expect(number, quantity)
        for number, details in demo_article_details(self.demo).items():
            self.articles.hold_details(number, details)

    # -- writes ----------------------------------------------------------------------------------

    def _write(self) -> AbstractContextManager[None]:
        return self.writes.write(self.credentials.goods_owner_code)

    @contextmanager
    def _soap_write(self, goods_owner_code: str) -> Iterator[None]:
        try:
            with self.writes.write(goods_owner_code):
                yield
        except WriteInProgress as exc:
            raise SoapFault(str(exc)) from exc

    def process_article(self, values: dict[str, Any], ctx: RequestContext) -> Reply:
        owner = self.credentials.check(values)
        art = values.get("art") or {}
        ctx.record_key = text(art.get("ArticleNumber")) or text(art.get("ProductCode")) or None
        with self._soap_write(owner):
            try:
                result = self.articles.process(art)
            except Refused as refusal:
                result = refused_result(refusal.message)
        ctx.detail = written(result)
        return {"ProcessArticleResult": result}

    def process_order(self, values: dict[str, Any], ctx: RequestContext) -> Reply:
        owner = self.credentials.check(values)
        co = values.get("co") or {}
        number = text((co.get("OrderInfo") or {}).get("GoodsOwnerOrderNumber")) or None
        ctx.record_key = number
        with self._soap_write(owner):
            try:
                result = self.orders.process(co)
            except Refused as refusal:
                result = refused_result(refusal.message, goods_owner_order_number=number)
        ctx.detail = written(result)
        return {"ProcessOrderResult": result}

    def update_order(self, values: dict[str, Any], ctx: RequestContext) -> Reply:
        owner = self.credentials.check(values)
        request = values.get("updateOrder") or {}
        identification = request.get("OrderUpdateIdentification") or {}
        ctx.record_key = text(identification.get("GoodsOwnerOrderNumber")) or (
            str(identification["OrderId"]) if identification.get("OrderId") is not None else None)
        with self._soap_write(owner):
            return {"UpdateOrderResult": self.orders.update(request)}

    # -- reads (never wait for writes) -----------------------------------------------------------

    def get_order_statuses(self, values: dict[str, Any], ctx: RequestContext) -> Reply:
        self.credentials.check(values)
        return {"GetOrderStatusesResult": {"OrderStatuses": {"OrderStatus": [
            replies.order_status(number, name) for number, name in statuses.STANDARD_STATUSES.items()]}}}

    def get_orders_by_query(self, values: dict[str, Any], ctx: RequestContext) -> Reply:
        self.credentials.check(values)
        with self.store.lock:  # one consistent snapshot
            orders, articles, suppliers = self.orders.view(), self.articles.view(), self.suppliers.view()
        selected = select_orders(orders.sorted_by("OrderId"), values.get("query") or {})
        articles_by_id = articles.index_by("SystemId")
        return {"GetOrdersByQueryResult": {"Orders": {"Order": [
            order_reply.order(order, articles_by_id, suppliers) for order in selected]}}}

    def get_inventory_by_query(self, values: dict[str, Any], ctx: RequestContext) -> Reply:
        self.credentials.check(values)
        with self.store.lock:  # one consistent snapshot
            articles, stock, suppliers = self.articles.view(), self.inventory.view(), self.suppliers.view()
        selected = select_inventory(articles, stock, values.get("GetInventoryQuery") or {},
                                    self.now())
        lines = [replies.inventory_line(article, line_stock, suppliers.get(article.get("MainSupplierNumber", "")))
                 for article, line_stock in selected]
        return {"GetInventoryByQueryResult": {"InventoryLines": {"InventoryLine": lines},
                                              "GoodsOwnerId": replies.GOODS_OWNER_ID}}

    def get_return_orders_by_query(self, values: dict[str, Any], ctx: RequestContext) -> Reply:
        self.credentials.check(values)
        return {"GetReturnOrdersByQueryResult": {"Success": True, "ReturnOrders": {
            "ReturnOrderInfo": self.returns.query(values.get("ReturnOrdersQuery") or {})}}}


def written(result: dict[str, Any]) -> str:
    """What a ProcessArticle / ProcessOrder did, for the call log: created, updated, cancelled or refused."""
    if not result.get("Success"):
        return "refused"
    return str(result.get("Message") or "").rsplit(" ", 1)[-1]
