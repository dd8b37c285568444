"""More goods owners in the warehouse of one WMS sandbox (a 3PL's): each its own login, data, faults.

`POST /_sandbox/goods-owners` with `{"goods_owner_code": "ACME"}` (and, optionally, `username`,
`password` and `demo`: `{"article_prefix": "ACME", "first_order_id": 1001}`) makes a goods owner and
answers its login; what is left out is generated. Every request carries GoodsOwnerCode, UserName and
Password, as the real service's do: the code picks the goods owner, whose own user and password must
match, or the request is refused as a wrong login.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Mapping

from lxml import etree

from sync_pipeline.sandbox.demo_flavour import DemoFlavour
from sync_pipeline.sandbox.server import AdminError, SandboxSystem
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.tenants import TenantRecords, checked_name, child_text, optional_text, refuse_unknown
from sync_pipeline.sandbox.wms.credentials import Credentials
from sync_pipeline.sandbox.wms.system import WmsSandbox

GOODS_OWNER_FIELDS = ("goods_owner_code", "username", "password", "demo")


class GoodsOwners:
    """The Tenancy of the WMS sandbox: its goods owners besides the default one, by goods owner code."""

    collection = "goods-owners"

    def __init__(self, path: Path | None, default: Credentials = Credentials()):
        self._path = path  # the state file the goods owners' data and their record are kept in; None: memory
        self._default = default
        self._records = TenantRecords(path, namespace="wms-goods-owners:", kind="goods_owner")

    def kept(self) -> dict[str, SandboxSystem]:
        return {record["goods_owner_code"]: self._system(record) for record in self._records.all()}

    def create(self, body: Any, taken: Mapping[str, SandboxSystem]) -> tuple[str, SandboxSystem, dict[str, Any]]:
        body = refuse_unknown(body, GOODS_OWNER_FIELDS, "goods owner")
        code = checked_name(body.get("goods_owner_code"), "goods_owner_code")
        if code in taken or code == self._default.goods_owner_code:
            raise AdminError(f"goods owner {code!r} exists already", 409)
        record = {
            "goods_owner_code": code,
            "username": optional_text(body, "username") or f"{code.lower()}-api",
            "password": optional_text(body, "password") or secrets.token_urlsafe(18),
        }
        try:
            record["demo"] = DemoFlavour.from_json(body.get("demo"), DemoFlavour.for_tenant(code)).as_json()
        except (TypeError, ValueError) as exc:
            raise AdminError(str(exc)) from exc
        self._records.add(code, record)
        return code, self._system(record), record

    def describe(self, system: SandboxSystem) -> dict[str, Any]:
        credentials = _wms(system).credentials
        return {"goods_owner_code": credentials.goods_owner_code, "username": credentials.username}

    def owner(self, operation: str, request: etree._Element, cookies: Mapping[str, str],
              tenants: Mapping[str, SandboxSystem]) -> str | None:
        code = child_text(request, "GoodsOwnerCode")
        return code if code in tenants else None  # another code is the default's, or nobody's (a wrong login)

    def _system(self, record: dict[str, Any]) -> WmsSandbox:
        credentials = Credentials(goods_owner_code=record["goods_owner_code"], username=record["username"],
                                  password=record["password"])
        store = Store(self._path, namespace=f"wms@{record['goods_owner_code']}:")
        return WmsSandbox(store, credentials=credentials, demo=DemoFlavour(**record["demo"]))


def _wms(system: SandboxSystem) -> WmsSandbox:
    assert isinstance(system, WmsSandbox)  # the only system GoodsOwners makes
    return system
