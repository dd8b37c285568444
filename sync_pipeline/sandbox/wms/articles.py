"""The article register: ProcessArticle (ArticleOperation CreateOrUpdate).

An article is found by ArticleIdentification: ArticleNumber, ProductCode or SystemId (ArticleSystemId).
Found: the fields sent overwrite the stored ones, fields not sent are kept (a different ArticleNumber
renames it, stock included). Not found: created with a new ArticleSystemId (not possible by SystemId),
starting from the details the warehouse holds for that article number, if any (demo data: units,
customs data, group, colour, size, location), which the fields sent overwrite. Every element of
ArticleDefinition is kept under its own name (nested ones as sent); GetInventoryByQuery shows them
where ArticleClass has them (see article_class.py).

Refused (Success=false, never a fault): no ArticleNumber; ArticleName longer than MAX_NAME_LENGTH;
a negative weight or dimension; an ArticleNumber or ProductCode another article already has;
a MainSupplier that cannot be resolved (see suppliers.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Mapping

from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.views import View
from sync_pipeline.sandbox.wms.inventory import Inventory
from sync_pipeline.sandbox.wms.results import Refused, file_result
from sync_pipeline.sandbox.wms.suppliers import SupplierRegistry
from sync_pipeline.sandbox.wms.values import sent, text

KIND = "article"
BY_PRODUCT_CODE = "article-by-product-code"
BY_SYSTEM_ID = "article-by-system-id"
DETAILS = "article-details"  # by article number: what the warehouse holds for an article not created yet

# Invented: Ongoing does not publish its column widths; 100 is plausible and shorter than the ERP's
# 125-character product name, so long ERP names show up as refused records in the sandbox.
MAX_NAME_LENGTH = 100

# How a request finds the article and what it asks for, not data; the main supplier is kept by its number.
INSTRUCTIONS = ("ArticleOperation", "ArticleIdentification", "ArticleSystemId", "MainSupplier")
NOT_NEGATIVE = ("Weight", "NetWeight", "Volume", "Length", "Width", "Height")


class ArticleRegistry:
    def __init__(self, store: Store, suppliers: SupplierRegistry, inventory: Inventory,
                 now: Callable[[], datetime]):
        self._store = store
        self._suppliers = suppliers
        self._inventory = inventory
        self._now = now

    # -- lookups ---------------------------------------------------------------------------------

    def get(self, article_number: str) -> dict[str, Any] | None:
        return self._store.get(KIND, article_number)

    def by_product_code(self, product_code: str) -> dict[str, Any] | None:
        index = self._store.get(BY_PRODUCT_CODE, product_code)
        return self.get(index["ArticleNumber"]) if index else None

    def by_system_id(self, system_id: int) -> dict[str, Any] | None:
        index = self._store.get(BY_SYSTEM_ID, system_id)
        return self.get(index["ArticleNumber"]) if index else None

    def all(self) -> list[dict[str, Any]]:
        return list(self._store.all(KIND))

    def view(self) -> View:
        """The articles as they are now, read-only (see sandbox.views)."""
        return self._store.view(KIND)

    def hold_details(self, article_number: str, details: Mapping[str, Any]) -> None:
        """What the warehouse holds for an article number (ArticleDefinition names), applied when it is created."""
        self._store.put(DETAILS, article_number, dict(details))

    # -- ProcessArticle --------------------------------------------------------------------------

    def process(self, art: Mapping[str, Any] | None) -> dict[str, Any]:
        """Create or update one article; raises Refused for a record the warehouse does not accept."""
        if not art:
            raise Refused("The article definition (art) is missing")
        existing = self._identify(art)
        number = text(art.get("ArticleNumber")) or (existing or {}).get("ArticleNumber", "")
        if not number:
            raise Refused("ArticleNumber is missing")
        _validate(art)
        owner = self.get(number)
        if owner is not None and (existing is None or owner["SystemId"] != existing["SystemId"]):
            raise Refused(f"ArticleNumber {number} is already used by the article with ArticleSystemId "
                          f"{owner['SystemId']}")
        code = text(art.get("ProductCode"))
        code_owner = self.by_product_code(code) if code else None
        if code_owner is not None and (existing is None or code_owner["SystemId"] != existing["SystemId"]):
            raise Refused(f"ProductCode {code} is already used by article {code_owner['ArticleNumber']}")
        supplier = self._suppliers.resolve(art["MainSupplier"]) if art.get("MainSupplier") else None
        with self._store.lock:
            article = self._save(existing, number, art, supplier)
        verb = "updated" if existing else "created"
        return file_result(f"Article {number} {verb}", article_def_id=article["SystemId"])

    def _identify(self, art: Mapping[str, Any]) -> dict[str, Any] | None:
        identification = art.get("ArticleIdentification") or "ArticleNumber"
        if identification == "ArticleNumber":
            number = text(art.get("ArticleNumber"))
            return self.get(number) if number else None
        if identification == "ProductCode":
            code = text(art.get("ProductCode"))
            if not code:
                raise Refused("ProductCode is missing (ArticleIdentification ProductCode)")
            return self.by_product_code(code)
        if identification == "SystemId":
            system_id = art.get("ArticleSystemId")
            found = self.by_system_id(system_id) if system_id is not None else None
            if found is None:
                raise Refused(f"No article with ArticleSystemId {system_id} (ArticleIdentification SystemId)")
            return found
        raise Refused(f"ArticleIdentification {identification} is not supported by the sandbox")

    def _save(self, existing: dict[str, Any] | None, number: str, art: Mapping[str, Any],
              supplier: dict[str, Any] | None) -> dict[str, Any]:
        now = self._now()
        if existing:
            article = dict(existing)
        else:
            article = {**(self._store.get(DETAILS, number) or {}),
                       "SystemId": self._store.next_id("article-system-id"), "Created": now}
        old_number, old_code = article.get("ArticleNumber"), article.get("ProductCode")
        article.update(sent(art, INSTRUCTIONS))
        article["ArticleNumber"] = number
        article["ProcessArticleTime"] = now
        if supplier is not None:
            self._suppliers.save(supplier)
            article["MainSupplierNumber"] = supplier["SupplierNumber"]
        if old_number and old_number != number:
            self._store.delete(KIND, old_number)
            self._inventory.rename(old_number, number)
        if old_code and old_code != article.get("ProductCode"):
            self._store.delete(BY_PRODUCT_CODE, old_code)
        self._store.put(KIND, number, article)
        self._store.put(BY_SYSTEM_ID, article["SystemId"], {"ArticleNumber": number})
        if article.get("ProductCode"):
            self._store.put(BY_PRODUCT_CODE, article["ProductCode"], {"ArticleNumber": number})
        if existing is None:
            self._inventory.touch(number)
        return self._store.get(KIND, number)


def _validate(art: Mapping[str, Any]) -> None:
    name = art.get("ArticleName")
    if name is not None and len(name) > MAX_NAME_LENGTH:
        raise Refused(f"ArticleName is {len(name)} characters long; at most {MAX_NAME_LENGTH} are allowed")
    for field in NOT_NEGATIVE:
        if art.get(field) is not None and art[field] < 0:
            raise Refused(f"{field} must not be negative (got {art[field]})")
