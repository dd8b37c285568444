"""WMS client fixtures: clients of the running WMS sandbox, every request checked against the real WSDL."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest
from pydantic import SecretStr

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.contracts.real import ONGOING_2024, RealSchemaValidator, contracts_dir

GOODS_OWNER = "DEMO"
USERNAME = "demo"
PASSWORD = "demo-password"
WAREHOUSE_PATH = "/sandbox"

# Fast retries for tests: the sandbox's faults are injected, not real outages.
QUICK_RETRY = RetryPolicy(attempts=8, base_delay=0.005, max_delay=0.01, max_quarantine_wait=5.0)


@pytest.fixture
def make_connection(wms_server: SandboxServer) -> Callable[..., WmsConnection]:
    def make(**overrides: Any) -> WmsConnection:
        settings: dict[str, Any] = {
            "base_url": wms_server.url + WAREHOUSE_PATH,
            "goods_owner_code": GOODS_OWNER,
            "username": USERNAME,
            "password": SecretStr(PASSWORD),
            "timeout": 5.0,
            "retry": QUICK_RETRY,
        }
        return WmsConnection(**{**settings, **overrides})

    return make


@pytest.fixture
def schema_validator() -> RealSchemaValidator:
    return RealSchemaValidator(contracts_dir() / ONGOING_2024)


@pytest.fixture
def make_client(make_connection: Callable[..., WmsConnection],
                schema_validator: RealSchemaValidator) -> Callable[..., WmsClient]:
    """A client whose every request is validated against the real 2024 service description."""

    def make(plugins: tuple = (), **overrides: Any) -> WmsClient:
        return WmsClient(make_connection(**overrides), plugins=(schema_validator, *plugins))

    return make


@pytest.fixture
def client(make_client: Callable[..., WmsClient]) -> Iterator[WmsClient]:
    yield make_client()

