"""Many merchants in one deployment: the tenants file, each merchant's settings, clients and ledger."""

from sync_pipeline.tenants.file import TenantsError, load_tenants
from sync_pipeline.tenants.merchant import Merchant, Merchants

__all__ = ["Merchant", "Merchants", "TenantsError", "load_tenants"]
