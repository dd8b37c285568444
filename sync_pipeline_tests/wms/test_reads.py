"""Stock, orders and statuses read page by page from the WMS sandbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable

import pytest

from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.samples import article, order
from sync_pipeline_tests.wms.status_calls import order_statuses


def calls_of(admin: Admin, operation: str) -> int:
    return admin.get("calls")["counts"].get(operation, 0)


def test_inventory_pages_through_every_article_once(make_client: Callable[..., WmsClient],
                                                   wms_admin: Admin) -> None:
    writer = make_client()
    numbers = [f"SKU-{1000 + i}" for i in range(1, 12)]
    for number in numbers:
        assert writer.process_article(article(number)).success
    wms_admin.post("calls/reset")

    lines = list(make_client(page_size=3).inventory())
    assert sorted(line.ArticleNumber for line in lines) == numbers
    assert len({line.ArticleSystemId for line in lines}) == len(numbers)
    assert calls_of(wms_admin, "GetInventoryByQuery") >= 4  # 11 articles, 3 per page


def test_inventory_reports_physical_booked_and_sellable_stock(client: WmsClient, wms_admin: Admin) -> None:
    client.process_article(article("SKU-1001"))
    wms_admin.post("stock", {"ArticleNumber": "SKU-1001", "NumberOfItems": "7.5"})
    client.process_order(order("20001", ("SKU-1001", 10)))
    (line,) = list(client.inventory(article_numbers=["SKU-1001"]))
    assert line.NumberOfItems == Decimal("7.5")
    assert line.NumberOfBookedItems == Decimal("10")
    assert line.SellableNumberOfItems == Decimal("-2.5")  # may be negative


def test_inventory_filters_by_article_number(client: WmsClient) -> None:
    for number in ("SKU-1001", "SKU-1002", "SKU-1003"):
        client.process_article(article(number))
    assert [line.ArticleNumber for line in client.inventory(article_numbers=["SKU-1002"])] == ["SKU-1002"]
    assert list(client.inventory(article_numbers=[])) == []


def test_inventory_changed_since_returns_recent_changes(client: WmsClient, wms_admin: Admin) -> None:
    client.process_article(article("SKU-1001"))
    since = datetime.now(timezone.utc) - timedelta(minutes=5)
    assert [line.ArticleNumber for line in client.inventory(changed_since=since)] == ["SKU-1001"]


def test_naive_changed_since_is_refused_before_any_call(client: WmsClient, wms_admin: Admin) -> None:
    wms_admin.post("calls/reset")
    with pytest.raises(ValueError, match="timezone-aware"):
        client.inventory(changed_since=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        client.orders(changed_since=datetime(2026, 1, 1))
    assert wms_admin.get("calls")["counts"] == {}


def test_orders_page_through_every_order_once(make_client: Callable[..., WmsClient], wms_admin: Admin) -> None:
    writer = make_client()
    writer.process_article(article("SKU-1001"))
    numbers = [f"3000{i}" for i in range(7)]
    for number in numbers:
        assert writer.process_order(order(number, ("SKU-1001", 1))).success
    wms_admin.post("calls/reset")

    read = list(make_client(page_size=2).orders())
    assert sorted(o.GoodsOwnerOrderNumber for o in read) == numbers
    assert len({o.OrderId for o in read}) == len(numbers)
    assert calls_of(wms_admin, "GetOrdersByQuery") >= 4


def test_orders_filter_by_status_range_and_number(client: WmsClient, wms_admin: Admin) -> None:
    client.process_article(article("SKU-1001"))
    for number in ("40001", "40002", "40003"):
        client.process_order(order(number, ("SKU-1001", 1)))
    wms_admin.post("orders/40002/status", {"OrderStatusNumber": 450, "WayBill": "WB-2"})
    assert [o.GoodsOwnerOrderNumber for o in client.orders(status_from=400, status_to=500)] == ["40002"]
    assert sorted(o.GoodsOwnerOrderNumber for o in client.orders(status_to=200)) == ["40001", "40003"]
    assert [o.GoodsOwnerOrderNumber for o in client.orders(order_numbers=["40003"])] == ["40003"]


def test_orders_changed_since(client: WmsClient) -> None:
    client.process_article(article("SKU-1001"))
    client.process_order(order("50001", ("SKU-1001", 1)))
    recent = datetime.now(timezone.utc) - timedelta(minutes=1)
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    assert [o.GoodsOwnerOrderNumber for o in client.orders(changed_since=recent)] == ["50001"]
    assert list(client.orders(changed_since=later)) == []


def test_order_statuses_are_the_warehouse_list(client: WmsClient) -> None:
    statuses = {s.OrderStatusId: s.OrderStatusName for s in order_statuses(client)}
    assert {200, 300, 400, 450, 1000} <= set(statuses)
    assert all(name for name in statuses.values())
