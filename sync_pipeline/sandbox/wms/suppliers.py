"""The supplier registry. Ongoing has no ProcessSupplier: suppliers travel inside ArticleDefinition.MainSupplier.

SupplierOperation CreateOrUpdate creates or updates the supplier with the fields sent; Find only links
an existing supplier (refused if unknown); CreateOrFind creates a missing one and links an existing one
unchanged. Suppliers are identified by SupplierNumber or SupplierName.
"""

from __future__ import annotations

from typing import Any, Mapping

from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.views import View
from sync_pipeline.sandbox.wms.results import Refused
from sync_pipeline.sandbox.wms.values import present, text

KIND = "supplier"
ADDRESS_FIELDS = ("Name", "Address", "PostCode", "City", "IsEuCountry", "CountryCode")


class SupplierRegistry:
    def __init__(self, store: Store):
        self._store = store

    def get(self, supplier_number: str) -> dict[str, Any] | None:
        return self._store.get(KIND, supplier_number)

    def all(self) -> list[dict[str, Any]]:
        return list(self._store.all(KIND))

    def view(self) -> View:
        """The suppliers as they are now, read-only (see sandbox.views)."""
        return self._store.view(KIND)

    def _find(self, identification: str, supplier: Mapping[str, Any]) -> tuple[str, dict[str, Any] | None]:
        if identification == "SupplierNumber":
            number = text(supplier.get("SupplierNumber"))
            if not number:
                raise Refused("MainSupplier: SupplierNumber is missing")
            return number, self.get(number)
        if identification == "SupplierName":
            name = text(supplier.get("SupplierName"))
            if not name:
                raise Refused("MainSupplier: SupplierName is missing")
            found = next((s for s in self.all() if s.get("SupplierName") == name), None)
            return (found["SupplierNumber"] if found else text(supplier.get("SupplierNumber"))), found
        raise Refused(f"MainSupplier: SupplierIdentificationType {identification} is not supported by the sandbox")

    def resolve(self, supplier: Mapping[str, Any]) -> dict[str, Any]:
        """The supplier an article links to, created or updated as SupplierOperation says (not saved yet)."""
        identification = supplier.get("SupplierIdentificationType") or "SupplierNumber"
        operation = supplier.get("SupplierOperation") or "CreateOrUpdate"
        number, existing = self._find(identification, supplier)
        if operation == "Find":
            if existing is None:
                raise Refused(f"MainSupplier: supplier {number or supplier.get('SupplierName')!r} does not exist "
                              "(SupplierOperation Find does not create suppliers)")
            return existing
        if operation == "CreateOrFind" and existing is not None:
            return existing
        if operation not in ("CreateOrUpdate", "CreateOrFind"):
            raise Refused(f"MainSupplier: SupplierOperation {operation} is not supported by the sandbox")
        if not number:
            raise Refused("MainSupplier: SupplierNumber is missing")
        updated = dict(existing or {"SupplierNumber": number, "Address": {}})
        if supplier.get("SupplierName") is not None:
            updated["SupplierName"] = supplier["SupplierName"]
        address = supplier.get("Address")
        if address is not None:
            updated["Address"] = {**updated.get("Address", {}),
                                  **present({key: address.get(key) for key in ADDRESS_FIELDS})}
        return updated

    def save(self, supplier: dict[str, Any]) -> None:
        self._store.put(KIND, supplier["SupplierNumber"], supplier)
