"""Reads answer from the store's kept views: every write, by any route, shows in the next read or page."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from zeep.exceptions import TransportError

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, article, line, order


def rest_of_pages(ongoing: Ongoing, cursor: int, size: int) -> list:
    lines = []
    while page := ongoing.inventory(ArticleSystemIdFrom=cursor, MaxArticlesToGet=size):
        lines += page
        cursor = page[-1].Article.SystemId + 1
    return lines


def test_every_inventory_page_sees_the_writes_made_before_it(ongoing: Ongoing, wms_admin: Admin) -> None:
    numbers = [f"SKU-{n}" for n in range(6)]
    ids = [ongoing.process_article(number, ProductCode=f"P-{number}").ArticleDefId for number in numbers]
    wms_admin.post("stock", [{"ArticleNumber": number, "NumberOfItems": 1} for number in numbers])

    first = ongoing.inventory(MaxArticlesToGet=3)
    wms_admin.post("stock", [{"ArticleNumber": "SKU-0", "NumberOfItems": 10},  # on the page read
                             {"ArticleNumber": "SKU-4", "NumberOfItems": 40}])  # on a page to come
    ongoing.call("ProcessArticle", art=article("SKU-5B", ArticleIdentification="ProductCode", ProductCode="P-SKU-5"))
    added = ongoing.process_article("SKU-NEW").ArticleDefId
    rest = rest_of_pages(ongoing, first[-1].Article.SystemId + 1, 3)

    assert [l.Article.SystemId for l in first + rest] == [*ids, added]
    assert [(l.Article.ArticleNumber, l.NumberOfItems) for l in rest] == [
        ("SKU-3", 1), ("SKU-4", 40), ("SKU-5B", 1), ("SKU-NEW", 0)]
    assert [l.NumberOfItems for l in ongoing.inventory(MaxArticlesToGet=3)] == [10, 1, 1]


def test_paging_while_articles_are_added_has_no_gaps_or_repeats(wms_server: SandboxServer, ongoing: Ongoing) -> None:
    system = wms_server.system
    existing = [ongoing.process_article(f"SKU-{n:03}").ArticleDefId for n in range(40)]

    def add_articles() -> None:
        for n in range(40, 240):
            number = f"SKU-{n:03}"
            system.articles.process({"ArticleNumber": number, "ArticleName": f"Article {n}"})
            system.inventory.set_physical(number, Decimal(n))

    writer = threading.Thread(target=add_articles)
    writer.start()
    try:
        seen = [l.Article.SystemId for l in rest_of_pages(ongoing, 0, 7)]
    finally:
        writer.join()

    assert seen == sorted(set(seen)) and set(existing) <= set(seen)
    after = rest_of_pages(ongoing, 0, 1000)
    assert len(after) == 240
    assert all(l.NumberOfItems == int(l.Article.ArticleNumber[4:]) for l in after if l.Article.SystemId not in existing)


def test_a_delta_read_sees_stock_changed_since_the_last_read(clocked) -> None:
    ongoing, admin, clock = clocked
    ongoing.process_article("SKU-1")
    ongoing.process_article("SKU-2")
    since = clock.advance(hours=1)
    assert ongoing.inventory(StockInfoChangedFrom=since) == []

    admin.post("stock", {"ArticleNumber": "SKU-2", "NumberOfItems": 5})

    assert [l.Article.ArticleNumber for l in ongoing.inventory(StockInfoChangedFrom=since)] == ["SKU-2"]


def test_order_reads_see_every_change_since_the_last(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1", ProductCode="P-1")
    ongoing.process_order(order("1001", [line("1", 2, article_number="SKU-1")]))
    assert [o.OrderInfo.GoodsOwnerOrderNumber for o in ongoing.orders()] == ["1001"]

    ongoing.process_order(order("1002", [line("1", 1, article_number="SKU-1")]))
    wms_admin.post("orders/1001/status", {"OrderStatusNumber": 450, "WayBill": "WB-1"})
    ongoing.update_order("1002", waybill="WB-2")
    ongoing.call("ProcessArticle", art=article("SKU-1B", ArticleIdentification="ProductCode", ProductCode="P-1"))

    found = ongoing.orders()
    assert [(o.OrderInfo.GoodsOwnerOrderNumber, o.OrderInfo.OrderStatusNumber, o.OrderInfo.WayBill)
            for o in found] == [("1001", 450, "WB-1"), ("1002", 200, "WB-2")]
    assert [l.Article.ArticleNumber for o in found for l in o.PickedOrderLines.PickedOrderLine] == ["SKU-1B"] * 2
    assert ongoing.inventory_of("SKU-1B").NumberOfItems == 0  # shipped 2 of none: never below zero


def test_demo_data_a_write_behind_an_injected_fault_and_a_reset_show_in_the_next_read(ongoing: Ongoing,
                                                                                    wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1001")
    assert ongoing.inventory_of("SKU-1001").NumberOfItems == 0

    wms_admin.post("demo")
    assert ongoing.inventory_of("SKU-1001").NumberOfItems == 5

    wms_admin.post("faults", {"malformed_rate": 1.0})
    with pytest.raises(TransportError, match="invalid XML"):  # garbled after the write was done
        ongoing.process_article("SKU-1002")
    wms_admin.post("faults", {})
    assert ongoing.inventory_of("SKU-1002").NumberOfItems == 10

    wms_admin.post("reset")
    assert ongoing.inventory() == []


def test_documents_handed_out_in_process_cannot_change_what_is_stored(wms_server: SandboxServer, ongoing: Ongoing,
                                                                     wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1", ArticleName="Tent")
    wms_admin.post("stock", {"ArticleNumber": "SKU-1", "NumberOfItems": 3})
    ongoing.inventory()  # the store keeps the decoded documents from now on
    system = wms_server.system

    system.articles.all()[0]["ArticleName"] = "Changed"
    system.articles.get("SKU-1")["ArticleName"] = "Changed"
    system.inventory.get("SKU-1")["NumberOfItems"] = 99
    system.state()["stock"][0]["NumberOfItems"] = "99"
    with pytest.raises(TypeError):
        system.articles.view()["SKU-1"]["ArticleName"] = "Changed"

    found = ongoing.inventory_of("SKU-1")
    assert (found.Article.Name, found.NumberOfItems) == ("Tent", 3)
