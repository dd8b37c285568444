"""ProductService: GetProducts and SetStockQuantity."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from sync_pipeline.sandbox.erp.errors import InvalidRecord
from sync_pipeline.sandbox.erp.records import NOT_SET_DECIMAL, NOT_SET_INT, Document, changed_since
from sync_pipeline.sandbox.erp.repository import Repository
from sync_pipeline.sandbox.erp.shapes import PRODUCT_WSDL, shape_of
from sync_pipeline.sandbox.soap import RequestContext
from sync_pipeline.sandbox.values import items
from sync_pipeline.sandbox.views import Frozen

# Field lengths the real service enforces.
MAX_LENGTHS = {"Name": 125, "Description": 500, "EAN1": 50, "No": 100}


class Products(Repository):
    kind = "product"
    key = "Id"
    shape = shape_of(PRODUCT_WSDL, "Product")

    def check(self, record: Document) -> None:
        for name, limit in MAX_LENGTHS.items():
            value = record.get(name)
            if value is not None and len(value) > limit:
                raise InvalidRecord(name, f"{len(value)} characters, the service allows at most {limit}")

    def handlers(self) -> dict:
        return {"GetProducts": self.get_products, "SetStockQuantity": self.set_stock_quantity}

    def get_products(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        reply = self.answer_search(values, context, "GetProductsResult")
        # The call log tells reads by id (a re-drive, the stock write guard) from searches (PF11 counts them).
        context.detail = "by id" if items((values.get("searchParams") or {}).get("ProductIds"), "int") else "search"
        return reply

    def search(self, params: dict[str, Any]) -> Sequence[Frozen]:
        """Products matching every search parameter that is set; strings must match exactly except Name."""
        found = self.current()
        if _given(params.get("Id")):
            found = [p for p in found if p["Id"] == params["Id"]]
        if _given(params.get("CategoryId")):
            found = [p for p in found if p.get("CategoryId") == params["CategoryId"]]
        for name in ("No", "EAN1"):
            if params.get(name):
                found = [p for p in found if p.get(name) == params[name]]
        if params.get("Name"):
            needle = params["Name"].casefold()
            found = [p for p in found if needle in p.get("Name", "").casefold()]
        if _given(params.get("Price")):
            found = [p for p in found if "Price" in p and Decimal(p["Price"]) == params["Price"]]
        found = changed_since(found, params.get("DateChanged"))
        ids = items(params.get("ProductIds"), "int")
        if ids:
            id_set = set(ids)
            found = [p for p in found if p["Id"] in id_set]
        return found

    def set_stock_quantity(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        self.sessions.require(context)
        product_id, quantity = values.get("productId"), values.get("stockQuantity")
        context.record_key = str(product_id)
        with self.store.lock:
            if quantity is None or quantity == NOT_SET_DECIMAL or self.get(product_id) is None:
                return {"SetStockQuantityResult": False}
            self.upsert([{"Id": product_id, "Stock": format(quantity, "f")}])
        return {"SetStockQuantityResult": True}


def _given(value: Any) -> bool:
    return value is not None and value not in (NOT_SET_INT, NOT_SET_DECIMAL)
