"""GetInventoryChanges and SetInventoryChangesToReported: the goods owner's stock changes until reported.

Every change of an article's physical stock (the admin stock route, shipped picks, returns coming
in) is kept as one inventory transaction with its own InventoryId, until the client marks it
reported (one call per article and transaction, as the real service takes them). GetInventoryChanges
with UnReported gives the unreported ones grouped by article (InventoryChangeLine), for the articles
that exist. The real service gives only stock-taking transactions here (its documentation says so);
the sandbox gives every physical change, the feed the pipeline's delta stock cycle needs (see
docs/operations.md for why the feed is off by default).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Mapping

from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.views import Frozen
from sync_pipeline.sandbox.wms.article_class import article_class
from sync_pipeline.sandbox.wms.values import to_datetime

KIND = "inventory_change"
WAREHOUSE_ID = 1


class InventoryChanges:
    def __init__(self, store: Store, now: Callable[[], datetime]):
        self._store = store
        self._now = now

    def record(self, article_number: str, delta: Decimal) -> None:
        """Keep one stock transaction of `delta` items (callers hold the store's lock)."""
        if delta == 0:
            return
        inventory_id = self._store.next_id(KIND)
        self._store.put(KIND, inventory_id, {"InventoryId": inventory_id, "ArticleNumber": article_number,
                                              "NumberOfItems": delta, "InventoryTime": self._now()})

    def report_all(self) -> None:
        """Every change reported (seeding: a feed as a first full comparison leaves it)."""
        with self._store.lock:
            for change in list(self._store.all(KIND)):
                self._store.delete(KIND, change["InventoryId"])

    def rename(self, old_number: str, new_number: str) -> None:
        for change in list(self._store.all(KIND)):
            if change["ArticleNumber"] == old_number:
                self._store.put(KIND, change["InventoryId"], {**change, "ArticleNumber": new_number})

    def unreported(self, articles_by_number: Mapping[str, Frozen],
                   suppliers: Mapping[str, Frozen]) -> list[dict[str, Any]]:
        """InventoryChangeLines of the unreported changes of existing articles, by ascending SystemId."""
        by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for change in self._store.all(KIND):
            if change["ArticleNumber"] in articles_by_number:
                by_article[change["ArticleNumber"]].append(change)
        lines = []
        for number, changes in by_article.items():
            article = articles_by_number[number]
            transactions = [_transaction(change) for change in changes]
            lines.append({"Article": article_class(article, suppliers.get(article.get("MainSupplierNumber", ""))),
                          "InventoryChangesNumberOfItems": sum((t["InventoryChangesNumberOfItems"]
                                                                for t in transactions), Decimal(0)),
                          "InventoryTransactions": {"InventoryTransaction": transactions}})
        return sorted(lines, key=lambda line: line["Article"]["SystemId"])

    def set_reported(self, article_system_id: Any, inventory_id: Any,
                     articles_by_id: Mapping[Any, Frozen]) -> dict[str, Any]:
        """A SetInventoryChangesToReportedResult: the transaction of that article is reported (gone from the feed)."""
        article = articles_by_id.get(article_system_id)
        change = self._store.get(KIND, inventory_id) if inventory_id is not None else None
        if article is None:
            return _refused("ArticleNotFound", f"There is no article with ArticleSystemId {article_system_id}.")
        if change is None or change["ArticleNumber"] != article["ArticleNumber"]:
            return _refused("InventoryNotFound",
                            f"There is no unreported inventory {inventory_id} for article {article_system_id}.")
        self._store.delete(KIND, inventory_id)
        return {"Success": True}


def _transaction(change: Mapping[str, Any]) -> dict[str, Any]:
    return {"InventoryChangesNumberOfItems": Decimal(str(change["NumberOfItems"])),
            "InventoryTime": to_datetime(change["InventoryTime"]), "InventoryId": change["InventoryId"],
            "LocationIsLocked": False, "ExpiryDate": None, "ByInventoryCountTask": False,
            "WarehouseId": WAREHOUSE_ID, "LocationIsLockedForSale": False}


def _refused(error_type: str, message: str) -> dict[str, Any]:
    return {"Success": False, "Errors": {"SetInventoryChangesToReportedResultError": [
        {"ErrorType": error_type, "Message": message}]}}
