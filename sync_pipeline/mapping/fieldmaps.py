"""The seed's field-mapping tables, as data.

Each FieldMap is one table of the vendor's description ("Show field mapping"): the WMS element a
value goes to (relative to the map's WMS object) and the ERP field it comes from (relative to the
map's ERP record), with an optional fallback (see fallbacks.py) and the conversion applied (see
values.py). The mappers in this package read these tables; docs/field-maps.md is rendered from them
(markdown.py), and extra rows come from configuration (extra.py).

Naming: the seed's "deliveryAddress" is InvoiceOrder.Addresses.Delivery and "invoiceAddress" is
InvoiceOrder.Addresses.Invoice; its "Customer ⇒ InvoiceAddress ⇒ name" is the WSDL element Name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from .fallbacks import FALLBACKS
from .structures import NestedStructure
from .values import CONVERTERS


@dataclass(frozen=True)
class FieldRow:
    target: str  # WMS element path, relative to the map's WMS object ("WayOfDeliveryType.Code")
    source: str  # ERP field path, relative to the map's ERP record ("Addresses.Delivery.Street")
    fallback: str | None = None  # name in fallbacks.FALLBACKS, used when the source is None or blank
    converter: str = "text"  # name in values.CONVERTERS
    required: bool = False  # the record is refused when neither source nor fallback has a value
    configured: bool = False  # True for rows added by SYNC_EXTRA_FIELDS, not by the seed
    source_type: str | None = None  # XSD type of the source, for its own "not set" value (short: -32768)

    def __post_init__(self) -> None:
        if self.converter not in CONVERTERS:
            raise ValueError(f"unknown converter {self.converter!r} for {self.target}")
        if self.fallback is not None and self.fallback not in FALLBACKS:
            raise ValueError(f"unknown fallback {self.fallback!r} for {self.target}")


@dataclass(frozen=True)
class FieldMap:
    name: str  # how configuration names the table ("order_line")
    title: str
    wms_object: str  # the seed's name of the WMS object ("Customer ⇒ InvoiceAddress")
    wms_type: str  # its complex type in sync_pipeline/wms/wsdl/ongoing.wsdl
    erp_record: str  # the ERP record the sources are read from; also its type in the ERP WSDLs
    rows: tuple[FieldRow, ...]
    # Fixed values the mapper always sets (not from the ERP).
    constants: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Elements the WMS client fills (operation, identification, the WMS's own ids and flags).
    client_fields: frozenset[str] = frozenset()
    # Nested structures configured rows write into, completed by the mapper (structures.py).
    structures: tuple[NestedStructure, ...] = ()
    note: str = ""  # what the table alone does not say, rendered under it in docs/field-maps.md

    def extended(self, extra: Iterable[FieldRow], structures: Iterable[NestedStructure] = ()) -> FieldMap:
        """This table with configured rows appended (and the structures they write into)."""
        added, nested = tuple(extra), tuple(s for s in structures if s not in self.structures)
        if not added and not nested:
            return self
        return replace(self, rows=self.rows + added, structures=self.structures + nested)

    def row_for(self, target: str) -> FieldRow | None:
        return next((row for row in self.rows if row.target == target), None)


ARTICLE = FieldMap(
    name="article",
    title="Article registry",
    wms_object="ArticleDefinition",
    wms_type="ArticleDefinition",
    erp_record="Product",
    rows=(
        FieldRow("ProductCode", "Id", converter="key", required=True),
        FieldRow("ArticleNumber", "No", converter="key", required=True),
        FieldRow("ArticleName", "Name"),
        FieldRow("ArticleDescription", "Description"),
        FieldRow("BarCode", "EAN1"),
        FieldRow("Weight", "Weight", converter="decimal"),
    ),
    client_fields=frozenset({"ArticleOperation", "ArticleIdentification", "ArticleSystemId", "IsStockArticle", "MainSupplier"}),
)

ORDER_INFO = FieldMap(
    name="order_info",
    title="Sales orders: order header",
    wms_object="OrderInfo",
    wms_type="OrderInfoClass",
    erp_record="InvoiceOrder",
    rows=(
        FieldRow("GoodsOwnerOrderNumber", "OrderId", converter="key", required=True),
        FieldRow("DeliveryDate", "DeliveryDate", fallback="today_utc", converter="datetime", required=True),
        FieldRow("ReferenceNumber", "ReferenceNumber"),
        FieldRow("SalesCode", "YourReference"),
        FieldRow("WayOfDelivery", "DeliveryMethod.Description"),
        FieldRow("WayOfDeliveryType.Code", "DeliveryMethod.Id", converter="key"),
        FieldRow("WayOfDeliveryType.Name", "DeliveryMethod.Description"),
        FieldRow("OrderRemark", "InvoiceTitle"),
    ),
    # OrderId is the WMS's own id of the order.
    client_fields=frozenset({"OrderIdentification", "OrderOperation", "OrderId"}),
    note=("`WayOfDeliveryType` is identified by its `Code` (by its `Name` without one) and sent with "
          "`WayOfDeliveryTypeOperation` `CreateOrUpdate`, so a delivery method renamed in 24SevenOffice is "
          "renamed in the warehouse; `SYNC_WAY_OF_DELIVERY_NAMES=warehouse` sends `CreateOrFind` (the warehouse "
          "keeps its own names). An order without a `DeliveryMethod` may take its freight row's text as "
          "`WayOfDelivery` and `WayOfDeliveryType ⇒ Name` (`SYNC_FREIGHT_ROW_PATTERN`, off by default)."),
)

CUSTOMER = FieldMap(
    name="customer",
    title="Sales orders: delivery customer",
    wms_object="Customer",
    wms_type="Customer",
    erp_record="InvoiceOrder",
    rows=(
        FieldRow("CustomerNumber", "CustomerId", converter="key", required=True),
        FieldRow("Name", "CustomerDeliveryName"),
        FieldRow("Address", "Addresses.Delivery.Street"),
        FieldRow("PostCode", "Addresses.Delivery.PostalCode"),
        FieldRow("City", "Addresses.Delivery.PostalArea"),
        FieldRow("CountryCode", "Addresses.Delivery.Country", converter="country"),
        FieldRow("CountryStateCode", "Addresses.Delivery.State"),
        FieldRow("MobilePhone", "CustomerDeliveryPhone", fallback="company_mobile_phone"),
        FieldRow("TelePhone", "CustomerDeliveryPhone", fallback="company_telephone"),
        FieldRow("Email", "InvoiceEmailAddress", fallback="company_email"),
    ),
    client_fields=frozenset(
        {
            "CustomerOperation",
            "CustomerIdentification",
            "CustomerId",
            "DeliveryAddressId",
            "InvoiceAddressId",
            "IsVisible",
            "NotifyBySMS",
            "NotifyByEmail",
            "NotifyByTelephone",
            "InvoiceAddress",
        }
    ),
)

INVOICE_ADDRESS = FieldMap(
    name="invoice_address",
    title="Sales orders: invoice address",
    wms_object="Customer ⇒ InvoiceAddress",
    wms_type="InvoiceAddress",
    erp_record="InvoiceOrder",
    rows=(
        FieldRow("Name", "CustomerName"),
        FieldRow("Address", "Addresses.Invoice.Street"),
        FieldRow("PostCode", "Addresses.Invoice.PostalCode"),
        FieldRow("City", "Addresses.Invoice.PostalArea"),
        FieldRow("CountryCode", "Addresses.Invoice.Country", converter="country"),
        FieldRow("CountryStateCode", "Addresses.Invoice.State"),
    ),
    client_fields=frozenset({"IsVisible", "NotifyBySMS", "NotifyByEmail", "NotifyByTelephone"}),
)

ORDER_LINE = FieldMap(
    name="order_line",
    title="Sales orders: order lines",
    wms_object="CustomerOrderLines",
    wms_type="CustomerOrderLine",
    erp_record="InvoiceRow",
    rows=(
        FieldRow("ProductCode", "ProductId", converter="key", required=True),
        FieldRow("ExternalOrderLineCode", "RowId", converter="key", required=True),
        FieldRow("NumberOfItems", "Quantity", converter="quantity", required=True),
    ),
    # The seed identifies the line's article by ProductCode (= Product.Id), not by ArticleNumber.
    constants=MappingProxyType({"ArticleIdentification": "ProductCode"}),
    client_fields=frozenset({"OrderLineIdentification", "ArticleIdentification", "SubOrderLineSpecification",
                             "OrderLineSystemId", "ArticleSystemId"}),
    note=("Only rows with a product become lines. Rows without a `ProductId` (freight, fees, discounts) and "
          "text rows (`InvoiceRow ⇒ Type` `Text` or `TextBold`) are left out of the warehouse order and listed "
          "in the run's `rows_left_out`; an order with no other rows is refused (nothing to pick)."),
)

SUPPLIER = FieldMap(
    name="supplier",
    title="Supplier registry",
    wms_object="Supplier",
    wms_type="Supplier",
    erp_record="Company",
    rows=(
        FieldRow("SupplierNumber", "Id", converter="key", required=True),
        FieldRow("SupplierName", "Name"),
        FieldRow("Address.Address", "Addresses.Post.Street"),
        FieldRow("Address.PostCode", "Addresses.Post.PostalCode"),
        FieldRow("Address.City", "Addresses.Post.City"),
        FieldRow("Address.CountryCode", "Addresses.Post.Country", converter="country"),
    ),
    client_fields=frozenset(
        {
            "SupplierIdentificationType",
            "SupplierOperation",
            "Address.IsEuCountry",
            "Address.IsVisible",
            "Address.NotifyBySMS",
            "Address.NotifyByEmail",
            "Address.NotifyByTelephone",
        }
    ),
)

MAPS: dict[str, FieldMap] = {m.name: m for m in (ARTICLE, ORDER_INFO, CUSTOMER, INVOICE_ADDRESS, ORDER_LINE, SUPPLIER)}


def render_markdown() -> str:
    """docs/field-maps.md, rendered from these tables (a test keeps the file equal to this)."""
    from .markdown import render_field_maps

    return render_field_maps()
