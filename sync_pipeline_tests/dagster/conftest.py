"""Fixtures for the Dagster layer: seeded sandboxes and the environment pointing at them."""

from __future__ import annotations

from typing import Iterator

import dagster as dg
import pytest

from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.sandbox.main import start
from sync_pipeline_tests.conftest import Admin


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


def run_job(name: str, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    from sync_pipeline.definitions import build_definitions

    defs = build_definitions()
    return defs.resolve_job_def(name).execute_in_process(instance=instance, raise_on_error=False)


def materialization_metadata(instance: dg.DagsterInstance, asset: str) -> dict:
    event = instance.get_latest_materialization_event(dg.AssetKey(asset))
    assert event is not None, f"{asset} was never materialized"
    return {key: value.value for key, value in event.asset_materialization.metadata.items()}
