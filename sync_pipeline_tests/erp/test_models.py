"""Models built from what the service returns: sentinels, decimals, UTC, arrays, enums."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pydantic
import pytest

from sync_pipeline.erp import (
    COMPANY_RETURN_PROPERTIES,
    INVOICE_RETURN_PROPERTIES,
    PRODUCT_RETURN_PROPERTIES,
    ROW_RETURN_PROPERTIES,
    Company,
    CompanyType,
    ErpConnection,
    InvoiceOrder,
    OrderStatus,
    Product,
    changed_after,
    is_not_set,
)

NOT_SET_DECIMAL = Decimal("-79228162514264337593543950335")


def test_not_set_sentinels_become_none():
    product = Product.model_validate({
        "Id": 7, "No": "SKU-1007", "SupplierId": -2147483648, "Weight": NOT_SET_DECIMAL,
        "Stock": NOT_SET_DECIMAL, "DateChanged": datetime(1, 1, 1), "StatusId": -2147483648,
    })
    assert (product.SupplierId, product.Weight, product.Stock, product.DateChanged, product.StatusId) == (
        None, None, None, None, None)
    assert product.Id == 7


def test_sentinels_are_recognised_by_type_not_by_number():
    assert is_not_set(-2147483648)
    assert not is_not_set(Decimal(-2147483648))  # a real (if odd) decimal value
    assert not is_not_set(False)
    assert is_not_set("00000000-0000-0000-0000-000000000000")
    product = Product.model_validate({"Stock": Decimal(-2147483648)})
    assert product.Stock == Decimal(-2147483648)


def test_decimals_stay_decimal_and_keep_their_digits():
    product = Product.model_validate({"Weight": Decimal("0.125"), "Price": Decimal("1234567890.123456789")})
    assert isinstance(product.Weight, Decimal) and product.Weight == Decimal("0.125")
    assert product.Price == Decimal("1234567890.123456789")


def test_naive_times_from_the_service_are_utc_and_others_are_converted():
    naive = Product.model_validate({"DateChanged": datetime(2024, 5, 1, 12, 0)})
    assert naive.DateChanged == datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    oslo = timezone(timedelta(hours=2))
    aware = Product.model_validate({"DateChanged": datetime(2024, 5, 1, 14, 0, tzinfo=oslo)})
    assert aware.DateChanged == naive.DateChanged and aware.DateChanged.utcoffset() == timedelta(0)


def test_invoice_rows_are_a_list_never_none():
    assert InvoiceOrder.model_validate({"OrderId": 1, "InvoiceRows": None}).InvoiceRows == []
    assert InvoiceOrder.model_validate({"OrderId": 1}).InvoiceRows == []
    order = InvoiceOrder.model_validate({"OrderId": 1, "InvoiceRows": {"InvoiceRow": [
        {"RowId": 1, "Quantity": Decimal("2")}, None, {"RowId": 2, "Quantity": Decimal("1.5")}]}})
    assert [row.RowId for row in order.InvoiceRows] == [1, 2]
    assert order.InvoiceRows[1].Quantity == Decimal("1.5")


def test_order_keeps_its_api_exception_as_a_record_error_without_stack_trace():
    order = InvoiceOrder.model_validate({"OrderId": 9, "APIException": {
        "Type": "ValidationException", "Message": "Invoiced orders cannot be changed", "StackTrace": "at X.Y()"}})
    assert order.APIException is not None
    assert order.APIException.Message == "Invoiced orders cannot be changed"
    assert "StackTrace" not in order.APIException.model_dump()


def test_models_are_immutable():
    product = Product.model_validate({"Id": 1})
    with pytest.raises(pydantic.ValidationError):
        product.Id = 2  # type: ignore[misc]


def test_order_status_uses_the_service_names():
    assert OrderStatus.parse("OrderState_Sent") is OrderStatus.SENT
    assert OrderStatus.parse(OrderStatus.CONFIRMED) is OrderStatus.CONFIRMED
    with pytest.raises(ValueError, match="OrderState_Sent"):
        OrderStatus.parse("Sent")
    assert InvoiceOrder.model_validate({"OrderStatus": "Invoiced"}).OrderStatus is OrderStatus.INVOICED
    with pytest.raises(pydantic.ValidationError):
        InvoiceOrder.model_validate({"OrderStatus": "Sent"})


def test_company_type_and_contacts():
    company = Company.model_validate({"Id": 3, "Type": "Supplier", "PhoneNumbers": {"Work": {"Value": "+47 1"}},
                                      "EmailAddresses": {"Invoice": {"Value": "ap@example.com"}}})
    assert company.Type is CompanyType.SUPPLIER
    assert company.PhoneNumbers.Work.Value == "+47 1"
    assert company.EmailAddresses.Invoice.Value == "ap@example.com"


def test_return_properties_are_exactly_the_mapped_fields():
    assert set(PRODUCT_RETURN_PROPERTIES) == set(Product.model_fields) - {"APIException"}
    assert set(INVOICE_RETURN_PROPERTIES) >= {"OrderId", "OrderStatus", "Addresses", "InvoiceRows", "DeliveryMethod",
                                             "DateChanged", "CustomerDeliveryPhone", "InvoiceEmailAddress"}
    assert set(ROW_RETURN_PROPERTIES) == {"ProductId", "RowId", "Quantity", "Price", "Name", "ProductNo",
                                          "QuantityDelivered", "QuantityRest", "Type"}
    assert set(COMPANY_RETURN_PROPERTIES) == {"Id", "Name", "Type", "Addresses", "PhoneNumbers", "EmailAddresses",
                                              "DateChanged"}


def test_changed_after_steps_back_a_second_in_utc():
    oslo = timezone(timedelta(hours=2))
    since = datetime(2024, 5, 1, 14, 0, 0, 400_000, tzinfo=oslo)
    assert changed_after(since) == datetime(2024, 5, 1, 11, 59, 59, 400_000, tzinfo=timezone.utc)
    assert changed_after(since).tzinfo == timezone.utc
    with pytest.raises(ValueError, match="timezone-aware"):
        changed_after(datetime(2024, 5, 1, 12, 0))


def test_password_never_shows_in_the_connection_repr():
    connection = ErpConnection(application_id="11111111-1111-1111-1111-111111111111",
                               username="demo@example.com", password="demo-password")
    assert "demo-password" not in repr(connection) and "demo-password" not in str(connection)
    assert "demo-password" not in connection.model_dump_json()
