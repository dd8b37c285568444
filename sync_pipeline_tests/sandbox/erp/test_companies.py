"""CompanyService: customers' phone numbers and e-mail addresses, suppliers, searches."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from zeep.exceptions import Fault

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient, FakeClock

KARI = {"Id": 3, "Name": "Kari Nordmann", "Type": "Consumer",
        "PhoneNumbers": {"Mobile": {"Value": "+47 912 34 567"},
                         "Work": {"Description": "Kontor", "Value": "22 33 44 55"}},
        "EmailAddresses": {"Primary": {"Name": "Kari", "Value": "kari@example.no"},
                           "Invoice": {"Value": "faktura@example.no"}},
        "Addresses": {"Post": {"Street": "Storgata 1", "PostalCode": "0155", "City": "Oslo"}}}
SUPPLIER = {"Id": 7, "Name": "Norsk Ullvare AS", "Type": "Supplier",
            "Addresses": {"Post": {"Street": "Fabrikkvegen 3", "City": "Ålesund", "Country": "NO"}}}


def companies(client: ErpClient, properties: list[str], **search) -> list:
    return client.companies.GetCompanies(searchParams=search, returnProperties={"string": properties}) or []


def test_phone_numbers_and_email_addresses_come_back_by_kind(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("companies", KARI)
    [kari] = companies(erp, ["Id", "PhoneNumbers", "EmailAddresses"], CompanyId=3)
    assert kari.PhoneNumbers.Mobile.Value == "+47 912 34 567"
    assert (kari.PhoneNumbers.Work.Description, kari.PhoneNumbers.Work.Value) == ("Kontor", "22 33 44 55")
    assert kari.PhoneNumbers.Home is None and kari.PhoneNumbers.Primary is None
    assert (kari.EmailAddresses.Primary.Name, kari.EmailAddresses.Primary.Value) == ("Kari", "kari@example.no")
    assert kari.EmailAddresses.Invoice.Value == "faktura@example.no"
    assert kari.Name is None and kari.Type is None and kari.Addresses is None  # not asked for


def test_type_and_post_address_of_suppliers(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("companies", [KARI, SUPPLIER])
    found = companies(erp, ["Id", "Type", "Name", "Addresses"])
    suppliers = [c for c in found if c.Type == "Supplier"]  # the service has no Type filter
    assert [s.Id for s in suppliers] == [7]
    assert suppliers[0].Addresses.Post.City == "Ålesund"


def test_searches(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("companies", [KARI, SUPPLIER])

    def ids(**search) -> list[int]:
        return [c.Id for c in companies(erp, ["Id"], **search)]

    assert ids() == [3, 7]
    assert ids(CompanyIds={"int": [7, 8]}) == [7]
    assert ids(CompanyName="ullvare") == [7]
    assert ids(CompanyEmail="KARI@example.no") == [3]
    assert ids(CompanyPhone="+4791234567") == [3]
    assert ids(ExternalId="X-1") == []


def test_changed_after(clocked_server: SandboxServer, clock: FakeClock):
    admin, client = Admin(clocked_server.url), ErpClient(clocked_server.url)
    client.login()
    admin.post("companies", KARI)
    clock.advance(seconds=20)
    admin.post("companies", SUPPLIER)
    since = datetime(2025, 3, 1, 12, 0, 10, tzinfo=timezone.utc)
    assert [c.Id for c in companies(client, ["Id"], ChangedAfter=since)] == [7]


def test_return_properties_are_mandatory(erp: ErpClient):
    with pytest.raises(Fault, match="returnProperties must be specified"):
        companies(erp, [])
