"""Whatever a client writes is kept and read back, and the demo records carry the everyday optional fields.

SaveInvoices is sent with a value in EVERY element of the real InvoiceOrder and InvoiceRow
(samples.py) by a client of the real description (requests and replies checked against it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zeep.helpers import serialize_object

from sync_pipeline.sandbox.erp.invoices import Orders
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient
from sync_pipeline_tests.sandbox.samples import sample

INVOICES = "24sevenoffice/invoiceService.wsdl"
MAINTAINED = {"DateChanged", "APIException", "OrderTotalIncVat", "OrderTotalVat"}  # the service sets these


def contained(expected: Any, actual: Any) -> list[str]:
    """Where `actual` differs from `expected` (every value of `expected` must be in `actual`)."""
    if isinstance(expected, dict):
        return [f"{name}.{where}" if where else name for name, value in expected.items()
                for where in (contained(value, (actual or {}).get(name)) or [])]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [""]
        return [where for item, got in zip(expected, actual) for where in contained(item, got)]
    return [] if expected == actual else [""]


def test_every_element_of_a_saved_order_is_kept_and_read_back(erp: ErpClient, erp_admin: Admin) -> None:
    erp_admin.post("orders", {"OrderId": 1, "CustomerId": 3, "OrderStatus": "Confirmed"})
    written = {name: value for name, value in sample(INVOICES, "InvoiceOrder").items() if name not in MAINTAINED}
    written.update(OrderId=1, OrderStatus="Confirmed")

    (result,) = erp.invoices.SaveInvoices(invoices={"InvoiceOrder": [written]})

    assert result.APIException is None
    properties, rows = list(Orders.shape.fields), list(Orders.row_shape.fields)
    (read,) = erp.invoices_by(properties, rows, OrderIds={"int": [1]})
    kept = {**written, "InvoiceRows": {"InvoiceRow": [  # a row's ChangeState says what to do with it: not kept
        {name: value for name, value in row.items() if name != "ChangeState"}
        for row in written["InvoiceRows"]["InvoiceRow"]]}}
    assert contained(kept, serialize_object(read, dict)) == []


def test_demo_products_carry_costs_vat_and_the_suppliers_codes(demo: ErpClient) -> None:
    products = demo.products_by("No", "Cost", "TaxRate", "SupplierProductCode", "DescriptionLong", "CategoryId",
                                "StockLocation")

    assert len(products) == 24
    assert all(p.Cost > 0 and p.TaxRate == 25 and p.SupplierProductCode and p.DescriptionLong and p.StockLocation
               for p in products)
    assert {p.CategoryId for p in products} == {1, 2, 3}
    assert [p.No for p in demo.products_by("No", CategoryId=1)][:2] == ["SKU-1001", "SKU-1004"]


def test_demo_orders_carry_dates_terms_references_currency_and_totals(demo: ErpClient) -> None:
    orders = demo.invoices_by(["OrderId", "DateOrdered", "PaymentTime", "CustomerReferenceNo", "Currency",
                               "OrderTotalIncVat", "OrderTotalVat", "InvoiceText", "InvoiceRows"],
                              ["Price", "Quantity", "VatRate", "DiscountRate", "Type", "InPrice"])

    assert len(orders) == 10
    for found in orders:
        assert found.DateOrdered and found.PaymentTime and found.CustomerReferenceNo and found.InvoiceText
        assert (found.Currency.Symbol, found.Currency.Rate) == ("NOK", Decimal(1))
        rows = found.InvoiceRows.InvoiceRow
        assert all(row.VatRate == 25 and row.Type == "Normal" and row.InPrice for row in rows)
        net = sum(row.Price * row.Quantity * (1 - row.DiscountRate / 100) for row in rows)
        assert (found.OrderTotalVat, found.OrderTotalIncVat) == (
            (net / 4).quantize(Decimal("0.01")), (net * Decimal("1.25")).quantize(Decimal("0.01")))


def test_demo_companies_carry_organisation_numbers_and_countries(demo: ErpClient) -> None:
    companies = {c.Id: c for c in demo.companies.GetCompanies(
        searchParams={}, returnProperties={"string": ["Id", "Type", "OrganizationNumber", "VatNumber", "Country",
                                                      "PaymentTime"]})}

    assert {c.Country for c in companies.values()} == {"NO", "SE"}
    businesses = [c for c in companies.values() if c.Type in ("Business", "Supplier")]
    assert businesses and all(c.OrganizationNumber and c.PaymentTime for c in businesses)
    assert all(c.OrganizationNumber is None for c in companies.values() if c.Type == "Consumer")
