"""Paging orders and inventory: ids from the cursor on (inclusive), ascending, at most the page size."""

from __future__ import annotations

from typing import Any, Callable

from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, line, order


def walk(fetch: Callable[[int], list[Any]], id_of: Callable[[Any], int]) -> list[list[int]]:
    """Pages as a client following the brief does: ask for ids above the highest seen, until a page is empty."""
    pages, cursor = [], 0
    while True:
        ids = [id_of(record) for record in fetch(cursor)]
        pages.append(ids)
        if not ids:
            return pages
        cursor = max(ids) + 1


def test_orders_page_by_order_id_without_gaps_or_duplicates(ongoing: Ongoing) -> None:
    ongoing.process_article("SKU-1")
    created = [ongoing.process_order(order(f"O-{n}", [line("1", article_number="SKU-1")])).OrderId
               for n in range(17)]

    pages = walk(lambda cursor: ongoing.orders(OrderIdFrom=cursor, MaxOrdersToGet=5), lambda o: o.OrderInfo.OrderId)

    assert [len(page) for page in pages] == [5, 5, 5, 2, 0]
    assert [order_id for page in pages for order_id in page] == sorted(created)


def test_the_order_cursor_is_inclusive(ongoing: Ongoing) -> None:
    ongoing.process_article("SKU-1")
    ids = [ongoing.process_order(order(f"O-{n}", [line("1", article_number="SKU-1")])).OrderId for n in range(3)]

    assert [o.OrderInfo.OrderId for o in ongoing.orders(OrderIdFrom=ids[1])] == ids[1:]


def test_inventory_pages_by_article_system_id_without_gaps_or_duplicates(ongoing: Ongoing, wms_admin: Admin) -> None:
    created = [ongoing.process_article(f"SKU-{n:02}").ArticleDefId for n in range(23)]
    wms_admin.post("stock", [{"ArticleNumber": f"SKU-{n:02}", "NumberOfItems": n} for n in range(23)])

    pages = walk(lambda cursor: ongoing.inventory(ArticleSystemIdFrom=cursor, MaxArticlesToGet=10),
                 lambda line: line.Article.SystemId)

    assert [len(page) for page in pages] == [10, 10, 3, 0]
    assert [system_id for page in pages for system_id in page] == sorted(created)
    assert ongoing.inventory(ArticleSystemIdFrom=created[4], MaxArticlesToGet=1)[0].Article.SystemId == created[4]


def test_filters_apply_before_paging(ongoing: Ongoing) -> None:
    numbers = [f"SKU-{n}" for n in range(6)]
    for number in numbers:
        ongoing.process_article(number)
    wanted = {"string": numbers[1::2]}

    first = ongoing.inventory(ArticleNumbersToGet=wanted, MaxArticlesToGet=2)
    rest = ongoing.inventory(ArticleNumbersToGet=wanted, ArticleSystemIdFrom=first[-1].Article.SystemId + 1)

    assert [l.Article.ArticleNumber for l in first + rest] == ["SKU-1", "SKU-3", "SKU-5"]
