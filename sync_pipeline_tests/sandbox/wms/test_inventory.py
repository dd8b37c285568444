"""GetInventoryByQuery: stock per article, its filters, and the 24-hour limit on delta reads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import zeep

from sync_pipeline.soap.errors import TerminalError, classify
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing


def test_stock_set_before_the_article_exists_shows_once_it_does(ongoing: Ongoing, wms_admin: Admin) -> None:
    wms_admin.post("stock", {"ArticleNumber": "SKU-1", "NumberOfItems": 12.5})
    assert ongoing.inventory() == []

    ongoing.process_article("SKU-1", ArticleName="Rope, per metre")

    line = ongoing.inventory_of("SKU-1")
    assert (line.NumberOfItems, line.NumberOfItemsDecimal, line.SellableNumberOfItems) == (
        12, Decimal("12.5"), Decimal("12.5"))


def test_an_article_without_stock_has_zero_items(ongoing: Ongoing) -> None:
    ongoing.process_article("SKU-1")

    line = ongoing.inventory_of("SKU-1")
    assert (line.NumberOfItems, line.NumberOfBookedItems, line.SellableNumberOfItems) == (0, 0, 0)


def test_article_number_and_product_code_filters(ongoing: Ongoing) -> None:
    for n in range(1, 5):
        ongoing.process_article(f"SKU-{n}", ProductCode=f"P-{n}")

    by_number = ongoing.inventory(ArticleNumbersToGet={"string": ["SKU-2", "SKU-404"]})
    by_code = ongoing.inventory(ProductCodesToGet={"string": ["P-3", "P-4"]})

    assert [l.Article.ArticleNumber for l in by_number] == ["SKU-2"]
    assert [l.Article.ArticleNumber for l in by_code] == ["SKU-3", "SKU-4"]


def test_stock_info_changed_from_returns_only_what_changed(clocked) -> None:
    ongoing, admin, clock = clocked
    for number in ("SKU-1", "SKU-2", "SKU-3"):
        ongoing.process_article(number)
    since = clock.advance(hours=1)
    admin.post("stock", {"ArticleNumber": "SKU-2", "NumberOfItems": 5})
    clock.advance(minutes=1)

    changed = ongoing.inventory(StockInfoChangedFrom=since)

    assert [l.Article.ArticleNumber for l in changed] == ["SKU-2"]


def test_stock_info_changed_from_more_than_a_day_back_is_refused(clocked) -> None:
    ongoing, _admin, clock = clocked
    ongoing.process_article("SKU-1")

    with pytest.raises(zeep.exceptions.Fault) as fault:
        ongoing.inventory(StockInfoChangedFrom=clock.now() - timedelta(hours=24, seconds=1))

    assert "24 hours" in fault.value.message
    assert isinstance(classify(fault.value, "GetInventoryByQuery"), TerminalError)
    assert len(ongoing.inventory(StockInfoChangedFrom=clock.now() - timedelta(hours=24))) == 1
