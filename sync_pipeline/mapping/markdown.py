"""docs/field-maps.md, rendered from the tables so the documentation cannot drift from the code."""

from __future__ import annotations

from datetime import datetime

from sync_pipeline.markdown_table import table

from .article import PRODUCT_LIMITS
from .engine import erp_label, wms_label
from .extra import (
    accepted_sources,
    configurable_targets_text,
    readable_sources,
    source_structures,
)
from .fallbacks import FALLBACKS
from .fieldmaps import MAPS, FieldMap
from .values import CONVERTERS, NOT_SET_BY_XSD_TYPE
from .variants import DEFAULT_SEPARATOR, VariantRule

_CUSTOMS_EXAMPLE = (
    '[{"map": "order_line", "target": "LinePrice", "source": "Price"},\n'
    ' {"map": "article", "target": "PurchasePrice", "source": "InPrice"},\n'
    ' {"map": "article", "target": "Price", "source": "Price"}]'
)
_CUSTOMS_DATA_EXAMPLE = (
    '[{"map": "article", "target": "StatisticsNumber", "source": "ProductCode"},\n'
    ' {"map": "article", "target": "CountryOfOriginCode", "source": "StockLocation"},\n'
    ' {"map": "article", "target": "SupplierArticleNumber", "source": "SupplierProductCode"},\n'
    ' {"map": "article", "target": "CustomerPrice", "source": "CashPriceIncTax"},\n'
    ' {"map": "article", "target": "ArticleGroup.ArticleGroupCode", "source": "CategoryId"},\n'
    ' {"map": "order_line", "target": "Discount", "source": "DiscountRate"},\n'
    ' {"map": "order_line", "target": "OrderLineFreeText1", "source": "SequenceNumber"},\n'
    ' {"map": "order_info", "target": "ConsigneeOrderNumber", "source": "CustomerReferenceNo"},\n'
    ' {"map": "customer", "target": "Address2", "source": "Addresses.Delivery.Name"}]'
)


def render_field_maps() -> str:
    parts = [_INTRO]
    for fieldmap in MAPS.values():
        parts.append(_table(fieldmap))
    parts.append(_fallbacks())
    parts.append(_conversions())
    parts.append(_validation())
    parts.append(_extra_fields())
    parts.append(_variations())
    return "\n".join(parts).rstrip("\n") + "\n"


_INTRO = """# Field maps

<!-- Rendered by sync_pipeline.mapping.render_markdown() from sync_pipeline/mapping/fieldmaps.py.
     Do not edit by hand: change the tables and re-render; a test keeps this file equal to the output. -->

How the sync fills Ongoing WMS objects from 24SevenOffice records. The tables are the vendor's
("Integration between Ongoing WMS and 24SevenOffice", *Show field mapping*), kept as data in
`sync_pipeline/mapping/fieldmaps.py` and applied by `map_article`, `map_order` and `map_supplier`
(pure functions, one record each: a bad record never affects another).

- Names are the WSDL element names. The vendor's *deliveryAddress* is
  `InvoiceOrder ⇒ Addresses ⇒ Delivery`, its *invoiceAddress* is `InvoiceOrder ⇒ Addresses ⇒ Invoice`,
  its `Customer ⇒ InvoiceAddress ⇒ name` is the element `Name`.
- Empty values (missing, blank, 24SevenOffice's "not set" values) are left out of the message,
  never sent as empty elements.
- Elements that identify the object or say what to do with it (ArticleOperation,
  OrderIdentification, CustomerOperation, OrderLineIdentification, SupplierOperation, the WMS's own
  ids and notification flags, WayOfDeliveryType's operation) are filled by the WMS client
  (`sync_pipeline/wms/payloads.py`), not by these maps.
"""


def _table(fieldmap: FieldMap) -> str:
    lines = [
        f"## {fieldmap.title} (`{fieldmap.name}`)",
        "",
        f"Ongoing WMS `{fieldmap.wms_object}` (type `{fieldmap.wms_type}`) from 24SevenOffice `{fieldmap.erp_record}`.",
        "",
    ]
    rows = [[wms_label(fieldmap, row), erp_label(fieldmap, row),
             f"[{row.fallback}](#fallbacks)" if row.fallback else "–", row.converter,
             "yes" if row.required else "no"] for row in fieldmap.rows]
    rows += [[f"{fieldmap.wms_object} ⇒ {target}", f"always `{value}`", "–", "–", "–"]
             for target, value in fieldmap.constants.items()]
    lines += [table(["Ongoing WMS field", "24SevenOffice field", "If empty", "Conversion", "Required"], rows,
                    escape=False), ""]
    if fieldmap.note:
        lines += [fieldmap.note, ""]
    return "\n".join(lines)


def _fallbacks() -> str:
    lines = [
        "## Fallbacks",
        "",
        "Used when the record's own field is missing or blank. The vendor says only \"try CompanyService",
        "phonenumbers / email addresses\"; the order is ours. The company is the order's customer",
        "(`InvoiceOrder ⇒ CustomerId`); `needs_company(order)` tells whether an order needs it at all.",
        "",
        table(["Fallback", "Value"], [[f"`{f.name}`", f.description] for f in FALLBACKS.values()], escape=False),
        "",
        "Fax numbers are never used. A DeliveryDate filled in this way is today's date in UTC at the time",
        "of mapping, because Ongoing WMS requires a delivery date on every order.",
        "",
    ]
    return "\n".join(lines)


def _conversions() -> str:
    lines = ["## Conversions", "",
             table(["Name", "What is sent"], [[c.name, c.description] for c in CONVERTERS.values()], escape=False),
             "",
        "Numbers are sent as decimals, never floats. Identifiers that are numbers in 24SevenOffice",
        "(OrderId, CustomerId, RowId, ProductId, Company Id, DeliveryMethod Id) are sent as their digits",
        "where the WMS element is a string.",
        "",
    ]
    return "\n".join(lines)


def _validation() -> str:
    limits = ", ".join(f"{field} {limit}" for field, limit in PRODUCT_LIMITS.items())
    return f"""## Validation rules

A record that breaks a rule is not sent; its error names the record (article number, order id or
company id) and the 24SevenOffice field, e.g. `1001.InvoiceRows[1].Quantity: row 2 (RowId 2):
InvoiceRow ⇒ Quantity must be above zero, got 0`. Other records go on.

- Required fields (the *Required* column) must have a value: a product needs `Id` and `No`, an order
  `OrderId` and `CustomerId`, every row with a product `RowId` and `Quantity`, a supplier `Id`.
- Product text longer than 24SevenOffice's own limits is refused ({limits} characters).
  Ongoing WMS may allow less; it then refuses the article with a message, stored with the record.
- An order without rows, or with only rows without a product, is refused; so is a row with a
  quantity of zero or less, and two rows with the same `RowId` (it becomes ExternalOrderLineCode,
  which must be unique within an order).
- Identifiers (*key* conversion) with control characters (tab, newline and the like) are refused;
  in free text, control characters other than tab and newline are removed.
- Country codes are upper-cased and otherwise passed on unchanged, even when they are not two
  letters: Ongoing WMS judges them and refuses the record with a message if needed.
"""


def _extra_fields() -> str:
    lines = [
        "## Extra fields",
        "",
        "More rows can be added to any table by configuration, without code: `SYNC_EXTRA_FIELDS` is a",
        'JSON list of `{"map": ..., "target": ..., "source": ...}`, where `map` names a table above',
        "(the name in brackets), `target` an Ongoing WMS element relative to the table's WMS object and",
        "`source` an element of its 24SevenOffice record (dotted for nested ones, e.g. `Addresses.Delivery.Name`).",
        "",
        "Example, prices for customs papers (line prices and article values); the end-to-end test",
        "`sync_pipeline_tests/sync/test_extra_fields.py` reads this very example from this file:",
        "",
        "```",
        f"SYNC_EXTRA_FIELDS='{_CUSTOMS_EXAMPLE}'",
        "```",
        "",
        "Example, customs and purchasing data kept in 24SevenOffice elements the seed's tables do not use:",
        "the HS code in the product's `ProductCode`, the country of origin in its `StockLocation` (a",
        "merchant whose stock is in the Ongoing warehouse has no other use for it), the supplier's article",
        "number, the product category as the article group, the row discount and the delivery address's",
        "name as a second address line. `sync_pipeline_tests/sync/test_extra_fields_real.py` reads this",
        "example from this file and sees every value arrive in the Ongoing WMS sandbox:",
        "",
        "```",
        f"SYNC_EXTRA_FIELDS='{_CUSTOMS_DATA_EXAMPLE}'",
        "```",
        "",
        "Every entry is checked at start against the service descriptions the clients use (the vendors'",
        "records whole, `sync_pipeline/wms/wsdl/ongoing.wsdl` and `sync_pipeline/erp/wsdl/*.wsdl`), and",
        "each wrong one is reported by its position and content, saying why (the sync does not start):",
        "",
        "- **Target**: a single-value element of the table's Ongoing type, or of a structure inside it,",
        "  written dotted (`ArticleGroup.ArticleGroupCode`). Refused: an element that is not in the",
        "  description (with the nearest name), one the sync fills itself (a row of the table, the",
        "  operation and identification elements, the warehouse's own ids, structures another table or",
        "  process fills such as `InvoiceAddress` and `MainSupplier`; with `SYNC_VARIATIONS` on, the",
        "  article's `ArticleGroup` and the structures of `SYNC_VARIANT_PARTS`), an element inside a",
        "  repeated one, an enumeration, and a structure itself.",
        "- **Structures**: many of Ongoing's structures look an entry up in a warehouse register and",
        "  require elements saying how; the sync fills them: an operation is the first of",
        "  `FindOrCreate`, `CreateOrFind`, `Find` it offers (the warehouse's entry is linked, a missing one",
        "  created, none renamed), an identification names the element the record sets (a code before a",
        "  name), other required elements that may be nil are nil. A structure that needs anything else",
        "  (e.g. `OrderLineArticleItemStatus` needs `IsLocked`) is refused, naming that element.",
        "- **Source**: a single-value element of the record, or of a structure inside it, in the",
        "  24SevenOffice description, whether the project's record model names it or not: the ERP client",
        "  asks for every configured source as a return property (24SevenOffice returns only what is",
        "  asked for; a nested source brings its top-level structure). Refused: an unknown element, one",
        "  inside a repeated element (`InvoiceRows`: use the `order_line` table), `APIException` (the",
        "  service's error report) and `Password`.",
        "- **Types**: the source's type must suit the target's; the value is converted by the target's",
        "  type (country codes upper-cased, as in the tables above):",
        "",
        table(["Target type", "Source types it takes"],
              [[target, ", ".join(sorted(kinds))] for target, kinds in accepted_sources().items()], escape=False),
        "",
        "A source without a value is left out. So is 24SevenOffice's \"not set\" value of the source's",
        "type: " + ", ".join(f"{kind} `{_shown(value)}`" for kind, value in NOT_SET_BY_XSD_TYPE.items()) + ".",
        "An `xs:double` source (e.g. `Product ⇒ CashPriceIncTax`) is sent as the shortest decimal that reads",
        "back as the same double, which is the number the service wrote (`1249.5`, never a float and never",
        "`1249.4999…`); numbers sent as text are written in plain decimal notation.",
        "",
        table(["Table", "Configurable Ongoing WMS targets", "24SevenOffice sources"],
              [[f"`{fieldmap.name}`", configurable_targets_text(fieldmap), _sources(fieldmap)]
               for fieldmap in MAPS.values()], escape=False),
        "",
        "Targets deeper than one structure are written as dotted paths too and checked the same way; they",
        "are not listed (the types are recursive: an article's structure specification holds articles).",
        "",
    ]
    return "\n".join(lines)


def _sources(fieldmap: FieldMap) -> str:
    sources = ", ".join(readable_sources(fieldmap)) or "–"
    nested = source_structures(fieldmap)
    if nested:
        sources += "; in structures (as `Structure.Element`): " + ", ".join(nested)
    return sources


def _shown(value: object) -> str:
    return value.replace(tzinfo=None).isoformat() if isinstance(value, datetime) else str(value)


# An example catalogue for the variations section; the groups shown are computed by the rule itself.
_VARIANT_EXAMPLE = (
    ("TS", "T-skjorte"),
    ("TS-RED", "T-skjorte rød"),
    ("TS-RED-L", "T-skjorte rød L"),
    ("TS-BLÅ-M", "T-skjorte blå M"),
    ("SKU-1001", "Kaffe"),
)


def _variations() -> str:
    products = [{"No": number, "Name": name} for number, name in _VARIANT_EXAMPLE]
    rule = VariantRule(parts=("color", "size"))
    catalogue = rule.catalogue(products)
    lines = [
        "## Article variations (`SYNC_VARIATIONS`)",
        "",
        "Off (the default): one Ongoing WMS article per 24SevenOffice product, exactly as the article table",
        "above, nothing grouped.",
        "",
        "On (`SYNC_VARIATIONS=on`):",
        "",
        "- **Which products are variants.** 24SevenOffice's product has no element relating products (the",
        "  real description's `Product` has none; its only `ParentId` is a product category's), so the",
        "  relation comes from the numbers: a product is a *variant* when its number has the form",
        "  `<base><separator><variant>` and `<base>` is the number of another product. The separator is",
        f"  `SYNC_VARIANT_SEPARATOR` (default `{DEFAULT_SEPARATOR}`). When several prefixes of the number are",
        "  products, the longest one is the base. Following bases up ends at the *root*; the root and every",
        "  product under it are one *family*. Numbers are compared exactly (no trimming, no case folding).",
        "- **What groups them in Ongoing WMS: `ArticleGroup`**, the article register's own grouping element.",
        "  Every member of a family, the root too, is sent with `ArticleGroup ⇒ ArticleGroupCode` = the",
        "  root's number and `ArticleGroupName` = the root's name (`CreateOrUpdate`, found by code: these",
        "  groups are the sync's, so a renamed root renames its group). A product without variants gets no",
        "  `ArticleGroup`, and a group the warehouse gave it stays. So with variations on, the",
        "  `ArticleGroup` of a family's articles belongs to the sync: extra fields may not set it.",
        "- **Colour and size, when the numbers say so.** `SYNC_VARIANT_PARTS` (default empty) names what",
        "  the parts of a variant's number after its root's are, in order: `color` fills `ArticleColor`",
        "  (`ColorCode` and `ColorName`), `size` fills `ArticleSize` (`SizeCode` and `SizeName`), found or",
        "  created by code. A part beyond the named ones stays with the last. Nothing in 24SevenOffice says",
        "  which part is which, so the sync does not guess: without the setting, parts are not sent.",
        "- **Names stay the product's own**: every member is its own article with its own ArticleNumber,",
        "  ProductCode, barcode, weight and stock, and `ArticleName ← Product ⇒ Name`, as the seed's",
        "  article table says; order lines and the stock sync find a variant as any other article.",
        "- When a root changes (renamed, or created so that existing products become its family), its whole",
        "  family is sent again in the same run; when a variant changes, its root is sent too (a product",
        "  joins its group when its first variant appears). Unchanged articles are not re-sent (the ledger",
        "  compares payloads). The supplier registry groups the articles it re-sends the same way. With",
        "  variations on, each run that has changed products reads the whole catalogue once more (one",
        "  `GetProducts`), to know which numbers exist.",
        "- Switching variations off, or removing or renumbering a root, does not take articles out of their",
        "  group in Ongoing WMS: the sync leaves the element alone once it no longer fills it.",
        "",
        "Example (separator `-`, `SYNC_VARIANT_PARTS=color,size`):",
    ]
    rows = []
    for product in products:
        variant = catalogue.variant(product)
        article = catalogue.article(product, {"ArticleName": product["Name"]})
        base = f"`{variant.base_number}`" if variant else "–"
        group = article.get("ArticleGroup")
        shown_group = f"`{group['ArticleGroupCode']}`, {group.get('ArticleGroupName', '–')}" if group else "–"
        color = article.get("ArticleColor", {}).get("ColorCode", "–")
        size = article.get("ArticleSize", {}).get("SizeCode", "–")
        rows.append([f"`{product['No']}`", product["Name"], base, article["ArticleName"], shown_group, color, size])
    lines += ["", table(["Product ⇒ No", "Product ⇒ Name", "Variant of", "ArticleName", "ArticleGroup (code, name)",
                         "ArticleColor", "ArticleSize"], rows, escape=False), ""]
    return "\n".join(lines)
