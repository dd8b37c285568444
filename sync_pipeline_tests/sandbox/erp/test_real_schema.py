"""Every reply of the ERP sandbox matches the vendor's real schema, with every field filled in."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sync_pipeline.sandbox.erp.shapes import COMPANY_WSDL, INVOICE_WSDL, PRODUCT_WSDL, shape_of
from sync_pipeline_tests.contracts.real import contracts_dir, validate_envelope
from sync_pipeline_tests.sandbox.erp.support import ErpClient

ALL_OPERATIONS = {"Login", "HasSession", "GetProducts", "SetStockQuantity", "GetOrderSyncList", "GetInvoices",
                  "SaveInvoices", "GetCompanies"}


def every_field(wsdl, type_name: str) -> list[str]:
    return list(shape_of(wsdl, type_name).fields)


def test_every_operation_replies_within_the_real_schema(demo: ErpClient):
    demo.auth.HasSession()
    products = demo.products_by(*every_field(PRODUCT_WSDL, "Product"))
    assert products[0].Weight is not None and products[0].DateChanged is not None
    assert demo.products.SetStockQuantity(productId=1, stockQuantity=Decimal("3")) is True
    ids = demo.invoices.GetOrderSyncList(syncParams={"ChangedAfter": datetime(2000, 1, 1),
                                                     "RegisteredAfter": datetime(1, 1, 1)})
    orders = demo.invoices_by(every_field(INVOICE_WSDL, "InvoiceOrder"), every_field(INVOICE_WSDL, "InvoiceRow"),
                              OrderIds={"int": ids})
    assert len(orders) == 10 and orders[0].Addresses.Delivery is not None
    results = demo.invoices.SaveInvoices(invoices={"InvoiceOrder": [
        {"OrderId": 1, "OrderStatus": "OrderState_Sent", "IncludeVAT": None},
        {"OrderId": 9, "OrderStatus": "OrderState_Sent", "IncludeVAT": None},  # invoiced: an APIException
    ]})
    assert results[1].APIException is not None
    companies = demo.companies.GetCompanies(searchParams={},
                                            returnProperties={"string": every_field(COMPANY_WSDL, "Company")})
    assert any(c.PhoneNumbers and c.EmailAddresses for c in companies)
    assert set(demo.replies_validated()) == ALL_OPERATIONS  # the plugin checked each reply on arrival


def test_a_refused_save_written_by_hand_still_gets_a_valid_reply(demo: ErpClient):
    reply = demo.post_raw("invoices", "<SaveInvoices xmlns='http://24sevenOffice.com/webservices'><invoices>"
                          "<InvoiceOrder><OrderId>404</OrderId><OrderStatus>Confirmed</OrderStatus>"
                          "<IncludeVAT>true</IncludeVAT></InvoiceOrder></invoices></SaveInvoices>")
    assert reply.status_code == 200
    validate_envelope(contracts_dir() / "24sevenoffice/invoiceService.wsdl", reply.content)
    assert b"Order 404 does not exist" in reply.content
