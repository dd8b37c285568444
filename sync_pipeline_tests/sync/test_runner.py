"""The one runner over real HTTP: every registered process for each selection it declares, a switched-off
process touching neither system, re-drive by keys, a day's window, and the dry run's planning systems."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.planning import Plan, PlanningErp, PlanningWms
from sync_pipeline.processes.protocols import Erp, Wms
from sync_pipeline.processes.registry import PROCESSES, process_named, process_of_asset
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Window
from sync_pipeline.reconcile.drift import PROCESS_OF as DRIFT_PROCESS_OF
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_articles, wms_orders
from sync_pipeline_tests.sync.test_options import PRODUCTS, order

WRITES = {"ProcessArticle", "ProcessOrder", "SaveInvoices", "SetStockQuantity"}


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as store:
        yield store


def writes(*admins: Admin) -> list[str]:
    return [call["operation"] for admin in admins for call in admin.get("calls")["log"] if call["operation"] in WRITES]


def test_the_registry_names_each_process_once_with_its_asset() -> None:
    names = [p.name for p in PROCESSES]
    assert names == ["articles", "suppliers", "orders", "cancellations", "shipped", "returns", "stock"]
    assert len({p.asset.key for p in PROCESSES}) == len(PROCESSES)
    assert process_of_asset("orders_resync") is process_named("orders")
    assert process_of_asset("drift_report") is None
    assert set(DRIFT_PROCESS_OF.values()) <= set(names), "each drift category belongs to a registered process"


def test_the_real_clients_and_the_planning_ones_have_every_method_of_the_protocols(erp: ErpClient,
                                                                                  wms: WmsClient) -> None:
    plan = Plan()
    assert isinstance(erp, Erp) and isinstance(PlanningErp(erp, plan), Erp)
    assert isinstance(wms, Wms) and isinstance(PlanningWms(wms, plan), Wms)
    assert not isinstance(wms, Erp) and not isinstance(erp, Wms)


@pytest.mark.parametrize("process", [p.name for p in PROCESSES])
@pytest.mark.parametrize("selection", [Delta(), Everything(), ByKeys(("1",))])
def test_a_switched_off_process_reads_and_writes_nothing(process, selection, erp: ErpClient, wms: WmsClient,
                                                         erp_admin: Admin, wms_admin: Admin, ledger) -> None:
    erp_admin.post("products", PRODUCTS)
    erp_admin.post("calls/reset")
    off = ProcessConfig(**{switch: False for switch in process_named(process).switches})

    result = runner.run(process_named(process), selection, erp=erp, wms=wms, ledger=ledger, config=off, run_id="r")

    assert result.switched_off is not None and "nothing was read or written" in result.report.details["switched_off"]
    assert erp_admin.get("calls")["log"] == [] and wms_admin.get("calls")["log"] == []
    assert ledger.get_cursor(process_named(process).cursor.name if process_named(process).cursor else "stock") is None


def test_delta_moves_the_cursor_and_by_keys_sends_one_record_without_moving_it(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, ledger) -> None:
    erp_admin.post("products", PRODUCTS)
    articles = process_named("articles")

    first = runner.run(articles, Delta(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig(), run_id="r1")
    cursor = ledger.get_cursor("articles")
    wms_admin.post("reset")  # the warehouse lost its data; the ledger still remembers
    wms_admin.post("calls/reset")
    again = runner.run(articles, ByKeys(("2",)), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig(),
                       run_id="r2", resend=True)

    assert first.report.created == len(PRODUCTS) and cursor is not None
    assert (again.report.created, again.report.cursor) == (1, None)
    assert set(wms_articles(wms_admin)) == {"B-2"} and ledger.get_cursor("articles") == cursor


def test_a_window_pushes_only_the_orders_changed_in_it(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                       wms_admin: Admin, ledger) -> None:
    erp_admin.post("products", PRODUCTS)
    runner.run(process_named("articles"), Delta(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig())
    erp_admin.post("orders", [order(501, (1, 1, "1")), order(502, (2, 1, "1"))])
    long_ago = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat()
    erp_admin.post("orders/date_changed", [{"OrderId": 502, "DateChanged": long_ago}])
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)

    result = runner.run(process_named("orders"), Window(today, today + timedelta(days=1)), erp=erp, wms=wms,
                        ledger=ledger, config=ProcessConfig(), run_id="r", resend=True)

    assert (result.report.created, result.report.cursor) == (1, None)
    assert set(wms_orders(wms_admin)) == {"501"} and ledger.get_cursor("orders") is None


def test_planning_systems_plan_every_write_and_send_none(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                         wms_admin: Admin, ledger) -> None:
    erp_admin.post("products", PRODUCTS)
    erp_admin.post("calls/reset")
    plan = Plan()

    result = runner.run(process_named("articles"), Delta(), erp=PlanningErp(erp, plan), wms=PlanningWms(wms, plan),
                        ledger=ledger, config=ProcessConfig(), planning=True)

    assert result.report.created == len(PRODUCTS)
    assert [(w.operation, w.change()) for w in plan.writes] == [("ProcessArticle", "create")] * len(PRODUCTS)
    assert writes(erp_admin, wms_admin) == [] and wms_articles(wms_admin) == {}
    assert ledger.get_cursor("articles") is None and ledger.entries(Kind.ARTICLE, ["1"]) == {}
