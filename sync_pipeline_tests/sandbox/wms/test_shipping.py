"""The warehouse ships an order (admin route): status, ShippedTime, picked quantities, stock, filters."""

from __future__ import annotations

from datetime import timedelta

from sync_pipeline_tests.sandbox.wms.ongoing import NOT_SET, line, order


def test_shipping_an_order_sets_sent_and_shipped_time_and_takes_the_items_from_stock(clocked) -> None:
    ongoing, admin, clock = clocked
    ongoing.process_article("SKU-1", ArticleName="Tent")
    ongoing.process_article("SKU-2", ArticleName="Stove")
    admin.post("stock", [{"ArticleNumber": "SKU-1", "NumberOfItems": 10},
                         {"ArticleNumber": "SKU-2", "NumberOfItems": 4}])
    ongoing.process_order(order("1001", [line("1", 3, article_number="SKU-1"), line("2", 1, article_number="SKU-2")]))
    shipped_at = clock.advance(minutes=5)

    reply = admin.post("orders/1001/status", {"OrderStatusNumber": 450, "WayBill": "WB-1"})

    assert (reply["OrderStatusNumber"], reply["OrderStatusText"], reply["WayBill"]) == (450, "Sent", "WB-1")
    found = ongoing.order("1001")
    assert (found.OrderInfo.OrderStatusNumber, found.OrderInfo.OrderStatusText) == (450, "Sent")
    assert found.OrderInfo.ShippedTime == shipped_at
    assert found.OrderInfo.WayBill == "WB-1"
    assert [(l.OrderedNumberOfItems, l.PickedNumberOfItems) for l in found.PickedOrderLines.PickedOrderLine] == [
        (3, 3), (1, 1)]
    tent = ongoing.inventory_of("SKU-1")
    assert (tent.NumberOfItemsDecimal, tent.NumberOfBookedItems, tent.SellableNumberOfItems) == (7, 0, 7)
    assert ongoing.inventory_of("SKU-2").NumberOfItemsDecimal == 3


def test_shipping_twice_takes_the_items_once(clocked) -> None:
    ongoing, admin, clock = clocked
    ongoing.process_article("SKU-1")
    admin.post("stock", {"ArticleNumber": "SKU-1", "NumberOfItems": 10})
    ongoing.process_order(order("1001", [line("1", 3, article_number="SKU-1")]))

    admin.post("orders/1001/status", {"OrderStatusNumber": 450})
    first_shipped = ongoing.order("1001").OrderInfo.ShippedTime
    clock.advance(hours=1)
    admin.post("orders/1001/status", {"OrderStatusNumber": 500})

    assert ongoing.inventory_of("SKU-1").NumberOfItemsDecimal == 7
    assert ongoing.order("1001").OrderInfo.ShippedTime == first_shipped


def test_delta_filters_find_what_changed_since(clocked) -> None:
    ongoing, admin, clock = clocked
    ongoing.process_article("SKU-1")
    start = clock.now()
    for number in ("A", "B", "C"):
        ongoing.process_order(order(number, [line("1", article_number="SKU-1")]))
    clock.advance(minutes=10)
    admin.post("orders/B/status", {"OrderStatusNumber": 450})
    clock.advance(minutes=10)
    admin.post("orders/C/status", {"OrderStatusNumber": 300})

    def numbers(**filters: object) -> list[str]:
        return [o.OrderInfo.GoodsOwnerOrderNumber for o in ongoing.orders(**filters)]

    assert numbers(ShippedTimeFrom=start) == ["B"]
    assert numbers(LastUpdatedFrom=start + timedelta(minutes=5)) == ["B", "C"]
    assert numbers(OrderStatusChangedTimeFrom=start + timedelta(minutes=15)) == ["C"]
    assert numbers(OrderStatusFrom=300, OrderStatusTo=449) == ["C"]
    assert numbers(OrderStatusFrom=450) == ["B"]
    assert numbers(LastUpdatedFrom=clock.now()) == ["C"]  # inclusive bound
    assert [o.OrderInfo.ShippedTime for o in ongoing.orders(OrderNumbersToGet={"string": ["A", "C"]})] == [
        NOT_SET, NOT_SET]


def test_order_updates_count_as_changes_for_the_filters(clocked) -> None:
    ongoing, _admin, clock = clocked
    ongoing.process_article("SKU-1")
    ongoing.process_order(order("A", [line("1", article_number="SKU-1")]))
    ongoing.process_order(order("B", [line("1", article_number="SKU-1")]))
    later = clock.advance(minutes=1)

    ongoing.process_order(order("A", [line("1", 2, article_number="SKU-1")]))

    assert [o.OrderInfo.GoodsOwnerOrderNumber for o in ongoing.orders(LastUpdatedFrom=later)] == ["A"]
    assert ongoing.orders(OrderStatusChangedTimeFrom=later) == []
