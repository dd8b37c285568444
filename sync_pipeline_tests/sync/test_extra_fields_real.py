"""Extra fields from elements only the real 24SevenOffice records have to elements only the real
Ongoing records have, end to end through both sandboxes (real HTTP).

The configuration is the customs-data example in docs/field-maps.md, read from the file, so the
documented example is the one shown to work: HS code, country of origin, supplier article number,
a price that is an xs:double, the category as an ArticleGroup (a structure the sync completes), the
row discount and position (an xs:short, whose "not set" -32768 is left out), the customer's order
number and a second address line. The ERP client asks for those sources as return properties, the
records keep them, the WMS sandbox keeps what ProcessArticle and ProcessOrder send: the values are
read back from its GET /_sandbox/state.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.mapping import ExtraField
from sync_pipeline.mapping.extra import erp_return_properties
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.erp.conftest import RealContracts, connection_for
from sync_pipeline_tests.sync.conftest import wms_articles, wms_orders

DOCS = Path(__file__).resolve().parents[2] / "docs" / "field-maps.md"

PRODUCTS = [
    {"Id": 1, "No": "KAFFE-1", "Name": "Kaffe", "ProductCode": "0901.21.00", "StockLocation": "co",
     "SupplierProductCode": "LEV-77", "CashPriceIncTax": 62.375, "CategoryId": 14},
    {"Id": 2, "No": "KATALOG", "Name": "Katalog"},
]
ORDER = {
    "OrderId": 9, "OrderStatus": "Confirmed", "CustomerId": 1, "CustomerReferenceNo": "PO-4411",
    "Addresses": {"Delivery": {"Street": "Bryggen 5", "PostalCode": "5003", "Name": "c/o Lagerbygget"}},
    "InvoiceRows": [{"ProductId": 1, "RowId": 1, "Quantity": "2", "DiscountRate": "12.5", "SequenceNumber": 3},
                    {"ProductId": 2, "RowId": 2, "Quantity": "1"}],
}
ARTICLE_VALUES = {"StatisticsNumber": "0901.21.00", "CountryOfOriginCode": "CO", "SupplierArticleNumber": "LEV-77"}


def documented_example() -> str:
    section = DOCS.read_text(encoding="utf-8").split("## Extra fields", 1)[1]
    examples = re.findall(r"^SYNC_EXTRA_FIELDS='(.*?)'$", section, re.MULTILINE | re.DOTALL)
    found = [text for text in examples if "StatisticsNumber" in text]
    assert found, "docs/field-maps.md shows the customs-data SYNC_EXTRA_FIELDS example"
    return found[0]


def seed(erp_admin: Admin) -> None:
    erp_admin.post("products", PRODUCTS)
    erp_admin.post("orders", [ORDER])


def lines_of(order: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The order's lines by ExternalOrderLineCode (the ERP's RowId)."""
    return {line["ExternalOrderLineCode"]: line for line in order["Lines"]}


def assert_landed(wms_admin: Admin) -> None:
    kaffe, katalog = (wms_articles(wms_admin)[number] for number in ("KAFFE-1", "KATALOG"))
    assert {name: kaffe.get(name) for name in ARTICLE_VALUES} == ARTICLE_VALUES
    assert Decimal(str(kaffe["CustomerPrice"])) == Decimal("62.375"), "the double as the decimal it was"
    assert kaffe["ArticleGroup"]["ArticleGroupCode"] == "14"
    assert set(ARTICLE_VALUES) & set(katalog) == set(), "a product without them sends none"
    order = wms_orders(wms_admin)["9"]
    info, customer, lines = order["OrderInfo"], order["Customer"], lines_of(order)
    assert info["ConsigneeOrderNumber"] == "PO-4411"
    assert customer["Address2"] == "c/o Lagerbygget"
    assert Decimal(str(lines["1"]["Discount"])) == Decimal("12.5")
    assert lines["1"]["OrderLineFreeText1"] == "3"
    assert "Discount" not in lines["2"] and "OrderLineFreeText1" not in lines["2"], "no value: left out"


def assert_not_landed(wms_admin: Admin) -> None:
    kaffe = wms_articles(wms_admin)["KAFFE-1"]
    assert set(ARTICLE_VALUES) & set(kaffe) == set() and "ArticleGroup" not in kaffe
    order = wms_orders(wms_admin)["9"]
    assert "ConsigneeOrderNumber" not in order["OrderInfo"] and "Address2" not in order["Customer"]


@pytest.mark.parametrize("configured", [True, False], ids=["customs example", "not configured"])
def test_real_only_elements_reach_the_wms_through_the_processes(configured: bool, erp_server: SandboxServer,
                                                                wms: WmsClient, erp_admin: Admin,
                                                                wms_admin: Admin) -> None:
    extra = tuple(ExtraField.model_validate(e) for e in json.loads(documented_example())) if configured else ()
    seed(erp_admin)
    with ErpClient(connection_for(erp_server.url), plugins=[RealContracts()],
                   extra_properties=erp_return_properties(extra)) as erp:
        articles = sync_articles(erp, wms, None, extra=extra)
        orders = push_orders(erp, wms, None, OrderOptions(), extra=extra)

    assert (articles.created, orders.created, articles.failures + orders.failures) == (2, 1, [])
    if configured:
        assert_landed(wms_admin)
    else:
        assert_not_landed(wms_admin)


def test_the_assets_ask_for_the_configured_sources_and_send_them(erp_server: SandboxServer,
                                                                 wms_server: SandboxServer, erp_admin: Admin,
                                                                 wms_admin: Admin,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from sync_pipeline.assets.process_assets import PROCESS_ASSETS

    articles_asset, orders_asset = PROCESS_ASSETS["wms_articles"], PROCESS_ASSETS["wms_orders"]
    from sync_pipeline.resources import resources_from_env

    for name, value in sandbox_environment(erp_server.url, wms_server.url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SYNC_EXTRA_FIELDS", documented_example())
    for name in ("SYNC_SUPPLIERS", "SYNC_VARIATIONS", "SYNC_IMPORTED_ERP_STATUS"):
        monkeypatch.delenv(name, raising=False)
    seed(erp_admin)

    with dg.instance_for_test() as instance:
        result = dg.materialize([articles_asset, orders_asset], resources=resources_from_env(load_settings()),
                                instance=instance)

    assert result.success
    assert_landed(wms_admin)
