"""The WMS sandbox's admin routes: setting stock, moving orders on, validation, state, reset, demo data."""

from __future__ import annotations

import pytest

from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, line, order


def test_stock_is_set_for_one_or_many_articles(wms_admin: Admin) -> None:
    one = wms_admin.post("stock", {"ArticleNumber": "SKU-1", "NumberOfItems": 3})
    many = wms_admin.post("stock", [{"ArticleNumber": "SKU-1", "NumberOfItems": 5},
                                    {"ArticleNumber": "SKU-2", "NumberOfItems": "2.5"}])

    assert [s["NumberOfItems"] for s in one["stock"]] == ["3"]
    assert [(s["ArticleNumber"], s["NumberOfItems"]) for s in many["stock"]] == [("SKU-1", "5"), ("SKU-2", "2.5")]
    assert {s["ArticleNumber"]: s["NumberOfItems"] for s in wms_admin.get("state")["stock"]} == {
        "SKU-1": "5", "SKU-2": "2.5"}


@pytest.mark.parametrize(("payload", "expected"), [
    ({"NumberOfItems": 3}, "ArticleNumber must be a non-empty string"),
    ({"ArticleNumber": " ", "NumberOfItems": 3}, "ArticleNumber must be a non-empty string"),
    ({"ArticleNumber": "SKU-1"}, "NumberOfItems must be a number"),
    ({"ArticleNumber": "SKU-1", "NumberOfItems": "many"}, "NumberOfItems must be a number"),
    ({"ArticleNumber": "SKU-1", "NumberOfItems": True}, "NumberOfItems must be a number"),
    ({"ArticleNumber": "SKU-1", "NumberOfItems": -1}, ">= 0"),
    ({"ArticleNumber": "SKU-1", "NumberOfItems": 1, "Qty": 2}, "unknown fields ['Qty']"),
    ([], "non-empty list"),
    ([{"ArticleNumber": "SKU-1", "NumberOfItems": 1}, "SKU-2"], "stock entry 2"),
])
def test_bad_stock_input_is_refused_and_changes_nothing(wms_admin: Admin, payload: object, expected: str) -> None:
    reply = wms_admin.post("stock", payload, expect=400)

    assert expected in reply["error"]
    assert wms_admin.get("state")["stock"] == []


def test_order_status_route_refuses_unknown_orders_and_statuses(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1")
    ongoing.process_order(order("1001", [line("1", article_number="SKU-1")]))

    assert "does not exist" in wms_admin.post("orders/404/status", {"OrderStatusNumber": 450}, expect=404)["error"]
    assert "unknown order status 451" in wms_admin.post("orders/1001/status", {"OrderStatusNumber": 451},
                                                        expect=400)["error"]
    assert "OrderStatusNumber" in wms_admin.post("orders/1001/status", {"Status": 450}, expect=400)["error"]
    assert "integer" in wms_admin.post("orders/1001/status", {"OrderStatusNumber": "450"}, expect=400)["error"]
    assert ongoing.order("1001").OrderInfo.OrderStatusNumber == 200


def test_order_numbers_in_the_route_may_be_url_encoded(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1")
    ongoing.process_order(order("WEB 10/2", [line("1", article_number="SKU-1")]))

    wms_admin.post("orders/WEB%2010%2F2/status", {"OrderStatusNumber": 300})

    assert ongoing.order("WEB 10/2").OrderInfo.OrderStatusNumber == 300


def test_unknown_admin_routes_are_404(wms_admin: Admin) -> None:
    assert "unknown admin route" in wms_admin.post("nothing-here", {}, expect=404)["error"]


def test_state_lists_articles_suppliers_orders_and_stock(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1", ArticleName="Tent")
    ongoing.process_order(order("1001", [line("1", 2, article_number="SKU-1")]))

    state = wms_admin.get("state")

    assert set(state) == {"articles", "suppliers", "orders", "stock", "returns"}
    assert [o["GoodsOwnerOrderNumber"] for o in state["orders"]] == ["1001"]
    (stock,) = state["stock"]
    assert {key: stock[key] for key in ("ArticleNumber", "NumberOfItems", "NumberOfBookedItems",
                                        "SellableNumberOfItems")} == {
        "ArticleNumber": "SKU-1", "NumberOfItems": "0", "NumberOfBookedItems": "2", "SellableNumberOfItems": "-2"}


def test_reset_forgets_everything(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1")
    wms_admin.post("stock", {"ArticleNumber": "SKU-1", "NumberOfItems": 1})

    wms_admin.post("reset")

    assert wms_admin.get("state") == {"articles": [], "suppliers": [], "orders": [], "stock": [], "returns": []}
    assert ongoing.inventory() == []


def test_demo_stock_covers_the_demo_articles_and_differs_from_the_erp_for_a_third(ongoing: Ongoing,
                                                                                  wms_admin: Admin) -> None:
    wms_admin.post("demo")

    stock = {s["ArticleNumber"]: int(s["NumberOfItems"]) for s in wms_admin.get("state")["stock"]}
    assert sorted(stock) == [f"SKU-{1000 + i}" for i in range(1, 25)]
    erp_demo_stock = {f"SKU-{1000 + i}": 5 * i for i in range(1, 25)}  # the ERP sandbox's demo data
    assert sum(stock[n] != erp_demo_stock[n] for n in stock) == 8
    ongoing.process_article("SKU-1003")
    assert ongoing.inventory_of("SKU-1003").NumberOfItems == stock["SKU-1003"]
