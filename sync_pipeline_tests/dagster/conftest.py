"""Fixtures for the Dagster layer: seeded sandboxes and the environment pointing at them."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import dagster as dg
import pytest
from dagster._core.storage.tags import SCHEDULE_NAME_TAG

from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.sandbox.main import start
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.tenants.fixtures import merchants  # noqa: F401 - a fixture: merchants side by side

TOKEN = "t0ken-SECRET-9c1f"  # in the webhook's address: no alert or log may show it


class Stack:
    def __init__(self, erp, wms):
        self.erp, self.wms = erp, wms
        self.erp_admin, self.wms_admin = Admin(erp.url), Admin(wms.url)


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    erp, wms = start("127.0.0.1", 0, 0, state=None, seed_demo=True)
    for name, value in sandbox_environment(erp.url, wms.url).items():
        monkeypatch.setenv(name, value)
    for name in ("SYNC_ARTICLES", "SYNC_ORDERS", "SYNC_SUPPLIERS", "SYNC_STOCK", "SYNC_IMPORTED_ERP_STATUS",
                 "SYNC_ALERT_WEBHOOK_URL", "SYNC_STOCK_BASIS", "SYNC_EXTRA_FIELDS"):
        monkeypatch.delenv(name, raising=False)
    yield Stack(erp, wms)
    erp.stop()
    wms.stop()


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


# A run a schedule starts carries its name (the process assets then read their changes, not everything).
SCHEDULED = {SCHEDULE_NAME_TAG: "sync_every_interval"}


def run_job(name: str, instance: dg.DagsterInstance, *, by_hand: bool = False) -> dg.ExecuteInProcessResult:
    """Run a job as its schedule does (by_hand: as an operator launching it, which resyncs)."""
    from sync_pipeline.definitions import build_definitions

    defs = build_definitions()
    return defs.resolve_job_def(name).execute_in_process(instance=instance, raise_on_error=False,
                                                         tags=None if by_hand else SCHEDULED)


def materialization_metadata(instance: dg.DagsterInstance, asset: str) -> dict:
    event = instance.get_latest_materialization_event(dg.AssetKey(asset))
    assert event is not None, f"{asset} was never materialized"
    return {key: value.value for key, value in event.asset_materialization.metadata.items()}


class Sensors:
    """The code location's sensors, ticked against the instance as the daemon does."""

    def __init__(self, instance: dg.DagsterInstance, *names: str):
        from sync_pipeline.definitions import build_definitions  # reads the settings: import late

        self.defs, self.instance = build_definitions(), instance
        self.cursors = dict.fromkeys(names)
        self.tick()  # the first tick only sets the cursors: what happened before is not alerted

    def tick(self) -> None:
        for name, cursor in self.cursors.items():
            context = dg.build_sensor_context(instance=self.instance, cursor=cursor, definitions=self.defs)
            self.cursors[name] = self.defs.resolve_sensor_def(name).evaluate_tick(context).cursor

    def run(self, job: str, partition: str | None = None) -> dg.ExecuteInProcessResult:
        return self.defs.resolve_job_def(job).execute_in_process(instance=self.instance, partition_key=partition,
                                                                 tags=SCHEDULED,
                                                                 raise_on_error=False)


class Webhook:
    """A local HTTP receiver: what it was sent, and the status it answers with."""

    def __init__(self, status: int = 200):
        self.received: list[dict] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                          "json": json.loads(body)})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/{TOKEN}"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def webhook(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhook]:
    receiver = Webhook()
    monkeypatch.setenv("SYNC_ALERT_WEBHOOK_URL", receiver.url)
    yield receiver
    receiver.stop()
