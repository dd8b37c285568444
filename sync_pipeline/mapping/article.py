"""ERP Product -> WMS ArticleDefinition business fields (the seed's article registry table)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..soap.errors import RecordError
from .engine import FieldProblem, apply_map
from .extra import ExtraField, extend_map
from .fallbacks import MappingContext
from .fieldmaps import ARTICLE
from .paths import get_path
from .values import Refused, is_not_set, key

# 24SevenOffice's own length limits for product fields. The WMS may allow less; it then refuses
# the article with a message, which ends up in that record's error.
PRODUCT_LIMITS = {"No": 100, "Name": 125, "Description": 500, "EAN1": 50}


def article_key(product: Any) -> str:
    """How errors and logs name a product: its article number, else its ERP id."""
    number = get_path(product, "No")
    try:
        clean = key(number) if isinstance(number, str) else None
    except Refused:
        clean = None
    if clean:
        return clean
    product_id = get_path(product, "Id")
    return "Product (no Id)" if is_not_set(product_id) else f"Product Id {product_id}"


def map_article(product: Any, extra: Iterable[ExtraField] = ()) -> dict[str, Any] | RecordError:
    """The ArticleDefinition fields for one product, or why it cannot be sent.

    The WMS client adds ArticleOperation/ArticleIdentification and the other required elements;
    a MainSupplier (from map_supplier) may be added by the caller.
    """
    record = article_key(product)
    for field, limit in PRODUCT_LIMITS.items():
        value = get_path(product, field)
        if isinstance(value, str) and len(value) > limit:
            return RecordError(
                record, f"Product ⇒ {field} has {len(value)} characters; 24SevenOffice allows at most {limit}", field
            )
    try:
        return apply_map(extend_map(ARTICLE, extra), product, MappingContext())
    except FieldProblem as problem:
        return RecordError(record, problem.message, problem.field)
