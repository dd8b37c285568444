"""Fixtures of the ERP sandbox tests: sandboxes on free ports, and logged-in clients of them.

The servers live for the whole run and are reset before each test (starting and stopping one costs
half a second), so every test still begins with an empty sandbox, no faults and an empty call log.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterator

import pytest

from sync_pipeline.sandbox.erp import ErpSandbox
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline_tests.sandbox.erp.support import ErpClient, FakeClock

CLOCK_START = datetime(2025, 3, 1, 12, 0, 0, 400_000, tzinfo=timezone.utc)


def _serve(system: ErpSandbox) -> Iterator[SandboxServer]:
    server = SandboxServer(system, port=0).start()
    try:
        yield server
    finally:
        server.stop()


def _reset(server: SandboxServer) -> SandboxServer:
    server.admin("POST", "/_sandbox/reset", None)  # data, sessions, faults and call log
    return server


@pytest.fixture(scope="session")
def _shared_erp_server() -> Iterator[SandboxServer]:
    yield from _serve(ErpSandbox(Store()))


@pytest.fixture
def erp_server(_shared_erp_server: SandboxServer) -> SandboxServer:
    """An empty ERP sandbox (replaces the project-wide fixture of the same name for these tests)."""
    return _reset(_shared_erp_server)


@pytest.fixture(scope="session")
def _shared_clock() -> FakeClock:
    return FakeClock(CLOCK_START)


@pytest.fixture(scope="session")
def _shared_clocked_server(_shared_clock: FakeClock) -> Iterator[SandboxServer]:
    yield from _serve(ErpSandbox(Store(), session_ttl_seconds=60, now=_shared_clock))


@pytest.fixture
def clock(_shared_clock: FakeClock) -> FakeClock:
    """The time of `clocked_server`, at CLOCK_START when the test begins."""
    _shared_clock.moment = CLOCK_START
    return _shared_clock


@pytest.fixture
def clocked_server(_shared_clocked_server: SandboxServer, clock: FakeClock) -> SandboxServer:
    """An empty ERP sandbox whose time the test moves, with sessions that die after 60 s idle."""
    return _reset(_shared_clocked_server)


@pytest.fixture(scope="session")
def _shared_demo_server() -> Iterator[SandboxServer]:
    yield from _serve(ErpSandbox(Store(namespace="erp:")))


@pytest.fixture
def demo_server(_shared_demo_server: SandboxServer) -> SandboxServer:
    """An ERP sandbox holding just the demo data."""
    _reset(_shared_demo_server).system.seed_demo()
    return _shared_demo_server


@pytest.fixture
def erp(erp_server: SandboxServer) -> ErpClient:
    """A logged-in client of the empty ERP sandbox."""
    client = ErpClient(erp_server.url)
    assert client.login()
    return client


@pytest.fixture
def demo(demo_server: SandboxServer) -> ErpClient:
    """A logged-in client of the demo ERP sandbox."""
    client = ErpClient(demo_server.url)
    assert client.login()
    return client
