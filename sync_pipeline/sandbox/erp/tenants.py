"""More 24SevenOffice clients in one ERP sandbox: each its own login, data and sessions.

`POST /_sandbox/clients` with `{"name": "acme"}` (and, optionally, `application_id`, `username`,
`password`, `identity_id`, and `demo`: `{"article_prefix": "ACME", "first_order_id": 1001}`) makes a
client and answers its credentials; what is left out is generated. Login picks the client whose
application id, username and password it carries; the session it opens belongs to that client, and
every call made with it reads and writes that client's data only.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path
from typing import Any, Mapping

from lxml import etree

from sync_pipeline.sandbox.demo_flavour import DemoFlavour
from sync_pipeline.sandbox.erp.auth import SESSION_COOKIE, Credentials
from sync_pipeline.sandbox.erp.system import ErpSandbox
from sync_pipeline.sandbox.server import AdminError, SandboxSystem
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.tenants import TenantRecords, checked_name, child_text, optional_text, refuse_unknown

CLIENT_FIELDS = ("name", "application_id", "username", "password", "identity_id", "demo")


class ErpClients:
    """The Tenancy of the ERP sandbox: its clients besides the default one."""

    collection = "clients"

    def __init__(self, path: Path | None, default: Credentials = Credentials()):
        self._path = path  # the state file the clients' data and their record are kept in; None: memory
        self._default = default
        self._records = TenantRecords(path, namespace="erp-clients:", kind="client")

    def kept(self) -> dict[str, SandboxSystem]:
        return {record["name"]: self._system(record) for record in self._records.all()}

    def create(self, body: Any, taken: Mapping[str, SandboxSystem]) -> tuple[str, SandboxSystem, dict[str, Any]]:
        body = refuse_unknown(body, CLIENT_FIELDS, "client")
        name = checked_name(body.get("name"), "name")
        if name in taken:
            raise AdminError(f"client {name!r} exists already", 409)
        record = {
            "name": name,
            "application_id": _uuid(body.get("application_id"), "application_id"),
            "username": optional_text(body, "username") or f"{name.lower()}@api.example",
            "password": optional_text(body, "password") or secrets.token_urlsafe(18),
            "identity_id": _uuid(body.get("identity_id"), "identity_id"),
        }
        try:
            record["demo"] = DemoFlavour.from_json(body.get("demo"), DemoFlavour.for_tenant(name)).as_json()
        except (TypeError, ValueError) as exc:
            raise AdminError(str(exc)) from exc
        credentials = _credentials(record)
        for other_name, other in [("the default client", self._default),
                                  *((f"client {n!r}", _erp(s).credentials) for n, s in taken.items())]:
            if (other.application_id.lower(), other.username.lower()) == (credentials.application_id.lower(),
                                                                          credentials.username.lower()):
                raise AdminError(f"{other_name} has this application id and username already", 409)
        self._records.add(name, record)
        return name, self._system(record), record

    def describe(self, system: SandboxSystem) -> dict[str, Any]:
        credentials = _erp(system).credentials
        return {"application_id": credentials.application_id, "username": credentials.username,
                "identity_id": credentials.identity_id}

    def owner(self, operation: str, request: etree._Element, cookies: Mapping[str, str],
              tenants: Mapping[str, SandboxSystem]) -> str | None:
        if operation == "Login":
            sent = {field: child_text(request, "credential", field) for field in ("ApplicationId", "Username", "Password")}
            if self._default.accepts(sent):
                return None
            return next((name for name, system in tenants.items() if _erp(system).credentials.accepts(sent)), None)
        session = cookies.get(SESSION_COOKIE)
        if not session:
            return None
        return next((name for name, system in tenants.items() if _erp(system).sessions.issued(session)), None)

    def _system(self, record: dict[str, Any]) -> ErpSandbox:
        store = Store(self._path, namespace=f"erp@{record['name']}:")
        return ErpSandbox(store, credentials=_credentials(record), demo=DemoFlavour(**record["demo"]))


def _erp(system: SandboxSystem) -> ErpSandbox:
    assert isinstance(system, ErpSandbox)  # the only system ErpClients makes
    return system


def _credentials(record: dict[str, Any]) -> Credentials:
    return Credentials(application_id=record["application_id"], username=record["username"],
                       password=record["password"], identity_id=record["identity_id"])


def _uuid(value: Any, field: str) -> str:
    if value is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise AdminError(f"{field}: expected a UUID, got {value!r}") from None
