"""Stock per article number: physical items, the items orders hold, and when the stock last changed.

StockInfoChanged (the sandbox's clock) moves on every change of an article's stock: admin stock posts,
picks shipped, returns and receipts coming in, bookings, items to receive, and the article appearing;
GetInventoryByQuery's StockInfoChangedFrom selects by it (inventory_query.py).

Stock may be set (admin route, demo data) before the article exists; it shows in GetInventoryByQuery
once the article does. Orders hold items by status (HOLDS): booked from Open, allocated
from Allocated, picked (to be collected) from Picked, all until Sent; sellable = physical - booked and
may be negative. LastInDate is the last time physical stock grew; items to receive (expected on
purchase orders, which the sandbox does not model) come from the demo data.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Callable, Mapping

from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.views import View
from sync_pipeline.sandbox.wms import statuses

KIND = "stock"
ZERO = Decimal(0)
MAX_DELTA_AGE = timedelta(hours=24)
BOOKED, ALLOCATED, PICKED = "NumberOfBookedItems", "NumberOfAllocatedItems", "NumberOfPickedItems"
TO_RECEIVE = "ToReceiveNumberOfItems"
# Stock field -> the order status from which an order holds its items there, until it is Sent.
HOLDS = {BOOKED: statuses.OPEN, ALLOCATED: statuses.ALLOCATED, PICKED: statuses.PICKED}


def held_in(status: int) -> tuple[str, ...]:
    """The stock fields in which an order at `status` holds its items."""
    return tuple(field for field, start in HOLDS.items() if start <= status < statuses.SENT)


class Inventory:
    def __init__(self, store: Store, now: Callable[[], datetime]):
        self._store = store
        self._now = now

    def get(self, article_number: str) -> dict[str, Any] | None:
        return self._store.get(KIND, article_number)

    def all(self) -> list[dict[str, Any]]:
        return list(self._store.all(KIND))

    def view(self) -> View:
        """The stock, by article number as they are now, read-only (see sandbox.views)."""
        return self._store.view(KIND)

    def _current(self, article_number: str) -> dict[str, Any]:
        return self.get(article_number) or {"ArticleNumber": article_number, "NumberOfItems": ZERO,
                                            "NumberOfBookedItems": ZERO}

    def _save(self, stock: dict[str, Any]) -> dict[str, Any]:
        stock["StockInfoChanged"] = self._now()
        self._store.put(KIND, stock["ArticleNumber"], stock)
        return self._store.get(KIND, stock["ArticleNumber"])  # as stored: decimals and times as strings

    def set_physical(self, article_number: str, quantity: Decimal) -> dict[str, Any]:
        with self._store.lock:
            stock = self._current(article_number)
            if quantity > physical_of(stock):
                stock["LastInDate"] = self._now()
            stock["NumberOfItems"] = quantity
            return self._save(stock)

    def expect(self, article_number: str, quantity: Decimal) -> None:
        """Items the warehouse expects to receive for this article."""
        with self._store.lock:
            stock = self._current(article_number)
            stock[TO_RECEIVE] = quantity
            self._save(stock)

    def hold(self, article_number: str, deltas: dict[str, Decimal]) -> None:
        """Hold more (positive) or fewer (negative) items for orders, by stock field (BOOKED, ALLOCATED, PICKED)."""
        with self._store.lock:
            stock = self._current(article_number)
            for field, delta in deltas.items():
                stock[field] = quantity_of(stock, field) + delta
            self._save(stock)

    def withdraw(self, article_number: str, quantity: Decimal) -> None:
        """Shipped items leave physical stock, which never goes below zero (no shortages modelled)."""
        with self._store.lock:
            stock = self._current(article_number)
            left = max(physical_of(stock) - quantity, ZERO)
            stock["NumberOfItems"] = left
            self._save(stock)

    def touch(self, article_number: str) -> None:
        """Mark the stock information as changed (a new article appears in delta reads)."""
        with self._store.lock:
            self._save(self._current(article_number))

    def rename(self, old_number: str, new_number: str) -> None:
        with self._store.lock:
            stock = self._current(old_number)
            self._store.delete(KIND, old_number)
            stock["ArticleNumber"] = new_number
            self._save(stock)


def physical_of(stock: dict[str, Any] | None) -> Decimal:
    return Decimal(str(stock["NumberOfItems"])) if stock else ZERO


def quantity_of(stock: Mapping[str, Any] | None, field: str) -> Decimal:
    return Decimal(str(stock.get(field) or 0)) if stock else ZERO


def booked_of(stock: Mapping[str, Any] | None) -> Decimal:
    return quantity_of(stock, BOOKED)


def sellable_of(stock: dict[str, Any] | None) -> Decimal:
    return physical_of(stock) - booked_of(stock)
