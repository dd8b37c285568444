"""The four 24SevenOffice web services the pipeline uses: where they live and their descriptions."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

WSDL_DIR = Path(__file__).resolve().parent / "wsdl"


class ErpService(Enum):
    """One SOAP service: (our subset description, path on the 24SevenOffice host)."""

    AUTHENTICATE = ("authenticate.wsdl", "/authenticate/v001/authenticate.asmx")
    PRODUCT = ("product.wsdl", "/Logistics/Product/V001/ProductService.asmx")
    INVOICE = ("invoice.wsdl", "/Economy/InvoiceOrder/V001/InvoiceService.asmx")
    COMPANY = ("company.wsdl", "/CRM/Company/V001/CompanyService.asmx")

    @property
    def wsdl(self) -> Path:
        return WSDL_DIR / self.value[0]

    @property
    def path(self) -> str:
        return self.value[1]
