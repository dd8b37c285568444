"""CompanyService: GetCompanies (customers, whose phone and e-mail orders fall back on, and suppliers)."""

from __future__ import annotations

from typing import Any, Sequence

from sync_pipeline.sandbox.erp.records import NOT_SET_INT, Document, changed_since
from sync_pipeline.sandbox.erp.repository import Repository
from sync_pipeline.sandbox.erp.shapes import COMPANY_WSDL, shape_of
from sync_pipeline.sandbox.soap import RequestContext
from sync_pipeline.sandbox.values import items
from sync_pipeline.sandbox.views import Frozen


class Companies(Repository):
    kind = "company"
    key = "Id"
    shape = shape_of(COMPANY_WSDL, "Company")

    def handlers(self) -> dict:
        return {"GetCompanies": self.get_companies}

    def get_companies(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        return self.answer_search(values, context, "GetCompaniesResult")

    def search(self, params: dict[str, Any]) -> Sequence[Frozen]:
        """Companies matching every parameter that is set (there is no filter on Type, as in the real one)."""
        found = self.current()
        if params.get("ExternalId") or params.get("OrganizationNumber"):
            return []  # sandbox companies carry neither
        if params.get("CompanyId") not in (None, NOT_SET_INT):
            found = [c for c in found if c["Id"] == params["CompanyId"]]
        ids = set(items(params.get("CompanyIds"), "int"))
        if ids:
            found = [c for c in found if c["Id"] in ids]
        if params.get("CompanyName"):
            needle = params["CompanyName"].casefold()
            found = [c for c in found if needle in c.get("Name", "").casefold()]
        if params.get("CompanyEmail"):
            email = params["CompanyEmail"].casefold()
            found = [c for c in found if email in _values(c, "EmailAddresses", str.casefold)]
        if params.get("CompanyPhone"):
            phone = _digits(params["CompanyPhone"])
            found = [c for c in found if phone in _values(c, "PhoneNumbers", _digits)]
        return changed_since(found, params.get("ChangedAfter"))


def _values(company: Document, group: str, normalise) -> set[str]:
    return {normalise(entry["Value"]) for entry in (company.get(group) or {}).values() if entry.get("Value")}


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")
