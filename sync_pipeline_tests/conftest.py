"""Shared fixtures: each test gets freshly started sandboxes on free ports (real HTTP)."""

from __future__ import annotations

import os
from typing import Any, Iterator

import pytest
import requests

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.soap import CHECK_RENDER
from sync_pipeline.sandbox.store import Store
from sync_pipeline_tests.tiers import mark_slow_tests



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_slow_tests(items)


# Every sandbox reply of the suite (in this process and the processes it starts) is rendered both
# ways and compared (sandbox/soap.py _envelope).
os.environ[CHECK_RENDER] = "1"


class Admin:
    """The sandbox's JSON admin API, as a test would call it over HTTP."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/") + "/_sandbox/"

    def get(self, route: str) -> Any:
        reply = requests.get(self.base + route, timeout=10)
        reply.raise_for_status()
        return reply.json()

    def post(self, route: str, payload: Any = None, expect: int = 200) -> Any:
        reply = requests.post(self.base + route, json=payload, timeout=10)
        assert reply.status_code == expect, reply.text
        return reply.json()


@pytest.fixture
def erp_server() -> Iterator[SandboxServer]:
    from sync_pipeline.sandbox.erp import ErpSandbox

    server = SandboxServer(ErpSandbox(Store()), port=0).start()
    yield server
    server.stop()


@pytest.fixture
def wms_server() -> Iterator[SandboxServer]:
    from sync_pipeline.sandbox.wms import WmsSandbox

    server = SandboxServer(WmsSandbox(Store()), port=0).start()
    yield server
    server.stop()


@pytest.fixture
def erp_admin(erp_server: SandboxServer) -> Admin:
    return Admin(erp_server.url)


@pytest.fixture
def wms_admin(wms_server: SandboxServer) -> Admin:
    return Admin(wms_server.url)


@pytest.fixture(autouse=True)
def no_dagster_state_storage_left_over() -> Iterator[None]:
    """Each test starts with no Dagster definitions-state storage set.

    Entering a DagsterInstance (`with instance:`, instance_for_test) sets it in a context variable that
    disposing the instance does not reset (Dagster 1.13). A later test that loads definitions outside an
    instance of its own then reaches the earlier test's instance; once that is garbage-collected the load
    fails ("Attempted to resolve undefined DagsterInstance weakref"), depending on which tests ran before.
    """
    from dagster._core.storage.defs_state.base import set_defs_state_storage

    with set_defs_state_storage(None):
        yield

