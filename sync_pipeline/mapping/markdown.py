"""docs/field-maps.md, rendered from the tables so the documentation cannot drift from the code."""

from __future__ import annotations

from .article import PRODUCT_LIMITS
from .engine import erp_label, wms_label
from .extra import configurable_targets, readable_sources
from .fallbacks import FALLBACKS
from .fieldmaps import MAPS, FieldMap
from .values import CONVERTERS
from .variants import DEFAULT_SEPARATOR, VariantRule

_CUSTOMS_EXAMPLE = (
    '[{"map": "order_line", "target": "LinePrice", "source": "Price"},\n'
    ' {"map": "article", "target": "PurchasePrice", "source": "InPrice"},\n'
    ' {"map": "article", "target": "Price", "source": "Price"}]'
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
        "| Ongoing WMS field | 24SevenOffice field | If empty | Conversion | Required |",
        "|---|---|---|---|---|",
    ]
    for row in fieldmap.rows:
        fallback = f"[{row.fallback}](#fallbacks)" if row.fallback else "–"
        lines.append(
            f"| {wms_label(fieldmap, row)} | {erp_label(fieldmap, row)} | {fallback} | {row.converter} | "
            f"{'yes' if row.required else 'no'} |"
        )
    for target, value in fieldmap.constants.items():
        lines.append(f"| {fieldmap.wms_object} ⇒ {target} | always `{value}` | – | – | – |")
    lines.append("")
    return "\n".join(lines)


def _fallbacks() -> str:
    lines = [
        "## Fallbacks",
        "",
        "Used when the record's own field is missing or blank. The vendor says only \"try CompanyService",
        "phonenumbers / email addresses\"; the order is ours. The company is the order's customer",
        "(`InvoiceOrder ⇒ CustomerId`); `needs_company(order)` tells whether an order needs it at all.",
        "",
        "| Fallback | Value |",
        "|---|---|",
    ]
    for fallback in FALLBACKS.values():
        lines.append(f"| `{fallback.name}` | {fallback.description} |")
    lines += [
        "",
        "Fax numbers are never used. A DeliveryDate filled in this way is today's date in UTC at the time",
        "of mapping, because Ongoing WMS requires a delivery date on every order.",
        "",
    ]
    return "\n".join(lines)


def _conversions() -> str:
    lines = ["## Conversions", "", "| Name | What is sent |", "|---|---|"]
    for converter in CONVERTERS.values():
        lines.append(f"| {converter.name} | {converter.description} |")
    lines += [
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
  `OrderId` and `CustomerId`, every order row `ProductId`, `RowId` and `Quantity`, a supplier `Id`.
- Product text longer than 24SevenOffice's own limits is refused ({limits} characters).
  Ongoing WMS may allow less; it then refuses the article with a message, stored with the record.
- An order without rows is refused; so is a row with a quantity of zero or less, and two rows with
  the same `RowId` (it becomes ExternalOrderLineCode, which must be unique within an order).
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
        "(the name in brackets), `target` a WMS element relative to the table's WMS object and `source`",
        "a field of its 24SevenOffice record (dotted for nested fields, e.g. `Addresses.Delivery.Name`).",
        "",
        "Example, prices for customs papers (line prices and article values); the end-to-end test",
        "`sync_pipeline_tests/sync/test_extra_fields.py` reads this very example from this file:",
        "",
        "```",
        f"SYNC_EXTRA_FIELDS='{_CUSTOMS_EXAMPLE}'",
        "```",
        "",
        "Every entry is checked at start, and each wrong one is reported by its position and content",
        "(the sync does not start): the target must be a single-value element of the table's type in",
        "`sync_pipeline/wms/wsdl/ongoing.wsdl` that the sync does not fill already; the source must be a",
        "single-value field of the record in the 24SevenOffice service descriptions that the ERP client",
        "reads (a field of its model); the source's type must suit the target (text takes anything but",
        "dates and booleans, decimals take numbers). The value is converted by the target's type.",
        "",
        "Country of origin (`CountryOfOriginCode`) and customs tariff number (`StatisticsNumber`) can be",
        "configured as targets, but 24SevenOffice's product (as the project reads it) has no field to",
        "take them from: adding one is a code change (product.wsdl subset and the Product model).",
        "",
        "| Table | Configurable WMS targets | 24SevenOffice sources (top level) |",
        "|---|---|---|",
    ]
    for fieldmap in MAPS.values():
        targets = ", ".join(configurable_targets(fieldmap)) or "–"
        sources = ", ".join(readable_sources(fieldmap)) or "–"
        lines.append(f"| `{fieldmap.name}` | {targets} | {sources} |")
    lines.append("")
    return "\n".join(lines)


# An example catalogue for the variations section; the names shown are computed by the rule itself.
_VARIANT_EXAMPLE = (
    ("TS", "T-skjorte"),
    ("TS-RED", "T-skjorte rød"),
    ("TS-RED-L", "T-skjorte rød L"),
    ("TS-BLÅ-M", "T-skjorte blå M"),
    ("SKU-1001", "Kaffe"),
)


def _variations() -> str:
    products = [{"No": number, "Name": name} for number, name in _VARIANT_EXAMPLE]
    catalogue = VariantRule().catalogue(products)
    lines = [
        "## Article variations (`SYNC_VARIATIONS`)",
        "",
        "Off (the default): one Ongoing WMS article per 24SevenOffice product, exactly as the article table",
        "above (ArticleNumber = `Product ⇒ No`, ArticleName = `Product ⇒ Name`).",
        "",
        "On (`SYNC_VARIATIONS=on`):",
        "",
        "- A product is a *variant* when its number has the form `<base><separator><variant>` and `<base>` is",
        "  the number of another product in 24SevenOffice. The separator is `SYNC_VARIANT_SEPARATOR`",
        f"  (default `{DEFAULT_SEPARATOR}`). When several prefixes of the number are products, the longest one is",
        "  the base. Numbers are compared exactly (no trimming, no case folding).",
        "- Each variant is its own WMS article, mapped by the article table above: ArticleNumber is its full",
        "  number, ProductCode its own Id, with its own barcode, weight and stock, so order lines and the",
        "  stock sync find it as any other article. Only its ArticleName changes: `<base name> – <variant part>`.",
        "- Grouping: the service description the project uses (`sync_pipeline/wms/wsdl/ongoing.wsdl`) has no",
        "  element of `ArticleDefinition` that groups articles (the real service's `ArticleGroup`,",
        "  `ArticleColor` and `ArticleSize` are not in it), so a variant is grouped under its base by the",
        "  shared article-number prefix and by its name, which starts with the base's name.",
        "- A base without a name leaves its variants' own names unchanged.",
        "- When a base changes (renamed, or created so that existing products become its variants), its",
        "  variants are sent again in the same run; the supplier registry names the articles it re-sends",
        "  the same way. With variations on, each run that has changed products reads the whole catalogue",
        "  once more (one `GetProducts`), to know which numbers exist.",
        "- Switching variations off, or removing or renumbering a base, renames a former variant back to its",
        "  own name only the next time that product changes in 24SevenOffice.",
        "",
        "Example (separator `-`):",
        "",
        "| Product ⇒ No | Product ⇒ Name | Variant of | ArticleName in Ongoing WMS |",
        "|---|---|---|---|",
    ]
    for product in products:
        variant = catalogue.variant(product)
        article = catalogue.article(product, {"ArticleName": product["Name"]})
        base = f"`{variant.base_number}`" if variant else "–"
        lines.append(f"| `{product['No']}` | {product['Name']} | {base} | {article['ArticleName']} |")
    lines.append("")
    return "\n".join(lines)
