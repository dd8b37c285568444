"""PF11: one sync_all cycle with every process on reads the ERP's products once, counted at the sandbox.

Articles with variants, suppliers and stock each need the whole catalogue; the steps of one run share
one read (processes/shared_reads.py), never another run's or another merchant's.
"""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest
from pydantic import SecretStr

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import ARTICLES, STOCK
from sync_pipeline.processes.selection import Delta, Everything
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.settings import load_settings
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.dagster.conftest import Stack, instance, run_job, stack  # noqa: F401 - fixtures
from sync_pipeline_tests.sync.conftest import calls, erp_stock, wms_articles, wms_suppliers


def every_process_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_VARIATIONS", "on")
    monkeypatch.setenv("SYNC_SUPPLIERS", "on")  # articles, orders, shipped and stock are on by default


def test_a_cycle_with_every_process_on_reads_the_products_once(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    every_process_on(monkeypatch)
    assert run_job("sync_all", instance).success  # the initial load: every article, supplier, balance
    supplier = next(c for c in stack.erp_admin.get("state")["companies"] if c.get("Type") == "Supplier")
    stack.erp_admin.post("products", [{"Id": 3, "Name": "Renamed in the ERP"}])
    stack.erp_admin.post("companies", [{"Id": supplier["Id"], "Name": "Supplier renamed"}])
    stack.wms_admin.post("stock", [{"ArticleNumber": "SKU-1004", "NumberOfItems": 77}])
    stack.erp_admin.post("calls/reset")

    assert run_job("sync_all", instance).success

    assert calls(stack.erp_admin, "GetProducts") == 2, "the catalogue once, and the stock write guard's re-read"
    articles = wms_articles(stack.wms_admin)
    assert articles["SKU-1003"]["ArticleName"] == "Renamed in the ERP", "the changed product reached the WMS"
    assert wms_suppliers(stack.wms_admin)[str(supplier["Id"])]["SupplierName"] == "Supplier renamed", "the supplier"
    assert erp_stock(stack.erp_admin)["SKU-1004"] == Decimal(77), "and the warehouse's stock the ERP"


def test_a_cycle_without_stock_writes_reads_the_products_once(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    every_process_on(monkeypatch)
    assert run_job("sync_all", instance).success
    stack.erp_admin.post("products", [{"Id": 5, "Name": "Renamed again"}])
    stack.erp_admin.post("calls/reset")

    assert run_job("sync_all", instance).success

    assert calls(stack.erp_admin, "GetProducts") == 1
    assert wms_articles(stack.wms_admin)["SKU-1005"]["ArticleName"] == "Renamed again"


# -- what is never shared: another run, another merchant, a catalogue the run wrote to ----------------------


def client_of(server: SandboxServer) -> ErpClient:
    return ErpClient(ErpConnection(base_url=server.url, application_id="11111111-1111-1111-1111-111111111111",
                                   username="demo@example.com", password=SecretStr("demo-password"), timeout=10.0))


def merchant(erp_admin: Admin, wms_admin: Admin, erp: ErpClient, wms: WmsClient, stock: int) -> None:
    """Three products whose ERP stock equals the warehouse's, their articles created, the call logs emptied."""
    erp_admin.post("products", [{"Id": i, "No": f"P-{i}", "Name": f"Product {i}", "Stock": str(stock),
                                 "StockControlled": True} for i in (1, 2, 3)])
    wms_admin.post("stock", [{"ArticleNumber": f"P-{i}", "NumberOfItems": stock} for i in (1, 2, 3)])
    assert runner.run(ARTICLES, Everything(), erp=erp, wms=wms, ledger=None, config=ProcessConfig()).report.failed == 0
    erp_admin.post("calls/reset")


def stock_step(erp: ErpClient, wms: WmsClient, run_id: str) -> runner.ProcessRun:
    return runner.run(STOCK, Delta(), erp=erp, wms=wms, ledger=None, config=ProcessConfig(), run_id=run_id)


def test_a_read_is_shared_only_by_the_steps_of_one_run_of_one_merchant(
        erp_server: SandboxServer, erp_admin: Admin, wms_admin: Admin, wms: WmsClient) -> None:
    from sync_pipeline.sandbox.erp import ErpSandbox
    from sync_pipeline.sandbox.store import Store

    other_server = SandboxServer(ErpSandbox(Store()), port=0).start()
    try:
        other_admin = Admin(other_server.url)
        with client_of(erp_server) as erp, client_of(other_server) as other:
            merchant(erp_admin, wms_admin, erp, wms, stock=5)
            other_admin.post("products", [{"Id": i, "No": f"P-{i}", "Name": f"Other {i}", "Stock": "9",
                                           "StockControlled": True} for i in (1, 2, 3)])

            stock_step(erp, wms, "run-1")
            stock_step(erp, wms, "run-1")
            assert calls(erp_admin, "GetProducts") == 1, "two steps of one run: one read"
            stock_step(erp, wms, "run-2")
            assert calls(erp_admin, "GetProducts") == 2, "another run reads for itself"

            other_step = stock_step(other, wms, "run-2")  # same run id, another merchant's ERP
            assert calls(other_admin, "GetProducts") == 2, "its own read, and its write guard's re-read"
            assert calls(erp_admin, "GetProducts") == 2
            assert other_step.report.updated == 3, "the other merchant's stock (9) was compared, not the first's (5)"
            assert calls(other_admin, "SetStockQuantity") == 3 and calls(erp_admin, "SetStockQuantity") == 0

            wms_admin.post("stock", [{"ArticleNumber": "P-2", "NumberOfItems": 6}])
            written = stock_step(erp, wms, "run-2")  # the run's read still holds: the ERP did not change
            assert written.report.updated == 1 and erp_stock(erp_admin)["P-2"] == Decimal(6)
            assert calls(erp_admin, "GetProducts") == 3, "the shared read, then the write guard's re-read by id"
            again = stock_step(erp, wms, "run-2")
            assert calls(erp_admin, "GetProducts") == 4, "the run wrote a product: its read is not used again"
            assert again.report.updated == 0, "and the fresh read shows the write"
    finally:
        other_server.stop()


def test_with_steps_on_celery_workers_each_step_reads_for_itself(
        erp_server: SandboxServer, erp_admin: Admin, wms_admin: Admin, wms: WmsClient,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in sandbox_environment(erp_server.url, "http://127.0.0.1:9").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SYNC_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    on_workers = ProcessConfig.from_settings(load_settings())
    with client_of(erp_server) as erp:
        merchant(erp_admin, wms_admin, erp, wms, stock=5)
        for _ in range(2):  # two steps of one run on one worker, as Celery may place them
            runner.run(STOCK, Delta(), erp=erp, wms=wms, ledger=None, config=on_workers, run_id="run-1")
    assert calls(erp_admin, "GetProducts") == 2
