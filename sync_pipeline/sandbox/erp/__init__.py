"""The simulated 24SevenOffice ERP (Authenticate, ProductService, InvoiceService, CompanyService)."""

from sync_pipeline.sandbox.erp.system import ErpSandbox

__all__ = ["ErpSandbox"]
