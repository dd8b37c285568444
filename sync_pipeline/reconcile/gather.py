"""Reading both systems and the ledger for one drift comparison (the only I/O of reconcile/).

Reads only; writes nothing anywhere. What it reads, per process switched on:

- articles and stock: every ERP product and every WMS inventory line (as the stock cycle does),
  plus the WMS articles whose stock changed within the grace period (StockInfoChangedFrom);
- orders: every ERP order in the pull status; the orders the ledger has as pushed or in flight;
  the WMS orders changed in the last ORDER_LOOKBACK, and any expected order by its number; every
  ERP order a WMS order names.
- returns: the WMS's return orders whose goods came in within ORDER_LOOKBACK and those of the WMS orders
  read at status 800 (Returned), with the ERP orders they name.
- the ledger's entries of those orders and of the products changed within the grace period: whether a
  recent change was already written (so it is not in transit) and why an order last failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from datetime import datetime, timedelta

from sync_pipeline.ledger import Kind, Ledger, LedgerEntry, State
from sync_pipeline.erp.models import InvoiceOrder, OrderStatus, Product, service_text
from sync_pipeline.processes.protocols import ErpReader, WmsReader
from sync_pipeline.reconcile.drift import DriftOptions, Systems
from sync_pipeline.sync.returns import RETURNED_STATUS
from sync_pipeline.wms.models import InventoryLine, ReturnOrder, WmsOrder

ORDER_LOOKBACK = timedelta(days=7)  # WMS orders changed this long ago or more are looked up only by number
STOCK_DELTA_LIMIT = timedelta(hours=23)  # Ongoing refuses StockInfoChangedFrom more than 24 h back
PUSHED_STATES = (State.SENT, State.SHIPPED)
NUMBERS_PER_QUERY = 500  # order numbers per GetOrdersByQuery filter


class DriftErp(ErpReader, Protocol):
    def orders_changed_since(self, since: datetime | None,
                             statuses: Iterable[OrderStatus | str] | None = ...) -> list[InvoiceOrder]: ...


def read_systems(erp: DriftErp, wms: WmsReader, ledger: Ledger, options: DriftOptions, *, now: datetime, grace: timedelta) -> Systems:
    from sync_pipeline.sync.stock import IN_FLIGHT_ORDER_STATES  # the stock process's module loads pandas

    products: list[Product] = []
    inventory: list[InventoryLine] = []
    recent_stock: frozenset[str] = frozenset()
    if options.on("articles") or options.on("stock"):
        products = erp.products_changed_since(None)
        inventory = list(wms.inventory())
    if options.on("stock") and grace > timedelta(0):
        since = now - min(grace, STOCK_DELTA_LIMIT)
        recent_stock = frozenset(line.ArticleNumber for line in wms.inventory(changed_since=since) if line.ArticleNumber)

    in_flight = _order_ids(ledger.keys_in_states(Kind.ORDER, IN_FLIGHT_ORDER_STATES)) if options.on("stock") else set()
    pushed: set[int] = set()
    erp_orders: dict[int, InvoiceOrder] = {}
    wms_orders: dict[str, WmsOrder] = {}
    expected: set[int] = set()
    if options.on("orders"):
        pushed = _order_ids(ledger.keys_in_states(Kind.ORDER, PUSHED_STATES, live_only=False))
        erp_orders = {o.OrderId: o for o in erp.orders_changed_since(None, statuses=[options.pull_status])
                      if o.APIException is None and o.OrderId is not None}
        wms_orders = {o.GoodsOwnerOrderNumber: o for o in wms.orders(changed_since=now - ORDER_LOOKBACK)
                      if o.GoodsOwnerOrderNumber}
    returns = _returns(wms, wms_orders, since=now - ORDER_LOOKBACK) if options.on("returns") else []
    named = {int(n) for n in [*wms_orders, *(r.OrderNumber for r in returns if r.OrderNumber)] if n.isdigit()}
    wanted = sorted((pushed | in_flight | named) - erp_orders.keys())
    if wanted:
        erp_orders.update((o.OrderId, o) for o in erp.orders(wanted) if o.APIException is None and o.OrderId is not None)
    if options.on("orders"):
        expected = {i for i, o in erp_orders.items() if service_text(o.OrderStatus) == service_text(options.pull_status)}
        expected |= pushed & erp_orders.keys()
        unseen = sorted(str(i) for i in expected if str(i) not in wms_orders)
        for start in range(0, len(unseen), NUMBERS_PER_QUERY):
            chunk = unseen[start:start + NUMBERS_PER_QUERY]
            wms_orders.update((o.GoodsOwnerOrderNumber, o) for o in wms.orders(order_numbers=chunk) if o.GoodsOwnerOrderNumber)
    orders = ledger.entries(Kind.ORDER, map(str, expected | erp_orders.keys())) if options.on("orders") else {}
    failures = {key: str(orders[key].last_error) for key in map(str, expected) if key in orders and orders[key].last_error}
    recent_products = [p.Id for p in products
                       if p.Id is not None and p.DateChanged is not None and p.DateChanged >= now - grace]
    entries: dict[tuple[str, str], LedgerEntry] = {(Kind.ORDER, key): entry for key, entry in orders.items()}
    if options.on("articles") and recent_products:
        for kind in (Kind.ARTICLE, Kind.STOCK):  # the stock write's entry: it moves a product's DateChanged too
            entries.update(((kind, key), entry) for key, entry in ledger.entries(kind, recent_products).items())
    return Systems(products=products, inventory=inventory, erp_orders=erp_orders, expected_in_wms=frozenset(expected),
                   wms_orders=wms_orders, in_flight_orders=frozenset(in_flight), stock_changed_recently=recent_stock,
                   order_errors=failures, ledger_entries=entries, returns=returns)


def _returns(wms: WmsReader, wms_orders: dict[str, WmsOrder], *, since: datetime) -> list[ReturnOrder]:
    """Return orders whose goods came in since `since`, and every one of the orders at status 800, once each."""
    found = {r.ReturnOrderId: r for r in wms.return_orders(returned_since=since)}
    returned = sorted(n for n, o in wms_orders.items() if o.OrderStatusNumber == RETURNED_STATUS)
    for start in range(0, len(returned), NUMBERS_PER_QUERY):
        found.update((r.ReturnOrderId, r) for r in wms.return_orders(order_numbers=returned[start:start + NUMBERS_PER_QUERY]))
    return [found[key] for key in sorted(found)]


def _order_ids(keys: Iterable[str]) -> set[int]:
    return {int(k) for k in keys if k.isdigit()}
