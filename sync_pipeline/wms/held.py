"""Whether the warehouse holds a record as the ERP says: what was read from it, compared with what would be sent.

The writes skip a record only when the target holds it (sync/writer.py): the ledger remembers what
was sent, but a warehouse that lost or changed records must be healed by the next full read. The
warehouse shows an article's definition as an ArticleClass (in GetInventoryByQuery) and an order
with its lines (GetOrdersByQuery): the elements both show are compared; the ones it does not show
(an order's addresses, an extra field written to an element ArticleClass lacks) only the ledger's
memory of the last write can vouch for.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from sync_pipeline.wms.models import InventoryLine, WmsOrder


class Holding(Enum):
    ABSENT = "absent"  # the target has no such record
    DIFFERS = "differs"  # it has the record, with another value in an element it shows
    SAME_SHOWN = "same_shown"  # equal in every element it shows; the payload has elements it does not show
    SAME = "same"  # equal in every element of the payload
    UNREAD = "unread"  # the target was not read for this record: the ledger's memory decides

    @property
    def needs_write(self) -> bool:
        return self in (Holding.ABSENT, Holding.DIFFERS)


# ArticleDefinition element (what ProcessArticle sends) -> the InventoryLine field showing it (ArticleClass)
ARTICLE_SHOWN = {
    "ArticleNumber": "ArticleNumber", "ProductCode": "ProductCode", "ArticleName": "ArticleName",
    "ArticleDescription": "Description", "BarCode": "BarCode", "Weight": "Weight",
}
SUPPLIER_SHOWN = {"SupplierNumber": "MainSupplierNumber", "SupplierName": "MainSupplierName"}


def article_holding(article: Mapping[str, Any], held: InventoryLine | None) -> Holding:
    """How the warehouse holds this ArticleDefinition payload (with its MainSupplier, if any)."""
    if held is None:
        return Holding.ABSENT
    own = {element: value for element, value in article.items() if element != "MainSupplier"}
    supplier = article.get("MainSupplier")
    matches = [_compare(own, held, ARTICLE_SHOWN)]
    if isinstance(supplier, Mapping):
        matches.append(_compare(supplier, held, SUPPLIER_SHOWN))
    return _together(matches)


def supplier_holding(supplier: Mapping[str, Any], carriers: list[InventoryLine]) -> Holding:
    """How the warehouse holds a supplier: as the main supplier of the articles that carry it."""
    if not carriers:
        return Holding.ABSENT
    return _together([_compare(supplier, line, SUPPLIER_SHOWN) for line in carriers])


def order_holding(order: Mapping[str, Any], held: WmsOrder | None) -> Holding:
    """How the warehouse holds this order payload: its lines (article, quantity) are what it shows of it."""
    if held is None:
        return Holding.ABSENT
    sent = {line.get("ExternalOrderLineCode"): (line.get("ProductCode"), line.get("NumberOfItems"))
            for line in order.get("CustomerOrderLines") or ()}
    shown = {line.ExternalOrderLineCode: (line.ProductCode, line.OrderedNumberOfItems) for line in held.Lines}
    if sent.keys() != shown.keys():
        return Holding.DIFFERS
    for code, (product, quantity) in sent.items():
        held_product, held_quantity = shown[code]
        if not same_value(product, held_product) or not same_value(quantity, held_quantity):
            return Holding.DIFFERS
    return Holding.SAME_SHOWN  # addresses, dates and the rest are not in the read


def _compare(payload: Mapping[str, Any], held: InventoryLine, shown: Mapping[str, str]) -> Holding:
    unshown = False
    for element, value in payload.items():
        if element in shown:
            if not same_value(value, getattr(held, shown[element])):
                return Holding.DIFFERS
        elif value is not None:
            unshown = True
    return Holding.SAME_SHOWN if unshown else Holding.SAME


def _together(matches: list[Holding]) -> Holding:
    """One holding for several comparisons of the same record: any difference differs."""
    for outcome in (Holding.DIFFERS, Holding.SAME_SHOWN):
        if outcome in matches:
            return outcome
    return Holding.SAME


def same_value(sent: Any, shown: Any) -> bool:
    """Equal as the warehouse keeps them: no value and an empty text alike, numbers by value."""
    if _blank(sent) or _blank(shown):
        return _blank(sent) and _blank(shown)
    if isinstance(sent, (Decimal, int, float)) or isinstance(shown, (Decimal, int, float)):
        try:
            return Decimal(str(sent)) == Decimal(str(shown))
        except InvalidOperation:
            return False
    return str(sent) == str(shown)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")
