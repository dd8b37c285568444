"""Field mapping between 24SevenOffice records and Ongoing WMS objects: pure functions, no I/O.

The tables (fieldmaps.py) are the seed's field maps as data; map_article / map_order / map_supplier
apply them to one record each and return the WMS business fields as a dict, or a RecordError naming
the record and the ERP field that stops it. Extra rows come from configuration (ExtraField).
"""

from .article import PRODUCT_LIMITS, article_key, map_article
from .extra import ExtraField, extend_map
from .fallbacks import EMAIL_ORDER, MOBILE_PHONE_ORDER, TELEPHONE_ORDER
from .fieldmaps import MAPS, FieldMap, FieldRow, render_markdown
from .order import invoice_rows, map_order, needs_company, order_key
from .paths import get_path
from .supplier import map_supplier, supplier_key

__all__ = [
    "EMAIL_ORDER",
    "MAPS",
    "MOBILE_PHONE_ORDER",
    "PRODUCT_LIMITS",
    "TELEPHONE_ORDER",
    "ExtraField",
    "FieldMap",
    "FieldRow",
    "article_key",
    "extend_map",
    "get_path",
    "invoice_rows",
    "map_article",
    "map_order",
    "map_supplier",
    "needs_company",
    "order_key",
    "render_markdown",
    "supplier_key",
]
