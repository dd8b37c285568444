"""Reading companies: type, addresses, phone numbers and e-mail addresses."""

from __future__ import annotations

from datetime import timedelta

from sync_pipeline.erp import COMPANY_RETURN_PROPERTIES, CompanyType, ErpClient

from sync_pipeline_tests.erp.conftest import Sent, texts

SUPPLIER = {
    "Id": 8, "Name": "Ull & Co AS", "Type": "Supplier",
    "Addresses": {"Post": {"Street": "Postboks 1", "PostalCode": "5003", "City": "Bergen", "Country": "NO"}},
    "PhoneNumbers": {"Work": {"Description": "Sentralbord", "Value": "+47 55 00 00 00"},
                     "Mobile": {"Value": "+47 900 11 222"}},
    "EmailAddresses": {"Primary": {"Value": "post@ull.example"},
                       "Invoice": {"Name": "Faktura", "Value": "faktura@ull.example"}},
}


def test_companies_carry_type_phones_and_emails(erp_client, erp_admin):
    erp_admin.post("companies", [SUPPLIER, {"Id": 9, "Name": "Kunde AS", "Type": "Business"}])

    supplier, customer = erp_client.companies([8, 9])

    assert supplier.Type is CompanyType.SUPPLIER and customer.Type is CompanyType.BUSINESS
    assert supplier.PhoneNumbers.Work.Value == "+47 55 00 00 00"
    assert supplier.PhoneNumbers.Work.Description == "Sentralbord"
    assert supplier.PhoneNumbers.Mobile.Value == "+47 900 11 222"
    assert supplier.EmailAddresses.Invoice.Value == "faktura@ull.example"
    assert supplier.EmailAddresses.Primary.Value == "post@ull.example"
    assert supplier.Addresses.Post.City == "Bergen"
    assert customer.PhoneNumbers is None and customer.EmailAddresses is None


def test_companies_changed_since(erp_client, erp_admin):
    erp_admin.post("companies", [SUPPLIER])
    changed = erp_client.companies([8])[0].DateChanged
    assert [c.Id for c in erp_client.companies_changed_since(changed)] == [8]
    assert erp_client.companies_changed_since(changed + timedelta(seconds=2)) == []
    assert [c.Id for c in erp_client.companies_changed_since(None)] == [8]


def test_companies_ask_for_the_mapped_properties(erp_server, erp_connection):
    sent = Sent()
    with ErpClient(erp_connection, plugins=[sent]) as client:
        client.companies([1])
    (body,) = sent.of("GetCompanies")
    assert texts(body, "string") == list(COMPANY_RETURN_PROPERTIES)
