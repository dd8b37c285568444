"""Stock per article number: physical items, booked items, and when either last changed.

Stock may be set (admin route, demo data) before the article exists; it shows in GetInventoryByQuery
once the article does. Booked items are the open orders' quantities (see statuses.books_stock);
sellable = physical - booked and may be negative.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Callable

from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.views import View

KIND = "stock"
ZERO = Decimal(0)
MAX_DELTA_AGE = timedelta(hours=24)


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
            stock["NumberOfItems"] = quantity
            return self._save(stock)

    def book(self, article_number: str, delta: Decimal) -> None:
        """Book (positive delta) or release (negative) items for open orders."""
        with self._store.lock:
            stock = self._current(article_number)
            stock["NumberOfBookedItems"] = booked_of(stock) + delta
            self._save(stock)

    def withdraw(self, article_number: str, quantity: Decimal) -> None:
        """Shipped items leave physical stock, which never goes below zero (no shortages modelled)."""
        with self._store.lock:
            stock = self._current(article_number)
            stock["NumberOfItems"] = max(physical_of(stock) - quantity, ZERO)
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


def booked_of(stock: dict[str, Any] | None) -> Decimal:
    return Decimal(str(stock.get("NumberOfBookedItems") or 0)) if stock else ZERO


def sellable_of(stock: dict[str, Any] | None) -> Decimal:
    return physical_of(stock) - booked_of(stock)
