"""ERP client fixtures: a client for the running ERP sandbox whose every request is checked
against the vendor's real service description."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import zeep
from lxml import etree

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline_tests.contracts.real import RealSchemaValidator, real_wsdl

APPLICATION_ID = "11111111-1111-1111-1111-111111111111"
USERNAME = "demo@example.com"
PASSWORD = "demo-password"

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.05, max_delay=0.2, max_quarantine_wait=5.0)


class RealContracts(zeep.Plugin):
    """Validates each outgoing request against the real WSDL of the service it is sent to."""

    def __init__(self) -> None:
        self._validators: dict[str, RealSchemaValidator] = {}

    def _validator(self, operation: Any) -> RealSchemaValidator:
        ours = Path(operation.binding.wsdl.location).resolve()
        key = str(ours)
        if key not in self._validators:
            self._validators[key] = RealSchemaValidator(real_wsdl(ours))
        return self._validators[key]

    def egress(self, envelope: etree._Element, http_headers: dict, operation: Any, binding_options: Any):
        return self._validator(operation).egress(envelope, http_headers, operation, binding_options)

    def ingress(self, envelope: etree._Element, http_headers: dict, operation: Any):
        return self._validator(operation).ingress(envelope, http_headers, operation)

    @property
    def validated(self) -> list[str]:
        return [name for validator in self._validators.values() for name in validator.validated]


def connection_for(url: str, **changes: Any) -> ErpConnection:
    settings: dict[str, Any] = dict(base_url=url, application_id=APPLICATION_ID, username=USERNAME,
                                    password=PASSWORD, timeout=5.0, retry=FAST_RETRY)
    settings.update(changes)
    return ErpConnection(**settings)


@pytest.fixture
def erp_connection(erp_server) -> ErpConnection:
    return connection_for(erp_server.url)


@pytest.fixture
def real_contracts() -> RealContracts:
    return RealContracts()


@pytest.fixture
def erp_client(erp_connection: ErpConnection, real_contracts: RealContracts) -> Iterator[ErpClient]:
    with ErpClient(erp_connection, plugins=[real_contracts]) as client:
        yield client


def calls(admin, operation: str | None = None) -> list[dict[str, Any]]:
    """The sandbox's call log, optionally for one operation."""
    log = admin.get("calls")["log"]
    return [entry for entry in log if operation is None or entry["operation"] == operation]


class Sent(zeep.Plugin):
    """Keeps a copy of every request body the client sends, by operation name."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, etree._Element]] = []

    def egress(self, envelope: etree._Element, http_headers: dict, operation: Any, binding_options: Any):
        body = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
        self.bodies.append((operation.name, etree.fromstring(etree.tostring(body[0]))))
        return envelope, http_headers

    def of(self, operation: str) -> list[etree._Element]:
        return [body for name, body in self.bodies if name == operation]


def texts(element: etree._Element, local_name: str) -> list[str]:
    """Text of every descendant element with this local name, in document order."""
    return [node.text or "" for node in element.iter() if etree.QName(node).localname == local_name]
