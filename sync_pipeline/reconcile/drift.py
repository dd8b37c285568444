"""Drift: what one system holds that the other does not, or holds differently (pure, no I/O).

Categories (each counted only while its process is switched on):

- articles_only_in_erp / articles_only_in_wms: ERP products (by No) without a WMS article, and WMS
  articles without an ERP product.
- orders_only_in_erp: orders that should be in the WMS (in the pull status, or pushed according to
  the ledger) and are not. orders_only_in_wms: WMS orders (not cancelled) whose number is no ERP order.
- shipped_not_reported: shipped in the WMS, but the ERP order is not in the shipped status (only
  when reporting shipped orders is on). erp_shipped_not_in_wms: the ERP order has the shipped status
  and the WMS holds the order unshipped (or cancelled).
- stock_differences: the balances differ (the stock process's own comparison, stock/diff.py); with
  the kept stock cycles (with_standings), since when each has differed and the last cycle's figures.

Returns are shown, not counted (returns): the warehouse's return orders of ERP orders, per order and
row, and the orders at WMS status 800 (Returned) without one read. An order at 800 is a return, not a
shipment: neither "shipped, not reported" nor "Sent in the ERP, not shipped" while it is there.

A change younger than the grace period is *in transit*, not drift, while it is actually in flight:
the next cycle (or sensor) is still to carry it over. It is counted apart and not held against the
threshold: a product or order whose DateChanged is within the grace period and whose version (or a
later one) the ledger has not recorded as written; a shipped order whose ShippedTime is, and whose
report the ledger has not recorded; an article whose WMS stock changed within the grace period. A
record the ledger says was written and the target does not hold was lost by the target: that is
drift however recent the change. Stock differences on products of orders between the systems (in flight in the
ledger, or shipped in the WMS and not yet reported) are *held*, as the stock process holds them;
they are listed, not counted. Articles and orders only in the WMS, and orders shipped only in the
ERP, have no time to judge by: they always count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Protocol

from sync_pipeline.erp.models import InvoiceOrder, Product, service_text
from sync_pipeline.ledger.model import Kind, LedgerEntry, State, rank
from sync_pipeline.markdown_table import moment
from sync_pipeline.sync.customs import HOLD_PREFIX
from sync_pipeline.stock.quantity import from_units
from sync_pipeline.sync.returns import RETURNED_STATUS, return_rows
from sync_pipeline.sync.shipped import LAST_SHIPPED_STATUS as SHIPPED_UP_TO
from sync_pipeline.wms.models import InventoryLine, ReturnOrder, WmsOrder

if TYPE_CHECKING:
    from sync_pipeline.stock.frames import Basis
    from sync_pipeline.stock.history import Standing

LAST_SHIPPED_STATUS = 999  # WMS statuses from 1000 on are cancellations
Ordering = Callable[[dict[str, Any]], tuple[Any, ...]]
RETURNS_PROCESS = "returns"  # shown when this process is on (processes/returns.py), never counted

CATEGORIES: dict[str, str] = {
    "articles_only_in_erp": "Articles only in 24SevenOffice (no warehouse article)",
    "articles_only_in_wms": "Articles only in the warehouse (no 24SevenOffice product)",
    "orders_only_in_erp": "Orders in 24SevenOffice missing in the warehouse",
    "orders_only_in_wms": "Orders in the warehouse unknown to 24SevenOffice",
    "shipped_not_reported": "Shipped in the warehouse, not shipped in 24SevenOffice",
    "erp_shipped_not_in_wms": "Shipped in 24SevenOffice, not shipped in the warehouse",
    "stock_differences": "Stock differences (largest first)",
}
# The process (by its name in processes/registry.py) whose records each category compares.
PROCESS_OF = {
    "articles_only_in_erp": "articles", "articles_only_in_wms": "articles",
    "orders_only_in_erp": "orders", "orders_only_in_wms": "orders",
    "shipped_not_reported": "shipped", "erp_shipped_not_in_wms": "orders",
    "stock_differences": "stock",
}
ALL_PROCESSES = frozenset(PROCESS_OF.values()) | {RETURNS_PROCESS}


class Note(Protocol):
    """Notes a drifting record under its category (compare_systems' `note`)."""

    def __call__(self, name: str, row: dict[str, Any], changed: datetime | None = None,
                 written: bool = False) -> None: ...


@dataclass(frozen=True)
class DriftOptions:
    pull_status: str = "Confirmed"
    shipped_status: str = "OrderState_Sent"
    wms_sent_status: int = 450
    stock_basis: Basis = "physical"
    processes_on: frozenset[str] = ALL_PROCESSES  # the switched-on processes, by name

    def on(self, process: str) -> bool:
        return process in self.processes_on

    def categories(self) -> list[str]:
        return [name for name in CATEGORIES if self.on(PROCESS_OF[name])]


@dataclass(frozen=True)
class Systems:
    """What was read from both systems and the ledger for one comparison (gather.read_systems)."""

    products: list[Product] = field(default_factory=list)  # every ERP product
    inventory: list[InventoryLine] = field(default_factory=list)  # every WMS inventory line (one per article)
    erp_orders: Mapping[int, InvoiceOrder] = field(default_factory=dict)  # ERP orders by id (expected + named by the WMS)
    expected_in_wms: frozenset[int] = frozenset()  # ERP order ids the WMS should hold
    wms_orders: Mapping[str, WmsOrder] = field(default_factory=dict)  # WMS orders by GoodsOwnerOrderNumber
    in_flight_orders: frozenset[int] = frozenset()  # ERP order ids between the systems per the ledger
    stock_changed_recently: frozenset[str] = frozenset()  # articles whose WMS stock changed within the grace
    order_errors: Mapping[str, str] = field(default_factory=dict)  # the ledger's last failure per order key
    # The ledger's entries, by (kind, key), of the records whose change is recent (products, orders).
    ledger_entries: Mapping[tuple[str, str], LedgerEntry] = field(default_factory=dict)
    returns: list[ReturnOrder] = field(default_factory=list)  # the WMS's return orders (ReturnOrder) of ERP orders


@dataclass
class Drift:
    categories: list[str]  # compared (their processes are on), in CATEGORIES order
    rows: dict[str, list[dict[str, Any]]]  # category -> drifting records, largest (or oldest) first
    in_transit: dict[str, int]  # category -> records changed within the grace period (not counted)
    held: list[dict[str, Any]] = field(default_factory=list)  # stock differences held for orders in flight
    returns: list[dict[str, Any]] = field(default_factory=list)  # return order rows, shown and not counted
    # Orders missing in the warehouse because the orders process holds them for customs (sync/customs.py):
    # held on purpose, released by themselves; shown, not counted.
    customs_held: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(self.rows[name]) for name in self.categories}

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    @property
    def total_in_transit(self) -> int:
        return sum(self.in_transit.values())

    def summary(self) -> str:
        parts = [f"{count} {name.replace('_', ' ')}" for name, count in self.counts().items() if count]
        return ", ".join(parts) if parts else "none"


def compare_systems(systems: Systems, options: DriftOptions, settled_before: datetime) -> Drift:
    """The drift between the systems; changes at or after `settled_before` are in transit."""
    drift = Drift(categories=options.categories(), rows={}, in_transit={})
    for name in drift.categories:
        drift.rows[name], drift.in_transit[name] = [], 0

    def note(name: str, row: dict[str, Any], changed: datetime | None = None, written: bool = False) -> None:
        """`written`: the ledger has recorded this change as carried over, so it is not in flight."""
        if changed is not None and changed >= settled_before and not written:
            drift.in_transit[name] += 1
        else:
            drift.rows[name].append(row)

    if options.on("articles"):
        _articles(systems, note)
    if options.on("orders"):
        _orders(systems, options, note, drift)
    if options.on("stock"):
        _stock(systems, options, note, drift)
    if options.on(RETURNS_PROCESS):
        drift.returns = _returns(systems)
    for name in drift.categories:
        drift.rows[name].sort(key=_ORDERING[name])
    return drift


def _articles(systems: Systems, note: Note) -> None:
    products = {p.No: p for p in systems.products if p.No}
    articles = {line.ArticleNumber: line for line in systems.inventory if line.ArticleNumber}
    for number in products.keys() - articles.keys():
        product = products[number]
        note("articles_only_in_erp", {"article": number, "product_id": product.Id, "name": product.Name,
                                      "changed": product.DateChanged}, product.DateChanged,
             _article_written(systems, product.Id, product.DateChanged))
    for number in articles.keys() - products.keys():
        line = articles[number]
        note("articles_only_in_wms", {"article": number, "product_code": line.ProductCode,
                                      "name": getattr(line, "ArticleName", None)})


def _orders(systems: Systems, options: DriftOptions, note: Note, drift: Drift) -> None:
    shipped, categories = service_text(options.shipped_status), drift.categories
    for order_id in systems.expected_in_wms:
        order = systems.erp_orders.get(order_id)
        if order is not None and str(order_id) not in systems.wms_orders:
            failure = systems.order_errors.get(str(order_id))
            row = {"order": order_id, "erp_status": service_text(order.OrderStatus), "changed": order.DateChanged,
                   "last_failure": failure}
            if failure is not None and failure.startswith(HOLD_PREFIX):
                drift.customs_held.append(row)
            else:
                note("orders_only_in_erp", row, order.DateChanged,
                     _written(systems, Kind.ORDER, order_id, order.DateChanged))
    for number, wms_order in systems.wms_orders.items():
        erp_order = systems.erp_orders.get(int(number)) if (number or "").isdigit() else None
        if erp_order is None:
            if wms_order.OrderStatusNumber <= LAST_SHIPPED_STATUS:
                note("orders_only_in_wms", {"order": number, "wms_status": wms_order.OrderStatusNumber,
                                            "wms_order_id": wms_order.OrderId})
            continue
        erp_status = service_text(erp_order.OrderStatus)
        if _came_back(wms_order):
            continue  # shipped once, so Sent in the ERP is right, and no shipment to report now
        if _is_shipped(wms_order, options):
            if "shipped_not_reported" in categories and erp_status != shipped:
                note("shipped_not_reported", {"order": number, "wms_status": wms_order.OrderStatusNumber,
                                              "shipped": wms_order.ShippedTime, "erp_status": erp_status},
                     wms_order.ShippedTime, _reached(systems, Kind.ORDER, erp_order.OrderId, State.REPORTED))
        elif erp_status == shipped:
            note("erp_shipped_not_in_wms", {"order": number, "erp_status": erp_status,
                                            "wms_status": wms_order.OrderStatusNumber,
                                            "erp_changed": erp_order.DateChanged})


def _returns(systems: Systems) -> list[dict[str, Any]]:
    """Each return order row of an ERP order, and each ERP order at WMS status 800 without a return order read."""
    status = {str(i): service_text(o.OrderStatus) for i, o in systems.erp_orders.items()}
    returns = [r for r in systems.returns if r.OrderNumber in status]
    rows = return_rows(sorted(returns, key=lambda r: (len(r.OrderNumber or ""), r.OrderNumber or "", r.ReturnOrderId)), status)
    with_return = {r.OrderNumber for r in returns}
    for number, wms_order in sorted(systems.wms_orders.items(), key=lambda item: (len(item[0]), item[0])):
        if _came_back(wms_order) and number in status and number not in with_return:
            rows.append({"order": number, "return_order": None, "return_status": f"order at WMS status "
                         f"{wms_order.OrderStatusNumber}, no return order read", "returned_at": None,
                         "erp_status": status[number]})
    return rows


def _stock(systems: Systems, options: DriftOptions, note: Note, drift: Drift) -> None:
    from sync_pipeline.stock.diff import compare  # pandas: loaded when drift is computed, not with the code
    from sync_pipeline.stock.frames import erp_frame, wms_frame

    products = [p for p in systems.products if p.StockControlled is not False]
    changes = compare(wms_frame(systems.inventory, options.stock_basis), erp_frame(products)).changes
    held = _held_products(systems, options)
    changed_at = {p.Id: p.DateChanged for p in products}
    for article, product_id, erp, wms, delta in zip(
            changes["article_number"].tolist(), changes["product_id"].tolist(),
            changes["erp_quantity"].to_numpy(dtype=object, na_value=None).tolist(),
            changes["wms_quantity"].to_numpy(dtype=object, na_value=None).tolist(),
            changes["delta"].to_numpy(dtype=object, na_value=None).tolist()):
        size = abs(delta) if delta is not None else abs(wms or 0)
        row = {"article": article, "product_id": int(product_id), "erp": _quantity(erp), "wms": _quantity(wms),
               "difference": _signed(delta), "_size": size}
        if int(product_id) in held:
            drift.held.append(row)
        elif article in systems.stock_changed_recently:
            drift.in_transit["stock_differences"] += 1
        else:
            note("stock_differences", row, changed_at.get(int(product_id)))
    drift.held.sort(key=_ORDERING["stock_differences"])


def _held_products(systems: Systems, options: DriftOptions) -> set[int]:
    """Products on orders between the systems: in flight per the ledger, or shipped and not yet reported."""
    shipped = service_text(options.shipped_status)
    order_ids = set(systems.in_flight_orders)
    for number, wms_order in systems.wms_orders.items():
        erp_order = systems.erp_orders.get(int(number)) if (number or "").isdigit() else None
        if erp_order is not None and erp_order.OrderId is not None and _is_shipped(wms_order, options) \
                and service_text(erp_order.OrderStatus) != shipped:
            order_ids.add(erp_order.OrderId)
    return {row.ProductId for order_id in order_ids if (order := systems.erp_orders.get(order_id)) is not None
            for row in (order.InvoiceRows or ()) if row.ProductId}


def _written(systems: Systems, kind: Kind, key: object, changed: datetime | None) -> bool:
    """Has the ledger recorded a successful write of the version changed at `changed`, or of a later one?"""
    entry = systems.ledger_entries.get((kind, str(key)))
    if changed is None or entry is None or entry.failing or rank(kind, entry.state) < 1:
        return False  # never written, or the latest attempt failed: still in flight
    written = _moment(entry.source_version)
    return written is not None and written >= _utc(changed)


def _article_written(systems: Systems, product_id: int | None, changed: datetime | None) -> bool:
    """_written, or written at an earlier version and changed since only by the pipeline's own stock write:
    setting a product's stock moves its DateChanged, and the article process leaves such a product
    unsent (its article did not change), so nothing is in flight for it."""
    if _written(systems, Kind.ARTICLE, product_id, changed):
        return True
    article = systems.ledger_entries.get((Kind.ARTICLE, str(product_id)))
    stock = systems.ledger_entries.get((Kind.STOCK, str(product_id)))
    return (changed is not None and article is not None and not article.failing and rank(Kind.ARTICLE, article.state) > 0
            and stock is not None and not stock.failing and stock.state is State.WRITTEN
            and stock.updated_at >= _utc(changed))


def _reached(systems: Systems, kind: Kind, key: object, state: State) -> bool:
    """Has the ledger recorded the record at `state` (or further)?"""
    entry = systems.ledger_entries.get((kind, str(key)))
    return entry is not None and rank(kind, entry.state) >= rank(kind, state)


def _moment(version: str | None) -> datetime | None:
    """A source version (the ERP DateChanged in ISO form, sync/gate.py version_of) as a UTC time."""
    try:
        return _utc(datetime.fromisoformat(version)) if version else None
    except ValueError:
        return None


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _is_shipped(wms_order: WmsOrder, options: DriftOptions) -> bool:
    """As the shipped process reads them (sync/shipped.py): from the sent status up to before 800 Returned."""
    return options.wms_sent_status <= wms_order.OrderStatusNumber <= SHIPPED_UP_TO


def _came_back(wms_order: WmsOrder) -> bool:
    """At 800 Returned (or a warehouse's own status after it, before the cancellations): a return."""
    return RETURNED_STATUS <= wms_order.OrderStatusNumber <= LAST_SHIPPED_STATUS


def _quantity(units: int | None) -> str | None:
    return None if units is None else str(from_units(units))


def _signed(units: int | None) -> str | None:
    if units is None:
        return None
    text = str(from_units(units))
    return text if units < 0 else f"+{text}"


def _oldest_first(column: str) -> Ordering:
    def key(row: dict[str, Any]) -> tuple[bool, float, str]:
        moment = row[column]  # records without a time first: nothing says they are recent
        return (moment is not None, moment.timestamp() if moment is not None else 0.0,
                str(row.get("order", row.get("article"))))
    return key


def _by_number(column: str) -> Ordering:
    return lambda row: (len(str(row[column])), str(row[column]))


_ORDERING = {
    "articles_only_in_erp": _oldest_first("changed"),
    "articles_only_in_wms": _by_number("article"),
    "orders_only_in_erp": _oldest_first("changed"),
    "orders_only_in_wms": _by_number("order"),
    "shipped_not_reported": _oldest_first("shipped"),
    "erp_shipped_not_in_wms": _oldest_first("erp_changed"),
    "stock_differences": lambda row: (-row["_size"], row["article"]),
}


def stock_articles(drift: Drift) -> list[str]:
    """The articles of the stock differences, counted or held: those the stock history is asked about."""
    return sorted({row["article"] for row in [*drift.rows.get("stock_differences", ()), *drift.held]})


def with_standings(drift: Drift, standings: Mapping[str, Standing]) -> None:
    """Each stock difference (counted or held) with what the stock history says of it: since when it has
    differed (the first of the unbroken run of kept cycles in which it differed, up to the last one) and
    the last cycle's figures. A difference the last cycle did not have is new since that cycle."""
    for row in [*drift.rows.get("stock_differences", ()), *drift.held]:
        standing = standings.get(row["article"])
        if standing is None:
            row["differs_since"], row["last_cycle"] = "not in the stock history", None
            continue
        row["differs_since"] = standing.differs_since or "new since the last cycle"
        row["last_cycle"] = (f"WMS {standing.last_wms or '(none)'}, ERP {standing.last_erp or '(none)'} "
                             f"({standing.last_status.replace('_', ' ')}) at {moment(standing.last_taken_at)}")


def public_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without the sort keys kept for ordering."""
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]
