"""The tables are the seed's, name real elements on both sides, and are what the docs show."""

from __future__ import annotations

import typing
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from sync_pipeline.erp import models
from sync_pipeline.mapping import MAPS, get_path, render_markdown
from sync_pipeline.mapping.schema import erp_schema, wms_schema

from .records import order

DOCS = Path(__file__).resolve().parents[2] / "docs" / "field-maps.md"

# The vendor's tables (seed/000_9dca6d961fb3348c.txt), as printed: "<WMS field><ERP field>" with the
# separator lost. Every row of our tables must print as one of these lines, and vice versa.
SEED_ROWS = """
ArticleDefinition ⇒ ProductCodeProduct ⇒ Id
ArticleDefinition ⇒ ArticleNumberProduct ⇒ No
ArticleDefinition ⇒ ArticleNameProduct ⇒ Name
ArticleDefinition ⇒ ArticleDescriptionProduct ⇒ Description
ArticleDefinition ⇒ BarCodeProduct ⇒ EAN1
ArticleDefinition ⇒ WeightProduct ⇒ Weight
OrderInfo ⇒ GoodsOwnerOrderNumberInvoiceOrder ⇒ OrderId
OrderInfo ⇒ DeliveryDateInvoiceOrder ⇒ DeliveryDate
OrderInfo ⇒ ReferenceNumberInvoiceOrder ⇒ ReferenceNumber
OrderInfo ⇒ SalesCodeInvoiceOrder ⇒ YourReference
OrderInfo ⇒ WayOfDeliveryInvoiceOrder ⇒ DeliveryMethod ⇒ Description
OrderInfo ⇒ WayOfDeliveryType ⇒ CodeInvoiceOrder ⇒ DeliveryMethod ⇒ Id
OrderInfo ⇒ WayOfDeliveryType ⇒ NameInvoiceOrder ⇒ DeliveryMethod ⇒ Description
OrderInfo ⇒ OrderRemarkInvoiceOrder ⇒ InvoiceTitle
Customer ⇒ CustomerNumberInvoiceOrder ⇒ CustomerId
Customer ⇒ NameInvoiceOrder ⇒ CustomerDeliveryName
Customer ⇒ AddressdeliveryAddress ⇒ Street
Customer ⇒ PostCodedeliveryAddress ⇒ PostalCode
Customer ⇒ CitydeliveryAddress ⇒ PostalArea
Customer ⇒ CountryCodedeliveryAddress ⇒ Country
Customer ⇒ CountryStateCodedeliveryAddress ⇒ State
Customer ⇒ MobilePhoneInvoiceOrder ⇒ CustomerDeliveryPhone *
Customer ⇒ TelePhoneInvoiceOrder ⇒ CustomerDeliveryPhone *
Customer ⇒ EmailInvoiceOrder ⇒ InvoiceEmailAddress **
Customer ⇒ InvoiceAddress ⇒ nameInvoiceOrder ⇒ CustomerName
Customer ⇒ InvoiceAddress ⇒ AddressinvoiceAddress ⇒ Street
Customer ⇒ InvoiceAddress ⇒ PostCodeinvoiceAddress ⇒ PostalCode
Customer ⇒ InvoiceAddress ⇒ CityinvoiceAddress ⇒ PostalArea
Customer ⇒ InvoiceAddress ⇒ CountryCodeinvoiceAddress ⇒ Country
Customer ⇒ InvoiceAddress ⇒ CountryStateCodeinvoiceAddress ⇒ State
CustomerOrderLines ⇒ ProductCodeInvoiceRow ⇒ ProductId
CustomerOrderLines ⇒ ExternalOrderLineCodeInvoiceRow ⇒ RowId
CustomerOrderLines ⇒ NumberOfItemsInvoiceRow ⇒ Quantity
Supplier ⇒ SupplierNumberCompany ⇒ Id
Supplier ⇒ SupplierNameCompany ⇒ Name
Supplier ⇒ Address ⇒ AddressCompany ⇒ Addresses ⇒ Post ⇒ Street
Supplier ⇒ Address ⇒ PostCodeCompany ⇒ Addresses ⇒ Post ⇒ PostalCode
Supplier ⇒ Address ⇒ CityCompany ⇒ Addresses ⇒ Post ⇒ City
Supplier ⇒ Address ⇒ CountryCodeCompany ⇒ Addresses ⇒ Post ⇒ Country
""".strip().splitlines()

FALLBACK_MARK = {"company_mobile_phone": " *", "company_telephone": " *", "company_email": " **"}


def _as_seed_prints(fieldmap, row) -> str:
    target = " ⇒ ".join([*fieldmap.wms_object.split(" ⇒ "), *row.target.split(".")])
    if fieldmap.name == "invoice_address" and row.target == "Name":
        target = target[: -len("Name")] + "name"  # the seed's spelling
    source = f"{fieldmap.erp_record}.{row.source}"
    if fieldmap.erp_record == "InvoiceOrder":  # the seed's names for the order's two addresses
        source = source.replace("InvoiceOrder.Addresses.Delivery.", "deliveryAddress.")
        source = source.replace("InvoiceOrder.Addresses.Invoice.", "invoiceAddress.")
    return target + source.replace(".", " ⇒ ") + FALLBACK_MARK.get(row.fallback, "")


def test_the_tables_are_the_seeds_tables_row_for_row():
    ours = [_as_seed_prints(fieldmap, row) for fieldmap in MAPS.values() for row in fieldmap.rows]
    assert ours == SEED_ROWS
    assert [len(m.rows) for m in MAPS.values()] == [6, 8, 10, 6, 3, 6]


def _modelled(record: str, path: str) -> bool:
    """Whether the ERP model of `record` has a field at dotted `path` (so the client always asks for it)."""
    model: typing.Any = getattr(models, record)
    for step in path.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or step not in model.model_fields:
            return False
        annotation = model.model_fields[step].annotation
        inner = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        model = inner[0] if inner else annotation
    return True


@pytest.mark.parametrize("fieldmap", MAPS.values(), ids=MAPS.keys())
def test_every_target_is_a_wms_element_and_every_source_an_erp_field_the_client_reads(fieldmap):
    for row in fieldmap.rows:
        target = wms_schema().resolve(fieldmap.wms_type, row.target)
        assert target.builtin and not target.is_complex and not target.repeated, row.target  # a plain value
        assert erp_schema().resolve(fieldmap.erp_record, row.source), row.source
        assert _modelled(fieldmap.erp_record, row.source), row.source


def test_docs_are_rendered_from_the_tables():
    # If this fails: python -c "from sync_pipeline.mapping import render_markdown as r; open('docs/field-maps.md','w').write(r())"
    assert DOCS.read_text(encoding="utf-8") == render_markdown()


def test_docs_show_every_row_and_the_fallback_orders():
    text = render_markdown()
    assert "| Customer ⇒ City | InvoiceOrder ⇒ Addresses ⇒ Delivery ⇒ PostalArea |" in text
    assert "| Supplier ⇒ Address ⇒ City | Company ⇒ Addresses ⇒ Post ⇒ City |" in text
    assert "PhoneNumbers ⇒ Mobile, Primary, Work, Home" in text
    assert "PhoneNumbers ⇒ Primary, Work, Home, Mobile" in text
    assert "EmailAddresses ⇒ Invoice, Primary, Work, Home, Alternative" in text
    assert '{"map": "order_line", "target": "LinePrice", "source": "Price"}' in text


def test_get_path_reads_models_dicts_and_objects_and_is_none_safe():
    model = order()
    assert get_path(model, "Addresses.Delivery.Street") == "Bryggen 5"
    assert get_path(model, "Addresses.Visit.Street") is None
    assert get_path(model, "NoSuchField.Deeper") is None
    assert get_path({"Addresses": {"Delivery": {"Street": "Gata 1"}}}, "Addresses.Delivery.Street") == "Gata 1"
    assert get_path({"Addresses": None}, "Addresses.Delivery.Street") is None
    assert get_path(SimpleNamespace(PhoneNumbers={"Mobile": SimpleNamespace(Value="9")}), "PhoneNumbers.Mobile.Value") == "9"
    assert get_path(None, "Id") is None
