"""A client of the ERP sandbox built from the vendor's REAL service descriptions, and a hand-moved clock.

Every request and every reply of these clients is validated against the real schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests
import zeep
from zeep.transports import Transport

from sync_pipeline_tests.contracts.real import RealSchemaValidator, contracts_dir

APPLICATION_ID = "11111111-1111-1111-1111-111111111111"
USERNAME = "demo@example.com"
PASSWORD = "demo-password"

# service name -> (real description under contracts/, path on the sandbox)
SERVICES = {
    "auth": ("24sevenoffice/authService.wsdl", "/authenticate/v001/authenticate.asmx"),
    "products": ("24sevenoffice/productService.wsdl", "/Logistics/Product/V001/ProductService.asmx"),
    "invoices": ("24sevenoffice/invoiceService.wsdl", "/Economy/InvoiceOrder/V001/InvoiceService.asmx"),
    "companies": ("24sevenoffice/companyService.wsdl", "/CRM/Company/V001/CompanyService.asmx"),
}


@dataclass
class ErpClient:
    """One API user: a cookie jar shared by a zeep client per service."""

    base_url: str
    timeout: float = 5.0
    http: requests.Session = field(default_factory=requests.Session)
    validators: list[RealSchemaValidator] = field(default_factory=list)
    # One service proxy per SERVICES entry, set in __post_init__.
    auth: Any = field(init=False)
    products: Any = field(init=False)
    invoices: Any = field(init=False)
    companies: Any = field(init=False)

    def __post_init__(self) -> None:
        for name, (real, path) in SERVICES.items():
            validator = RealSchemaValidator(contracts_dir() / real, validate_replies=True)
            self.validators.append(validator)
            client = zeep.Client(
                str(contracts_dir() / real),
                settings=zeep.Settings(strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True),
                transport=Transport(session=self.http, timeout=self.timeout, operation_timeout=self.timeout),
                plugins=[validator],
            )
            binding = next(b for b in client.wsdl.bindings if b.endswith("Soap"))
            setattr(self, name, client.create_service(binding, self.base_url + path))

    def login(self, password: str = PASSWORD, identity: str | None = None) -> str:
        credential = {"ApplicationId": APPLICATION_ID, "Username": USERNAME, "Password": password}
        if identity is not None:
            credential["IdentityId"] = identity
        return self.auth.Login(credential=credential)

    def products_by(self, *properties: str, **search: Any) -> list[Any]:
        return self.products.GetProducts(searchParams=search, returnProperties={"string": list(properties)}) or []

    def invoices_by(self, properties: list[str], rows: list[str] | None = None, **search: Any) -> list[Any]:
        reply = self.invoices.GetInvoices(searchParams=search, invoiceReturnProperties={"string": properties},
                                          rowReturnProperties={"string": rows or []})
        return reply or []

    def post_raw(self, service: str, body_child: str) -> requests.Response:
        """POST a hand-written request (with this client's cookies), bypassing zeep and schema checks."""
        envelope = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                    f"{body_child}</soap:Body></soap:Envelope>")
        return self.http.post(self.base_url + SERVICES[service][1], data=envelope.encode(),
                              headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=self.timeout)

    def replies_validated(self) -> list[str]:
        return [name for validator in self.validators for name in validator.validated_replies]


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime):
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)
