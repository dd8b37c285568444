"""Returns through both sandboxes (real HTTP): the warehouse registers a return of a shipped order, the
returns process reads it per order and row (returned quantity, cause) through GetReturnOrdersByQuery as
the real description has it, keeps when the goods came in, and the returned items reach the ERP's stock
through the stock process as they always did."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import SecretStr

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, Stage, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import ByKeys, Delta
from sync_pipeline.settings import Settings
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.returns import NOT_OURS, RETURN_ORDERS, RETURNED_ITEMS, RETURNS
from sync_pipeline.soap.errors import AuthenticationError
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.contracts.real import ONGOING_2024, RealSchemaValidator, contracts_dir
from sync_pipeline_tests.sync.test_options import catalogue, order  # noqa: F401 - the fixture is used by name

RETURNS_PROCESS = process_named("returns")


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as store:
        yield store


@pytest.fixture
def shipped(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue) -> None:  # noqa: F811
    """ERP orders 41 (2 × A-1, 3 × B-2) and 42 (1 × C-3) in the warehouse; 41 shipped, 42 not yet."""
    erp_admin.post("orders", [order(41, (1, 1, "2"), (2, 2, "3")), order(42, (3, 1, "1"))])
    assert push_orders(erp, wms, None, OrderOptions()).created == 2
    wms_admin.post("orders/41/status", {"OrderStatusNumber": 450, "WayBill": "WB-41"})


def read(erp, wms, ledger, selection=Delta(), config=ProcessConfig()) -> runner.ProcessRun:
    return runner.run(RETURNS_PROCESS, selection, erp=erp, wms=wms, ledger=ledger, config=config, run_id="r")


def test_a_return_is_shown_per_order_and_row_with_quantity_and_cause(erp, wms, erp_admin, wms_admin, ledger,
                                                                     shipped) -> None:
    staged = wms_admin.post("orders/41/returns", {
        "ReturnOrderNumber": "RMA-41", "ReturnCauseName": "Changed mind",
        "Lines": [{"ExternalOrderLineCode": "1", "ReturnedNumberOfItems": 2, "ReturnCauseName": "Damaged"},
                  {"ArticleNumber": "B-2", "ToBeReturnedNumberOfItems": 3, "ReturnedNumberOfItems": 1}]})

    result = read(erp, wms, ledger)

    details = result.report.details
    assert (details[RETURN_ORDERS], details[RETURNED_ITEMS]) == (1, "3")
    assert [{k: row[k] for k in ("order", "return_order", "article", "row", "picked", "to_be_returned", "returned",
                                  "cause", "erp_status")} for row in details[RETURNS]] == [
        {"order": "41", "return_order": "RMA-41", "article": "A-1", "row": "1", "picked": "2", "to_be_returned": "2",
         "returned": "2", "cause": "Damaged", "erp_status": "Confirmed"},
        {"order": "41", "return_order": "RMA-41", "article": "B-2", "row": "2", "picked": "3", "to_be_returned": "3",
         "returned": "1", "cause": "Changed mind", "erp_status": "Confirmed"}]
    assert details[RETURNS][0]["return_status"] == "Returned (200)"
    assert ledger.stage_times(Kind.ORDER)["41"][Stage.RETURNED] == datetime.fromisoformat(staged["ReturnInDate"])
    assert ledger.get_cursor("returns") is not None
    assert result.report.failed == 0 and (result.report.created, result.report.updated) == (0, 0), "reads only"
    assert [c["operation"] for c in wms_admin.get("calls")["log"]][-1] == "GetReturnOrdersByQuery"


def test_the_next_delta_reads_only_returns_that_came_in_since_and_a_named_read_finds_them_again(
        erp, wms, erp_admin, wms_admin, ledger, shipped) -> None:
    wms_admin.post("orders/41/returns", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": 1}]})
    assert read(erp, wms, ledger).report.details[RETURN_ORDERS] == 1
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    ledger.set_cursor("returns", f'{{"moment": "{later.isoformat()}", "recent": {{}}}}')

    again = read(erp, wms, ledger)
    named = read(erp, wms, ledger, ByKeys(("41", "42")))

    assert (again.report.details[RETURN_ORDERS], again.report.details[RETURNS]) == (0, [])
    assert [(row["order"], row["return_order"], row["returned"]) for row in named.report.details[RETURNS]] == [
        ("41", "R-41", "1")]


def test_an_announced_return_is_shown_by_order_but_not_read_as_come_in(erp, wms, erp_admin, wms_admin, ledger,
                                                                       shipped) -> None:
    wms_admin.post("orders/41/returns", {"Lines": [{"ArticleNumber": "B-2", "ToBeReturnedNumberOfItems": 2}]})
    since = datetime.now(timezone.utc) - timedelta(hours=1)

    assert wms.return_orders(returned_since=since) == []
    (announced,) = wms.return_orders(order_numbers=["41"])
    assert (announced.ReturnInDate, announced.ReturnOrderStatusText) == (None, "Announced")
    assert [(line.ArticleNumber, line.ToBeReturnedNumberOfItems, line.ReturnedNumberOfItems)
            for line in announced.Lines] == [("B-2", Decimal(2), Decimal(0))]
    assert "41" not in ledger.stage_times(Kind.ORDER)


def test_returns_of_orders_that_are_not_erp_orders_are_counted_apart(erp, wms, erp_admin, wms_admin, ledger,
                                                                     shipped) -> None:
    wms.process_order({"OrderInfo": {"GoodsOwnerOrderNumber": "WEB-7", "DeliveryDate": datetime(2026, 1, 5)},
                       "Customer": {"CustomerNumber": "C-7", "Name": "Web"},
                       "CustomerOrderLines": [{"ExternalOrderLineCode": "1", "ArticleNumber": "A-1",
                                               "NumberOfItems": 1}]})
    wms_admin.post("orders/WEB-7/status", {"OrderStatusNumber": 450})
    wms_admin.post("orders/WEB-7/returns", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": 1}]})
    wms_admin.post("orders/41/returns", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": 1}]})

    details = read(erp, wms, ledger).report.details

    assert [row["order"] for row in details[RETURNS]] == ["41"]
    assert details[NOT_OURS] == ["R-WEB-7 (order WEB-7)"]


def test_returned_items_come_back_to_the_erp_stock_through_the_stock_process(erp, wms, erp_admin, wms_admin, ledger,
                                                                             shipped) -> None:
    wms_admin.post("stock", [{"ArticleNumber": "A-1", "NumberOfItems": 10}])
    wms_admin.post("orders/42/status", {"OrderStatusNumber": 450})  # nothing held between the systems for A-1
    stock = process_named("stock")
    runner.run(stock, Delta(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig(), run_id="s1")
    before = Decimal(next(p for p in erp_admin.get("products") if p["No"] == "A-1")["Stock"])

    wms_admin.post("orders/41/returns", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": 2}]})
    runner.run(stock, Delta(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig(), run_id="s2")

    after = Decimal(next(p for p in erp_admin.get("products") if p["No"] == "A-1")["Stock"])
    assert after - before == 2


def test_switched_off_the_returns_are_not_read(erp, wms, erp_admin, wms_admin, ledger, shipped) -> None:
    assert Settings.model_fields["sync_returns"].default is True
    wms_admin.post("calls/reset")

    result = read(erp, wms, ledger, config=ProcessConfig(sync_returns=False))

    assert "SYNC_RETURNS=off" in result.report.details["switched_off"]
    assert wms_admin.get("calls")["log"] == []


# -- the sandbox's admin route refuses what the warehouse could not register ------------------------------


@pytest.mark.parametrize("number, body, status, message", [
    ("42", {"Lines": [{"ArticleNumber": "C-3", "ReturnedNumberOfItems": 1}]}, 400,
     "order 42 has not left the warehouse (status 200 Open)"),
    ("99", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": 1}]}, 404, "order 99 does not exist"),
    ("41", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": 3}]}, 400,
     "Lines[1].ReturnedNumberOfItems: 3 is more than the line picked (2)"),
    ("41", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": 1},
                      {"ExternalOrderLineCode": "9", "ReturnedNumberOfItems": 1}]}, 400,
     "Lines[2].ExternalOrderLineCode: order 41 has no line '9'"),
    ("41", {"Lines": [{"ArticleNumber": "A-1", "ReturnedNumberOfItems": "many"}]}, 400,
     "Lines[1].ReturnedNumberOfItems must be a number"),
    ("41", {"Lines": []}, 400, "Lines (a non-empty list)"),
])
def test_the_admin_route_refuses_a_return_naming_the_row_and_field(wms_admin, shipped, number, body, status,
                                                                   message) -> None:
    answer = wms_admin.post(f"orders/{number}/returns", body, expect=status)
    assert message in answer["error"]
    assert wms_admin.get("state")["returns"] == []


def test_the_request_and_the_sandbox_reply_match_the_real_description(wms_server, wms_admin, shipped) -> None:
    wms_admin.post("orders/41/returns", {"ReturnCauseCode": "DMG", "Lines": [
        {"ArticleNumber": "A-1", "ReturnedNumberOfItems": 1}, {"ArticleNumber": "B-2", "ToBeReturnedNumberOfItems": 2}]})
    validator = RealSchemaValidator(contracts_dir() / ONGOING_2024, validate_replies=True)
    connection = WmsConnection(base_url=wms_server.url + "/sandbox", goods_owner_code="DEMO", username="demo",
                               password=SecretStr("demo-password"), timeout=10.0)
    client = WmsClient(connection, plugins=[validator])

    found = client.return_orders(order_numbers=["41"], returned_since=datetime.now(timezone.utc) - timedelta(hours=1))

    assert [(r.OrderNumber, r.ReturnCauseCode, len(r.Lines)) for r in found] == [("41", "DMG", 2)]
    assert validator.validated == validator.validated_replies == ["GetReturnOrdersByQuery"]


def test_wrong_credentials_are_an_authentication_error(wms_server) -> None:
    connection = WmsConnection(base_url=wms_server.url + "/sandbox", goods_owner_code="DEMO", username="demo",
                               password=SecretStr("wrong"), timeout=10.0)
    with pytest.raises(AuthenticationError):
        WmsClient(connection).return_orders()
