"""Fixtures for the WMS sandbox tests: sandboxes with a controllable clock or write wait, and clients."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

import pytest

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.wms import WmsSandbox
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing


class Clock:
    """A UTC clock the test moves by hand."""

    def __init__(self, start: datetime):
        self.moment = start

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment


@pytest.fixture
def ongoing(wms_server: SandboxServer) -> Ongoing:
    return Ongoing(wms_server.url)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(timezone.utc).replace(microsecond=0))


@pytest.fixture
def start_wms() -> Iterator[Callable[..., SandboxServer]]:
    """Start a WMS sandbox with non-default settings: start_wms(write_wait_seconds=0.3, now=clock.now)."""
    servers: list[SandboxServer] = []

    def start(**settings: Any) -> SandboxServer:
        server = SandboxServer(WmsSandbox(Store(), **settings), port=0).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def clocked(start_wms: Callable[..., SandboxServer], clock: Clock) -> tuple[Ongoing, Admin, Clock]:
    server = start_wms(now=clock.now)
    return Ongoing(server.url), Admin(server.url), clock
