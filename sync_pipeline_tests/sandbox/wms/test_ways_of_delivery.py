"""Ways of delivery as the description has them: a register orders link to, by Code or Name, changed as
WayOfDeliveryTypeOperation says (CreateOrUpdate renames, CreateOrFind links unchanged, Find refuses a
missing one), read back through GetOrdersByQuery."""

from __future__ import annotations

from typing import Any

import pytest

from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, line, order


@pytest.fixture
def articles(ongoing: Ongoing, wms_admin: Admin) -> Ongoing:
    ongoing.process_article("SKU-1", ArticleName="Tent", ProductCode="P-1")
    wms_admin.post("stock", [{"ArticleNumber": "SKU-1", "NumberOfItems": 10}])
    return ongoing


def way(operation: str, code: str | None = None, name: str | None = None, by: str = "Code") -> dict[str, Any]:
    return {"WayOfDeliveryTypeOperation": operation, "WayOfDeliveryTypeIdentification": by, "Code": code,
            "Name": name}


def push(ongoing: Ongoing, number: str, delivery: dict[str, Any]) -> Any:
    return ongoing.process_order(order(number, [line("1", 1, article_number="SKU-1")], WayOfDeliveryType=delivery))


def shown(ongoing: Ongoing, number: str) -> tuple[str, str]:
    info = ongoing.order(number).OrderInfo
    return info.WayOfDeliveryTypeCode, info.WayOfDeliveryTypeName


def test_create_or_update_renames_the_way_of_delivery_every_linked_order_shows(articles: Ongoing) -> None:
    assert push(articles, "1", way("CreateOrUpdate", "PN", "Posten")).Success
    assert push(articles, "2", way("CreateOrFind", "PN")).Success  # linked by code alone

    assert push(articles, "3", way("CreateOrUpdate", "PN", "Posten Norge")).Success

    assert [shown(articles, n) for n in ("1", "2", "3")] == [("PN", "Posten Norge")] * 3


def test_create_or_find_links_an_existing_way_of_delivery_unchanged(articles: Ongoing) -> None:
    push(articles, "1", way("CreateOrFind", "PN", "Posten"))

    assert push(articles, "2", way("CreateOrFind", "PN", "Posten Norge")).Success

    assert [shown(articles, n) for n in ("1", "2")] == [("PN", "Posten")] * 2


def test_find_refuses_a_missing_way_of_delivery_and_keeps_nothing(articles: Ongoing, wms_admin: Admin) -> None:
    result = push(articles, "1", way("Find", "DHL", "DHL Parcel"))

    assert not result.Success and "WayOfDeliveryType with Code DHL does not exist" in result.Message
    assert wms_admin.get("state")["orders"] == []
    assert push(articles, "1", way("Find", name="Posten", by="Name")).Success is False
    push(articles, "2", way("CreateOrUpdate", None, "Posten", by="Name"))
    assert push(articles, "3", way("Find", name="Posten", by="Name")).Success
    assert shown(articles, "3")[1] == "Posten"
