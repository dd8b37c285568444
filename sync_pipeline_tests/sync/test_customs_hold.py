"""Customs completeness before release, over both sandboxes (real HTTP) and the runner with a ledger.

A merchant in the EU (SYNC_CUSTOMS_AREA=EU) keeps HS code, origin and value in 24SevenOffice elements
that the article sync carries to the warehouse (SYNC_EXTRA_FIELDS). An order to the US whose articles
lack some of it is held: not in the warehouse, a failure naming each article and what it lacks (alerted
by the failed-records check), then re-checked every run without failing again, never dead-lettered;
once the merchant fills the data in the ERP, the next runs carry it to the warehouse and push the order.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Iterator

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.ledger.backoff import BackoffPolicy
from sync_pipeline.mapping import ExtraField
from sync_pipeline.mapping.extra import erp_return_properties
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import ByKeys, Delta
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sync.customs import EU, HELD, RELEASED
from sync_pipeline.sync.orders import OrderOptions
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.erp.conftest import RealContracts, connection_for
from sync_pipeline_tests.sync.conftest import wms_articles, wms_orders

CUSTOMS_FIELDS = (ExtraField(map="article", target="StatisticsNumber", source="ProductCode"),
                  ExtraField(map="article", target="CountryOfOriginCode", source="StockLocation"),
                  ExtraField(map="article", target="Price", source="Price"))
PRODUCTS = [
    {"Id": 1, "No": "A-1", "Name": "Ullpledd", "ProductCode": "63014010", "StockLocation": "NO", "Price": "499"},
    {"Id": 2, "No": "B-2", "Name": "Votter", "StockLocation": "SE", "Price": "199"},  # no HS code
    {"Id": 3, "No": "C-3", "Name": "Lue", "ProductCode": "65050090"},  # no origin, no value
]
# Retries due at once and dead-lettered after 2 attempts: a hold must neither wait nor die.
QUICK = BackoffPolicy(base=timedelta(microseconds=1), cap=timedelta(microseconds=1), max_attempts=2)


def order(order_id: int, country: str, *products: int) -> dict[str, Any]:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 1, "CustomerDeliveryPhone": "+47 1",
            "InvoiceEmailAddress": "a@example.no",
            "Addresses": {"Delivery": {"Street": "1 Main St", "PostalCode": "10001", "PostalArea": "New York",
                                       "Country": country}},
            "InvoiceRows": [{"ProductId": p, "RowId": row, "Quantity": 1} for row, p in enumerate(products, start=1)]}


@pytest.fixture
def erp(erp_server: SandboxServer) -> Iterator[ErpClient]:
    """The ERP client as the deployment builds it: asking for the configured extra fields' sources."""
    with ErpClient(connection_for(erp_server.url), plugins=[RealContracts()],
                   extra_properties=erp_return_properties(CUSTOMS_FIELDS)) as client:
        yield client


@pytest.fixture
def ledger(tmp_path) -> Iterator[Ledger]:
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite"), backoff=QUICK) as store:
        yield store


class Merchant:
    """Runs the article and order processes as the schedule does (Delta), with the customs check on."""

    def __init__(self, erp: ErpClient, wms: WmsClient, ledger: Ledger, area: frozenset[str] = EU,
                 extra: tuple[ExtraField, ...] = CUSTOMS_FIELDS):
        self.erp, self.wms, self.ledger = erp, wms, ledger
        self.config = ProcessConfig(orders=OrderOptions(customs_area=area), extra=extra)
        self.runs = 0

    def cycle(self) -> SyncReport:
        """One scheduled cycle: the articles, then the orders; the orders' report."""
        self.runs += 1
        for name in ("articles", "orders"):
            result = runner.run(process_named(name), Delta(), erp=self.erp, wms=self.wms, ledger=self.ledger,
                                config=self.config, run_id=f"cycle-{self.runs}")
        return result.report


@pytest.fixture
def merchant(erp: ErpClient, wms: WmsClient, erp_admin: Admin, ledger: Ledger) -> Merchant:
    erp_admin.post("products", PRODUCTS)
    erp_admin.post("orders", [order(21, "US", 1, 2, 3), order(22, "SE", 2, 3), order(23, "US", 1)])
    return Merchant(erp, wms, ledger)


def held(report: SyncReport) -> dict[str, dict[str, list[str]]]:
    return {h["order"]: h["articles"] for h in report.details.get(HELD, [])}


def test_an_export_order_is_held_naming_what_each_article_lacks(merchant: Merchant, wms_admin: Admin) -> None:
    report = merchant.cycle()

    assert set(wms_orders(wms_admin)) == {"22", "23"}, "inside the area (SE) and complete (A-1) go; 21 waits"
    assert [f.key for f in report.failures] == ["21"]
    failure = report.failures[0]
    assert failure.message.startswith("held for customs (delivery to US, outside the customs area)")
    assert "B-2 (product 2) lacks StatisticsNumber (HS code)" in failure.message
    assert "C-3 (product 3) lacks CountryOfOriginCode (country of origin), Price (customs value" in failure.message
    assert "A-1" not in failure.message
    assert failure.field == "CountryOfOriginCode, Price, StatisticsNumber"
    assert held(report) == {"21": {
        "B-2 (product 2)": ["StatisticsNumber (HS code)"],
        "C-3 (product 3)": ["CountryOfOriginCode (country of origin)",
                            "Price (customs value; or the line's OrderLineTotalCustomsValue)"]}}
    assert held(report)["21"] and report.details.get(RELEASED) is None


def test_a_hold_is_rechecked_every_run_alerted_once_and_never_dead_lettered(merchant: Merchant, wms_admin: Admin,
                                                                             ledger: Ledger) -> None:
    first = merchant.cycle()
    assert [f.key for f in first.failures] == ["21"]

    for _ in range(3):  # more cycles than the ledger's 2 attempts before a dead letter
        again = merchant.cycle()
        assert again.failures == [], "the same hold is not a new failure: no second alert"
        assert set(held(again)) == {"21"}, "but it is checked again and shown in the run's metadata"
    entry = ledger.get(Kind.ORDER, "21")
    assert entry is not None and not entry.dead and entry.attempts == 1
    assert entry.last_error == first.failures[0].message
    assert "21" not in wms_orders(wms_admin)


def test_the_order_goes_by_itself_once_the_data_reaches_the_warehouse(merchant: Merchant, erp_admin: Admin,
                                                                      wms_admin: Admin, ledger: Ledger) -> None:
    merchant.cycle()
    erp_admin.post("products", [{"Id": 2, "ProductCode": "6116.10.20"}])  # the HS code, written with dots

    partly = merchant.cycle()
    assert wms_articles(wms_admin)["B-2"]["StatisticsNumber"] == "6116.10.20"
    assert [f.key for f in partly.failures] == ["21"], "what it lacks changed: alerted again, naming what is left"
    assert "B-2" not in partly.failures[0].message and "C-3 (product 3) lacks" in partly.failures[0].message

    erp_admin.post("products", [{"Id": 3, "StockLocation": "cn", "Price": "129.50"}])
    released = merchant.cycle()

    assert released.failures == [] and released.created == 1
    assert released.details[RELEASED] == ["21"] and HELD not in released.details
    [pushed] = merchant.wms.orders(order_numbers=["21"])  # as the warehouse shows it (GetOrdersByQuery)
    assert sorted(line.ArticleNumber or "" for line in pushed.Lines) == ["A-1", "B-2", "C-3"]
    entry = ledger.get(Kind.ORDER, "21")
    assert entry is not None and entry.last_error is None
    assert RELEASED not in merchant.cycle().details, "released once"


def test_an_operator_re_drive_of_a_held_order_fails_again_and_an_area_without_the_country_lets_it_go(
        merchant: Merchant, erp: ErpClient, wms: WmsClient, wms_admin: Admin, ledger: Ledger) -> None:
    merchant.cycle()
    redrive = runner.run(process_named("orders"), ByKeys(("21",)), erp=erp, wms=wms, ledger=ledger,
                         config=merchant.config, run_id="operator", operator=True)
    assert [f.key for f in redrive.report.failures] == ["21"], "an operator who asks is told, every time"

    americas = Merchant(erp, wms, ledger, area=EU | {"US"})
    assert americas.cycle().failures == [] and "21" in wms_orders(wms_admin)


def test_off_by_default_nothing_is_held(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin,
                                        ledger: Ledger) -> None:
    erp_admin.post("products", PRODUCTS)
    erp_admin.post("orders", [order(21, "US", 1, 2, 3)])
    report = Merchant(erp, wms, ledger, area=frozenset()).cycle()
    assert report.failures == [] and report.created == 1 and HELD not in report.details


@pytest.mark.parametrize("line_value", [True, False])
def test_the_line_s_customs_value_stands_in_for_the_article_s(line_value: bool, erp: ErpClient, wms: WmsClient,
                                                              erp_admin: Admin, wms_admin: Admin, ledger: Ledger) -> None:
    erp_admin.post("products", [{"Id": 4, "No": "D-4", "Name": "Skjerf", "ProductCode": "61171000",
                                 "StockLocation": "NO"}])  # no value in the warehouse
    erp_admin.post("orders", [{**order(24, "GB", 4), "InvoiceRows": [{"ProductId": 4, "RowId": 1, "Quantity": 2,
                                                                     "Price": "80"}]}])
    line_field = (ExtraField(map="order_line", target="OrderLineTotalCustomsValue", source="Price"),)
    report = Merchant(erp, wms, ledger, extra=CUSTOMS_FIELDS + (line_field if line_value else ())).cycle()

    if line_value:
        assert report.failures == [] and "24" in wms_orders(wms_admin)
    else:
        assert held(report) == {"24": {"D-4 (product 4)": [
            "Price (customs value; or the line's OrderLineTotalCustomsValue)"]}}
        assert "24" not in wms_orders(wms_admin)
