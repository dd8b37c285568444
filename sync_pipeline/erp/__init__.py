"""The 24SevenOffice (ERP) client: connection settings, models and the client itself."""

from sync_pipeline.erp.client import (
    COMPANY_RETURN_PROPERTIES,
    INVOICE_RETURN_PROPERTIES,
    MAX_IDS_PER_CALL,
    PRODUCT_RETURN_PROPERTIES,
    ROW_RETURN_PROPERTIES,
    ErpClient,
    changed_after,
)
from sync_pipeline.erp.connection import DEFAULT_BASE_URL, ErpConnection
from sync_pipeline.erp.models import (
    Address,
    Addresses,
    ApiException,
    Company,
    CompanyType,
    DeliveryMethod,
    EmailAddress,
    EmailAddresses,
    InvoiceOrder,
    InvoiceRow,
    OrderStatus,
    PhoneNumber,
    PhoneNumbers,
    Product,
)
from sync_pipeline.erp.sentinels import is_not_set, none_if_not_set
from sync_pipeline.erp.services import ErpService
from sync_pipeline.erp.session import ErpSession

__all__ = [
    "COMPANY_RETURN_PROPERTIES",
    "DEFAULT_BASE_URL",
    "INVOICE_RETURN_PROPERTIES",
    "MAX_IDS_PER_CALL",
    "PRODUCT_RETURN_PROPERTIES",
    "ROW_RETURN_PROPERTIES",
    "Address",
    "Addresses",
    "ApiException",
    "Company",
    "CompanyType",
    "DeliveryMethod",
    "EmailAddress",
    "EmailAddresses",
    "ErpClient",
    "ErpConnection",
    "ErpService",
    "ErpSession",
    "InvoiceOrder",
    "InvoiceRow",
    "OrderStatus",
    "PhoneNumber",
    "PhoneNumbers",
    "Product",
    "changed_after",
    "is_not_set",
    "none_if_not_set",
]
