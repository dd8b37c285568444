"""Sales orders: InvoiceOrder -> CustomerOrder business fields, fallbacks and refusals."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from sync_pipeline.mapping import map_order, needs_company
from sync_pipeline.soap.errors import RecordError

from .records import SHOP, company, emails, order, phones


def test_every_row_of_the_order_tables_is_mapped():
    assert map_order(order()) == {
        "OrderInfo": {
            "GoodsOwnerOrderNumber": "1001",
            "DeliveryDate": datetime(2024, 5, 17, tzinfo=timezone.utc),
            "ReferenceNumber": "REF-77",
            "SalesCode": "Ola Nordmann",
            "WayOfDelivery": "Posten Servicepakke",
            "WayOfDeliveryType": {"Code": "3", "Name": "Posten Servicepakke"},
            "OrderRemark": "Levering til bakeriet",
        },
        "Customer": {
            "CustomerNumber": "501",
            "Name": "Smørbrød-kjøkkenet",
            "Address": "Bryggen 5",
            "PostCode": "5003",
            "City": "Bergen",  # PostalArea, not City, as the seed says
            "CountryCode": "NO",
            "CountryStateCode": "Vestland",
            "MobilePhone": "+47 22 00 00 01",
            "TelePhone": "+47 22 00 00 01",
            "Email": "faktura@smorbrod.no",
            "InvoiceAddress": {
                "Name": SHOP,
                "Address": "Postboks 12",
                "PostCode": "0101",
                "City": "Oslo",
                "CountryCode": "NO",
                "CountryStateCode": "Oslo",
            },
        },
        "CustomerOrderLines": [
            {"ProductCode": "17", "ExternalOrderLineCode": "1", "NumberOfItems": Decimal("2"), "ArticleIdentification": "ProductCode"},
            {"ProductCode": "18", "ExternalOrderLineCode": "2", "NumberOfItems": Decimal("1.5"), "ArticleIdentification": "ProductCode"},
        ],
    }


def test_missing_and_empty_fields_are_left_out_not_sent_empty():
    sparse = order(
        ReferenceNumber="",
        YourReference="   ",
        DeliveryMethod=None,
        InvoiceTitle=None,
        CustomerDeliveryName=None,
        Addresses={"Delivery": {"Street": "Bryggen 5", "Country": ""}},
    )
    mapped = map_order(sparse)
    assert mapped["OrderInfo"] == {
        "GoodsOwnerOrderNumber": "1001",
        "DeliveryDate": datetime(2024, 5, 17, tzinfo=timezone.utc),
    }
    assert mapped["Customer"] == {
        "CustomerNumber": "501",
        "Address": "Bryggen 5",
        "MobilePhone": "+47 22 00 00 01",
        "TelePhone": "+47 22 00 00 01",
        "Email": "faktura@smorbrod.no",
        "InvoiceAddress": {"Name": SHOP},
    }


def test_no_invoice_address_element_when_the_order_has_none():
    mapped = map_order(order(CustomerName=None, Addresses=None))
    assert "InvoiceAddress" not in mapped["Customer"]


def test_unicode_text_arrives_unchanged():
    mapped = map_order(order(CustomerDeliveryName="Ærlig Øl & Smørbrød AB – Åsane"))
    assert mapped["Customer"]["Name"] == "Ærlig Øl & Smørbrød AB – Åsane"
    assert mapped["Customer"]["InvoiceAddress"]["Name"] == SHOP


def test_control_characters_are_removed_from_free_text_but_tab_and_newline_stay():
    mapped = map_order(order(InvoiceTitle="Ring\x07 på\x00 døra\nbak\tgården\x1b"))
    assert mapped["OrderInfo"]["OrderRemark"] == "Ring på døra\nbak\tgården"


def test_country_codes_are_upper_cased_and_otherwise_passed_on():
    mapped = map_order(order(Addresses={"Delivery": {"Country": "se"}, "Invoice": {"Country": "Norway"}}))
    assert mapped["Customer"]["CountryCode"] == "SE"
    assert mapped["Customer"]["InvoiceAddress"]["CountryCode"] == "NORWAY"


def test_missing_delivery_date_becomes_today_utc():
    late_evening_oslo = datetime(2024, 6, 1, 23, 30, tzinfo=timezone.utc)
    mapped = map_order(order(DeliveryDate=None), now=late_evening_oslo)
    assert mapped["OrderInfo"]["DeliveryDate"] == datetime(2024, 6, 1, tzinfo=timezone.utc)


def test_delivery_date_from_the_order_wins_over_today():
    mapped = map_order(order(), now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert mapped["OrderInfo"]["DeliveryDate"] == datetime(2024, 5, 17, tzinfo=timezone.utc)


# -- the phone and e-mail fallbacks (CompanyService) -----------------------------------------


def test_phones_fall_back_to_the_company_mobile_first_for_mobile_and_primary_first_for_telephone():
    customer = company(PhoneNumbers=phones(Mobile="+47 900 00 001", Primary="+47 22 11 11 11", Work="+47 22 22 22 22"))
    mapped = map_order(order(CustomerDeliveryPhone=None), customer)
    assert mapped["Customer"]["MobilePhone"] == "+47 900 00 001"
    assert mapped["Customer"]["TelePhone"] == "+47 22 11 11 11"


@pytest.mark.parametrize(
    "numbers, mobile, telephone",
    [
        ({"Work": "W", "Home": "H"}, "W", "W"),
        ({"Home": "H"}, "H", "H"),
        ({"Mobile": "M"}, "M", "M"),  # TelePhone takes the mobile number last
        ({"Primary": "P", "Mobile": "  "}, "P", "P"),  # a blank number is no number
        ({"Fax": "F"}, None, None),  # fax is never a contact number
    ],
)
def test_phone_fallback_order(numbers, mobile, telephone):
    mapped = map_order(order(CustomerDeliveryPhone=""), company(PhoneNumbers=phones(**numbers)))
    assert mapped["Customer"].get("MobilePhone") == mobile
    assert mapped["Customer"].get("TelePhone") == telephone


def test_the_orders_own_phone_wins_over_the_company():
    mapped = map_order(order(), company(PhoneNumbers=phones(Mobile="+47 900 00 001")))
    assert mapped["Customer"]["MobilePhone"] == "+47 22 00 00 01"


@pytest.mark.parametrize(
    "addresses, expected",
    [
        ({"Invoice": "i@x.no", "Primary": "p@x.no", "Alternative": "a@x.no"}, "i@x.no"),
        ({"Primary": "p@x.no", "Work": "w@x.no"}, "p@x.no"),
        ({"Work": "w@x.no", "Home": "h@x.no"}, "w@x.no"),
        ({"Home": "h@x.no", "Alternative": "a@x.no"}, "h@x.no"),
        ({"Alternative": "a@x.no"}, "a@x.no"),
        ({}, None),
    ],
)
def test_email_falls_back_to_the_company_addresses_in_order(addresses, expected):
    for empty in (None, "", "  "):
        mapped = map_order(order(InvoiceEmailAddress=empty), company(EmailAddresses=emails(**addresses)))
        assert mapped["Customer"].get("Email") == expected


def test_without_a_company_empty_contact_fields_are_left_out():
    mapped = map_order(order(CustomerDeliveryPhone=None, InvoiceEmailAddress=None))
    assert not {"MobilePhone", "TelePhone", "Email"} & mapped["Customer"].keys()


def test_needs_company_only_when_a_fallback_would_be_used():
    assert not needs_company(order())
    assert needs_company(order(CustomerDeliveryPhone=" "))
    assert needs_company(order(InvoiceEmailAddress=None))


def test_a_company_that_is_not_the_orders_customer_is_a_caller_error():
    with pytest.raises(ValueError, match="not the customer"):
        map_order(order(CustomerId=501), company(Id=999))


# -- refusals: each names the order and the ERP field ------------------------------------------


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"InvoiceRows": []}, "InvoiceRows", "without rows"),
        ({"OrderId": None}, "OrderId", "OrderId is missing"),
        ({"CustomerId": None}, "CustomerId", "CustomerId is missing"),
        (
            {"InvoiceRows": [{"ProductId": 17, "RowId": 1, "Quantity": 0}]},
            "InvoiceRows[0].Quantity",
            "must be above zero, got 0",
        ),
        (
            {"InvoiceRows": [{"ProductId": 17, "RowId": 1, "Quantity": 1}, {"ProductId": 17, "RowId": 2, "Quantity": -3}]},
            "InvoiceRows[1].Quantity",
            "row 2 (RowId 2): InvoiceRow ⇒ Quantity must be above zero, got -3",
        ),
        ({"InvoiceRows": [{"ProductId": 17, "RowId": 1}]}, "InvoiceRows[0].Quantity", "Quantity is missing"),
        ({"InvoiceRows": [{"RowId": 1, "Quantity": 1}]}, "InvoiceRows", "only rows without a product (1"),
        ({"InvoiceRows": [{"ProductId": 17, "Quantity": 1}]}, "InvoiceRows[0].RowId", "RowId is missing"),
        (
            {"InvoiceRows": [{"ProductId": 17, "RowId": 4, "Quantity": 1}, {"ProductId": 18, "RowId": 4, "Quantity": 1}]},
            "InvoiceRows[1].RowId",
            "rows 1 and 2 have the same InvoiceRow ⇒ RowId 4",
        ),
    ],
)
def test_bad_orders_are_refused_naming_record_and_field(change, field, words):
    result = map_order(order(**change))
    assert isinstance(result, RecordError)
    assert result.key == ("InvoiceOrder (no OrderId)" if change.get("OrderId", 1) is None else "1001")
    assert result.field == field
    assert words in result.message


def test_one_bad_order_does_not_affect_the_next():
    results = [map_order(order(OrderId=1, InvoiceRows=[])), map_order(order(OrderId=2))]
    assert isinstance(results[0], RecordError) and results[0].key == "1"
    assert results[1]["OrderInfo"]["GoodsOwnerOrderNumber"] == "2"


def test_plain_dicts_with_raw_service_values_work_too():
    raw = {
        "OrderId": 7,
        "CustomerId": -2147483648,  # 24SevenOffice's "not set"
        "InvoiceRows": {"InvoiceRow": [{"ProductId": 1, "RowId": 1, "Quantity": Decimal("1")}]},
    }
    result = map_order(raw)
    assert isinstance(result, RecordError) and result.field == "CustomerId"
    mapped = map_order({**raw, "CustomerId": 3}, now=datetime(2024, 1, 2, 15, tzinfo=timezone.utc))
    assert mapped["CustomerOrderLines"][0]["ProductCode"] == "1"
    assert mapped["OrderInfo"]["DeliveryDate"] == datetime(2024, 1, 2, tzinfo=timezone.utc)
