"""Sandboxes hosting many tenants, driven as a test or an operator would: the admin API over HTTP,
and the project's own ErpClient and WmsClient over real SOAP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import requests
from pydantic import SecretStr

from sync_pipeline.erp.client import ErpClient
from sync_pipeline.erp.connection import ErpConnection
from sync_pipeline.sandbox.main import start
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.wms.system import WAREHOUSE
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.wms.client import WmsClient
from sync_pipeline.wms.connection import WmsConnection

ONE_TRY = RetryPolicy(attempts=1)


@dataclass
class Sandboxes:
    erp: SandboxServer
    wms: SandboxServer
    _logins: dict[str, dict[str, Any]] = field(default_factory=dict)

    def admin(self, system: str, method: str, route: str, body: Any = None, expect: int = 200) -> Any:
        server = self.erp if system == "erp" else self.wms
        reply = requests.request(method, f"{server.url}/_sandbox/{route}", json=body, timeout=10)
        assert reply.status_code == expect, reply.text
        return reply.json()

    def new_client(self, name: str, **given: Any) -> dict[str, Any]:
        made: dict[str, Any] = self.admin("erp", "POST", "clients", {"name": name, **given})
        self._logins[name] = made
        return made

    def credentials_of(self, client: str) -> dict[str, Any]:
        """What creating the client answered."""
        return self._logins[client]

    def new_goods_owner(self, code: str, **given: Any) -> dict[str, Any]:
        return self.admin("wms", "POST", "goods-owners", {"goods_owner_code": code, **given})

    def erp_client(self, credentials: dict[str, Any], retry: RetryPolicy = ONE_TRY) -> ErpClient:
        return ErpClient(ErpConnection(base_url=self.erp.url, application_id=credentials["application_id"],
                                       username=credentials["username"], password=SecretStr(credentials["password"]),
                                       identity_id=credentials.get("identity_id"), timeout=10, retry=retry))

    def wms_client(self, login: dict[str, Any], password: str | None = None, retry: RetryPolicy = ONE_TRY) -> WmsClient:
        return WmsClient(WmsConnection(base_url=f"{self.wms.url}/{WAREHOUSE}", goods_owner_code=login["goods_owner_code"],
                                       username=login["username"], password=SecretStr(password or login["password"]),
                                       timeout=10, retry=retry))


def serve(state: str | None = None, seed_demo: bool = False) -> Iterator[Sandboxes]:
    erp, wms = start("127.0.0.1", 0, 0, state=state, seed_demo=seed_demo)
    try:
        yield Sandboxes(erp, wms)
    finally:
        erp.stop()
        wms.stop()
