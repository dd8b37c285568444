"""ERP Company (type Supplier) -> WMS Supplier business fields (the seed's supplier registry table).

There is no ProcessSupplier in Ongoing WMS: the result travels as ArticleDefinition.MainSupplier
(or InOrder.InOrderSupplier); the WMS client adds SupplierOperation/SupplierIdentificationType and
the required flags of Address.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..soap.errors import RecordError
from .engine import FieldProblem, apply_map
from .extra import ExtraField, extend_map
from .fallbacks import MappingContext
from .fieldmaps import SUPPLIER
from .paths import get_path
from .values import is_not_set


def supplier_key(company: Any) -> str:
    """How errors and logs name a supplier: its company id (the WMS SupplierNumber)."""
    company_id = get_path(company, "Id")
    return "Company (no Id)" if is_not_set(company_id) else str(company_id)


def map_supplier(company: Any, extra: Iterable[ExtraField] = ()) -> dict[str, Any] | RecordError:
    """The Supplier fields for one company, or why it cannot be sent."""
    try:
        return apply_map(extend_map(SUPPLIER, extra), company, MappingContext())
    except FieldProblem as problem:
        return RecordError(supplier_key(company), problem.message, problem.field)
