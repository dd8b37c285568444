"""The sync processes as plain functions over real clients of freshly started sandboxes (real HTTP).

Both clients log in with the sandboxes' default credentials (README) and check every request they
send against the vendors' real service descriptions, so these tests also prove that each mapped
field travels in a message the real services would accept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

import pytest
from pydantic import SecretStr

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.contracts.real import ONGOING_2024, RealSchemaValidator, contracts_dir
from sync_pipeline_tests.erp.conftest import RealContracts

QUICK_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, max_quarantine_wait=1.0)


@pytest.fixture
def erp(erp_server: SandboxServer) -> Iterator[ErpClient]:
    connection = ErpConnection(base_url=erp_server.url, application_id="11111111-1111-1111-1111-111111111111",
                               username="demo@example.com", password=SecretStr("demo-password"),
                               timeout=10.0, retry=QUICK_RETRY)
    with ErpClient(connection, plugins=[RealContracts()]) as client:
        yield client


@pytest.fixture
def wms(wms_server: SandboxServer) -> WmsClient:
    connection = WmsConnection(base_url=wms_server.url + "/sandbox", goods_owner_code="DEMO", username="demo",
                               password=SecretStr("demo-password"), timeout=10.0, retry=QUICK_RETRY)
    return WmsClient(connection, plugins=[RealSchemaValidator(contracts_dir() / ONGOING_2024)])


# -- reading the sandboxes' admin API -------------------------------------------------------------


def calls(admin: Admin, operation: str) -> int:
    return admin.get("calls")["counts"].get(operation, 0)


def wms_articles(wms_admin: Admin) -> dict[str, dict[str, Any]]:
    return {a["ArticleNumber"]: a for a in wms_admin.get("state")["articles"]}


def wms_orders(wms_admin: Admin) -> dict[str, dict[str, Any]]:
    return {o["GoodsOwnerOrderNumber"]: o for o in wms_admin.get("state")["orders"]}


def wms_suppliers(wms_admin: Admin) -> dict[str, dict[str, Any]]:
    return {s["SupplierNumber"]: s for s in wms_admin.get("state")["suppliers"]}


def erp_orders(erp_admin: Admin) -> dict[int, dict[str, Any]]:
    return {o["OrderId"]: o for o in erp_admin.get("state")["orders"]}


def erp_stock(erp_admin: Admin) -> dict[str, Decimal]:
    return {p["No"]: Decimal(p["Stock"]) for p in erp_admin.get("state")["products"] if p.get("Stock") is not None}
