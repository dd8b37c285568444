"""The demo's merchants: each an ERP client and a goods owner of the sandboxes, with their own demo
data, and the tenants file (docs/tenants.md's format) that points the pipeline at them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from sync_pipeline.sandbox.erp import ErpSandbox
from sync_pipeline.sandbox.server import SandboxServer, SandboxSystem
from sync_pipeline.sandbox.wms import WmsSandbox
from sync_pipeline.sandbox.wms.system import WAREHOUSE


@dataclass(frozen=True)
class DemoMerchant:
    key: str  # the merchant's key in the tenants file: its ERP client's name
    erp: ErpSandbox
    wms: WmsSandbox

    @property
    def erp_password_variable(self) -> str:
        return f"{self.key.upper()}_SO24_PASSWORD"

    @property
    def wms_password_variable(self) -> str:
        return f"{self.key.upper()}_ONGOING_PASSWORD"


def merchant_key(number: int) -> str:
    return f"merchant_{number}"


def ensure_demo_merchants(erp: SandboxServer, wms: SandboxServer, count: int) -> list[DemoMerchant]:
    """merchant_1 … merchant_<count>, each an ERP client and a goods owner (MERCHANT_<n>) with the demo
    data under its own article numbers (M<n>-1001 …) and order ids (<n>001 …). Made and seeded only if
    the sandboxes do not hold them yet: a restart keeps what the demo's runs wrote."""
    merchants = []
    for number in range(1, count + 1):
        key = merchant_key(number)
        demo = {"article_prefix": f"M{number}", "first_order_id": 1000 * number + 1}
        new_client, new_owner = key not in erp.tenants, key.upper() not in wms.tenants
        if new_client:
            erp.add_tenant({"name": key, "demo": demo})
        if new_owner:
            wms.add_tenant({"goods_owner_code": key.upper(), "demo": demo})
        merchant = DemoMerchant(key, _erp(erp.tenant(key).system), _wms(wms.tenant(key.upper()).system))
        if new_client:
            merchant.erp.seed_demo()
        if new_owner:
            merchant.wms.seed_demo()
        merchants.append(merchant)
    return merchants


def _erp(system: SandboxSystem) -> ErpSandbox:
    assert isinstance(system, ErpSandbox)
    return system


def _wms(system: SandboxSystem) -> WmsSandbox:
    assert isinstance(system, WmsSandbox)
    return system


def tenants_file(merchants: list[DemoMerchant], erp_url: str, wms_url: str) -> str:
    """The tenants file of the merchants: passwords by environment variable (see password_environment)."""
    entries: dict[str, Any] = {}
    for merchant in merchants:
        erp, wms = merchant.erp.credentials, merchant.wms.credentials
        entries[merchant.key] = {
            "erp": {"base_url": erp_url, "application_id": erp.application_id, "username": erp.username,
                    "password": {"env": merchant.erp_password_variable}, "identity_id": erp.identity_id},
            "wms": {"base_url": f"{wms_url}/{WAREHOUSE}", "goods_owner_code": wms.goods_owner_code,
                    "username": wms.username, "password": {"env": merchant.wms_password_variable}},
        }
    header = "# Written by `sync-pipeline demo --merchants`: the demo sandboxes' merchants (docs/tenants.md).\n"
    return header + yaml.safe_dump({"merchants": entries}, sort_keys=False)


def password_environment(merchants: list[DemoMerchant]) -> dict[str, str]:
    """The variables the tenants file names, with the merchants' passwords."""
    environment = {}
    for merchant in merchants:
        environment[merchant.erp_password_variable] = merchant.erp.credentials.password
        environment[merchant.wms_password_variable] = merchant.wms.credentials.password
    return environment


def merchants_banner(merchants: list[DemoMerchant]) -> str:
    """Each merchant's logins, as printed at start."""
    lines = []
    for merchant in merchants:
        erp, wms = merchant.erp.credentials, merchant.wms.credentials
        lines += [f"Merchant {merchant.key} (articles {merchant.erp.demo.article_prefix}-1001…, "
                  f"orders {merchant.erp.demo.first_order_id}…)",
                  f"  24SevenOffice  ApplicationId {erp.application_id}  Username {erp.username}  "
                  f"Password {erp.password}",
                  f"  Ongoing WMS    GoodsOwnerCode {wms.goods_owner_code}  UserName {wms.username}  "
                  f"Password {wms.password}",
                  f"  Admin API: /_sandbox/clients/{merchant.key}/… and /_sandbox/goods-owners/{wms.goods_owner_code}/…"]
    return "\n".join(lines)
