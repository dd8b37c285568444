"""Extra fields by configuration: the example documented in docs/field-maps.md, end to end.

The configuration is read from the documentation itself, so the documented example is exactly the
one that is shown to work. The client models do not carry prices: they are read from the sandbox's
GET /_sandbox/state.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_articles, wms_orders

DOCS = Path(__file__).resolve().parents[2] / "docs" / "field-maps.md"
PRICE_FIELDS = {"Price", "PurchasePrice"}


def documented_example() -> str:
    section = DOCS.read_text(encoding="utf-8").split("## Extra fields", 1)[1]
    match = re.search(r"^SYNC_EXTRA_FIELDS='(.*?)'$", section, re.MULTILINE | re.DOTALL)
    assert match, "docs/field-maps.md shows a SYNC_EXTRA_FIELDS example"
    return match.group(1)


def test_the_documented_example_has_line_and_article_prices() -> None:
    entries = json.loads(documented_example())
    assert {"map": "order_line", "target": "LinePrice", "source": "Price"} in entries
    assert {entry["target"] for entry in entries if entry["map"] == "article"} == PRICE_FIELDS


@pytest.mark.parametrize("configured", [True, False], ids=["documented example", "not configured"])
def test_configured_extra_fields_arrive_in_the_wms(configured: bool, erp: ErpClient, wms: WmsClient,
                                                   erp_admin: Admin, wms_admin: Admin,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in sandbox_environment("http://127.0.0.1:1", "http://127.0.0.1:2").items():
        monkeypatch.setenv(name, value)
    if configured:
        monkeypatch.setenv("SYNC_EXTRA_FIELDS", documented_example())
    else:
        monkeypatch.delenv("SYNC_EXTRA_FIELDS", raising=False)
    extra = load_settings(env_file=None).extra_fields_for()
    erp_admin.post("products", [{"Id": 1, "No": "ULL-1", "Name": "Ullpledd", "Price": "1249.50", "InPrice": "687.23"},
                                {"Id": 2, "No": "GRATIS-2", "Name": "Katalog"}])
    erp_admin.post("orders", [{"OrderId": 9, "OrderStatus": "Confirmed", "CustomerId": 1,
                               "InvoiceRows": [{"ProductId": 1, "RowId": 1, "Quantity": "2", "Price": "1124.55"},
                                               {"ProductId": 2, "RowId": 2, "Quantity": "1"}]}])

    articles = sync_articles(erp, wms, None, extra=extra)
    orders = push_orders(erp, wms, None, OrderOptions(), extra=extra)

    assert (articles.created, orders.created, articles.failures + orders.failures) == (2, 1, [])
    stored = wms_articles(wms_admin)
    lines = {line["ArticleNumber"]: line for line in wms_orders(wms_admin)["9"]["Lines"]}
    assert PRICE_FIELDS & set(stored["GRATIS-2"]) == set(), "a product without prices sends none"
    assert "LinePrice" not in lines["GRATIS-2"]
    if configured:
        assert (Decimal(stored["ULL-1"]["Price"]), Decimal(stored["ULL-1"]["PurchasePrice"])) == (
            Decimal("1249.50"), Decimal("687.23"))
        assert Decimal(lines["ULL-1"]["LinePrice"]) == Decimal("1124.55")
    else:
        assert PRICE_FIELDS & set(stored["ULL-1"]) == set()
        assert "LinePrice" not in lines["ULL-1"]
