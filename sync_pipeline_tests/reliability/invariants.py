"""What must hold after any amount of faults, crashes and restarts, read from the systems themselves.

- every confirmed ERP order (Confirmed, or Sent once shipped) exists in the WMS, created exactly once
  (the WMS call log: ProcessOrder calls that created an order, counting those whose reply was lost
  after the work was done), with the ERP order's lines and quantities; no order in another ERP status;
- every order the warehouse shipped is OrderState_Sent in the ERP, set by exactly one applied
  SaveInvoices; no other order was touched by SaveInvoices;
- every ERP product is a WMS article with the product's current name, and its ERP stock equals the
  WMS physical stock of that article;
- the ledger has nothing failing, dead-lettered or claimed, and each order at its final stage.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sync_pipeline.ledger import Kind, Ledger, State
from sync_pipeline_tests.reliability.sandboxes import APPLIED, SHIPPED, Sandboxes

PUSHED_STATUSES = ("Confirmed", "OrderState_Sent")
SENT = "OrderState_Sent"


@dataclass
class Findings:
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def summary(self, limit: int = 25) -> str:
        shown = self.problems[:limit]
        more = len(self.problems) - len(shown)
        return "\n".join(shown + ([f"... and {more} more"] if more else []))


def check(sandboxes: Sandboxes, ledger: Ledger | None = None) -> Findings:
    findings = Findings()
    erp_state = sandboxes.admin("erp", "GET", "state")
    wms_state = sandboxes.admin("wms", "GET", "state")
    erp_orders = {o["OrderId"]: o for o in erp_state["orders"]}
    wms_orders = {o["GoodsOwnerOrderNumber"]: o for o in wms_state["orders"]}
    wms_log, erp_log = sandboxes.calls("wms"), sandboxes.calls("erp")
    lost, duplicated, left_out = _orders(findings, erp_orders, wms_orders, wms_log)
    unreported, reported_twice = _shipments(findings, erp_orders, wms_orders, erp_log)
    stock_off = _stock(findings, erp_state["products"], wms_state["stock"])
    _articles(findings, erp_state["products"], wms_state["articles"])
    if ledger is not None:
        _ledger(findings, ledger, erp_orders, wms_orders)
    shipped = sum(1 for o in wms_orders.values() if o["OrderStatusNumber"] >= SHIPPED)
    findings.figures.update({
        "orders": sum(1 for o in erp_orders.values() if o["OrderStatus"] in PUSHED_STATUSES),
        "orders_in_wms": len(wms_orders), "left_out": left_out, "shipped": shipped, "lost": lost + unreported,
        "duplicated": duplicated + reported_twice, "stock_differences": stock_off,
    })
    return findings


def _orders(findings: Findings, erp_orders: dict, wms_orders: dict, wms_log: list[dict]) -> tuple[int, int, int]:
    """Lost and duplicated orders, and how many orders in other ERP statuses were rightly left out."""
    created = Counter(e["key"] for e in wms_log
                      if e["operation"] == "ProcessOrder" and e["outcome"] in APPLIED and e["detail"] == "created")
    lost = duplicated = left_out = 0
    for order_id, order in sorted(erp_orders.items()):
        number = str(order_id)
        if order["OrderStatus"] not in PUSHED_STATUSES:
            if number in wms_orders:
                findings.problem(f"order {number}: {order['OrderStatus']} in the ERP, yet in the WMS")
            else:
                left_out += 1
            continue
        wms_order = wms_orders.get(number)
        if wms_order is None:
            lost += 1
            findings.problem(f"order {number}: confirmed in the ERP, missing in the WMS (lost)")
            continue
        if created[number] != 1:
            duplicated += created[number] > 1
            findings.problem(f"order {number}: created {created[number]} times in the WMS (ProcessOrder call log)")
        if order["OrderStatus"] == "Confirmed" and _lines(order) != _wms_lines(wms_order):
            findings.problem(f"order {number}: WMS lines {_wms_lines(wms_order)} != ERP rows {_lines(order)}")
    return lost, duplicated, left_out


def _shipments(findings: Findings, erp_orders: dict, wms_orders: dict, erp_log: list[dict]) -> tuple[int, int]:
    applied = Counter(key for e in erp_log if e["operation"] == "SaveInvoices" and e["outcome"] in APPLIED
                      for key in (e["key"] or "").split(","))  # one SaveInvoices may save several orders
    unreported = twice = 0
    for number, wms_order in sorted(wms_orders.items()):
        order = erp_orders.get(int(number))
        if order is None:
            findings.problem(f"WMS order {number}: no such ERP order")
            continue
        saves = applied.pop(number, 0)
        if wms_order["OrderStatusNumber"] >= SHIPPED:
            if order["OrderStatus"] != SENT:
                unreported += 1
                findings.problem(f"order {number}: shipped in the WMS, {order['OrderStatus']} in the ERP")
            if saves != 1:
                twice += saves > 1
                findings.problem(f"order {number}: shipped, status written {saves} times (SaveInvoices call log)")
        elif order["OrderStatus"] == SENT or saves:
            findings.problem(f"order {number}: not shipped, yet {order['OrderStatus']} after {saves} SaveInvoices")
    for key, count in applied.items():
        findings.problem(f"SaveInvoices applied {count} times to {key}, which the warehouse did not ship")
    return unreported, twice


def _articles(findings: Findings, products: list[dict], articles: list[dict]) -> None:
    by_number = {a["ArticleNumber"]: a for a in articles}
    for product in products:
        article = by_number.get(product["No"])
        if article is None:
            findings.problem(f"product {product['Id']} ({product['No']}): no article in the WMS")
        elif article.get("ArticleName") != product.get("Name"):
            findings.problem(f"product {product['Id']} ({product['No']}): WMS name {article.get('ArticleName')!r}, "
                             f"ERP name {product.get('Name')!r}")


def _stock(findings: Findings, products: list[dict], stock: list[dict]) -> int:
    physical = {s["ArticleNumber"]: Decimal(s["NumberOfItems"]) for s in stock}
    differing = 0
    for product in products:
        erp = Decimal(product["Stock"]) if product.get("Stock") is not None else None
        wms = physical.get(product["No"])
        if erp != wms:
            differing += 1
            findings.problem(f"product {product['Id']} ({product['No']}): ERP stock {erp}, WMS physical {wms}")
    return differing


def _ledger(findings: Findings, ledger: Ledger, erp_orders: dict, wms_orders: dict) -> None:
    for entry in ledger.dead_letters():
        findings.problem(f"ledger: {entry.kind} {entry.key} dead-lettered: {entry.last_error}")
    holders = ledger.claim_holders()
    if holders:
        findings.problem(f"ledger: claims still held by {holders}")
    counts = ledger.counts()
    failing = {kind: figures["failing"] for kind, figures in counts.items() if figures["failing"]}
    if failing:
        findings.problem(f"ledger: records still failing: {failing}")
    expected = {str(order_id): State.REPORTED if order["OrderStatus"] == SENT else State.SENT
                for order_id, order in erp_orders.items() if order["OrderStatus"] in PUSHED_STATUSES}
    entries = ledger.entries(Kind.ORDER, list(expected))
    for key, state in sorted(expected.items()):
        entry = entries.get(key)
        if entry is None or entry.state is not state:
            findings.problem(f"ledger: order {key} is {entry.state if entry else 'absent'}, expected {state}")
    findings.figures["ledger"] = counts


def _lines(order: dict) -> list[tuple[str, Decimal]]:
    return sorted((row["ProductNo"], Decimal(row["Quantity"])) for row in order.get("InvoiceRows") or [])


def _wms_lines(order: dict) -> list[tuple[str, Decimal]]:
    return sorted((line["ArticleNumber"], Decimal(str(line["NumberOfItems"]))) for line in order["Lines"])
