"""Supplier registry: Company -> Supplier business fields."""

from __future__ import annotations

from sync_pipeline.mapping import map_supplier, supplier_key
from sync_pipeline.soap.errors import RecordError

from .records import SHOP, company

POST = {"Street": "Industriveien 4", "PostalCode": "1337", "PostalArea": "Sandvika", "City": "Bærum", "Country": "no"}


def test_every_row_of_the_supplier_table_is_mapped():
    assert map_supplier(company(Type="Supplier", Addresses={"Post": POST, "Visit": {"City": "Elsewhere"}})) == {
        "SupplierNumber": "501",
        "SupplierName": SHOP,
        "Address": {
            "Address": "Industriveien 4",
            "PostCode": "1337",
            "City": "Bærum",  # the supplier map takes City (the customer maps take PostalArea)
            "CountryCode": "NO",
        },
    }


def test_a_supplier_without_address_has_no_address_element():
    assert map_supplier(company(Addresses={"Post": {"Street": ""}})) == {"SupplierNumber": "501", "SupplierName": SHOP}


def test_a_company_without_id_is_refused():
    result = map_supplier(company(Id=None))
    assert isinstance(result, RecordError)
    assert (result.key, result.field) == ("Company (no Id)", "Id")
    assert supplier_key(company()) == "501"
