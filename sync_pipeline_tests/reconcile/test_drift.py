"""The drift comparison on plain data: what each category catches, what is in transit or held."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sync_pipeline.erp.models import InvoiceOrder, InvoiceRow, OrderStatus, Product
from sync_pipeline.ledger import Kind, LedgerEntry, State
from sync_pipeline.reconcile.drift import DriftOptions, Systems, compare_systems, public_rows
from sync_pipeline.wms.models import InventoryLine, WmsOrder

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
EARLIER = NOW - timedelta(hours=3)
SETTLED = NOW - timedelta(minutes=30)


def product(pid: int, stock: int | str = 10, changed: datetime = EARLIER, **fields) -> Product:
    return Product(Id=pid, No=f"SKU-{pid}", Name=f"Product {pid}", Stock=Decimal(stock), DateChanged=changed, **fields)


def line(number: str, quantity: int | str = 10, system_id: int | None = None) -> InventoryLine:
    return InventoryLine(ArticleSystemId=system_id or abs(hash(number)) % 10**6, ArticleNumber=number,
                         NumberOfItems=Decimal(quantity), NumberOfBookedItems=Decimal(0),
                         SellableNumberOfItems=Decimal(quantity))


def erp_order(oid: int, status: str = "Confirmed", changed: datetime = EARLIER, products=(1,)) -> InvoiceOrder:
    rows = [InvoiceRow(ProductId=p, RowId=i, Quantity=Decimal(1)) for i, p in enumerate(products)]
    return InvoiceOrder(OrderId=oid, OrderStatus=OrderStatus(status), DateChanged=changed, InvoiceRows=rows)


def wms_order(number: str, status: int = 200, shipped: datetime | None = None) -> WmsOrder:
    return WmsOrder(OrderId=1000 + len(number) * 7 + sum(map(ord, number)), GoodsOwnerOrderNumber=number,
                    OrderStatusNumber=status, ShippedTime=shipped)


def in_step() -> dict:
    """Three products and articles with equal stock; order 1 open in both, order 2 shipped and Sent."""
    return dict(
        products=[product(1), product(2), product(3)],
        inventory=[line("SKU-1"), line("SKU-2"), line("SKU-3")],
        erp_orders={1: erp_order(1), 2: erp_order(2, "OrderState_Sent")},
        expected_in_wms=frozenset({1}),
        wms_orders={"1": wms_order("1"), "2": wms_order("2", 450, EARLIER)},
    )


def compare(options: DriftOptions = DriftOptions(), **systems):
    return compare_systems(Systems(**{**in_step(), **systems}), options, SETTLED)


def keys(drift, category: str) -> list:
    return [row.get("order", row.get("article")) for row in drift.rows[category]]


def test_systems_in_step_have_no_drift():
    drift = compare()
    assert drift.total == 0 and drift.total_in_transit == 0 and drift.held == []
    assert drift.counts() == dict.fromkeys(drift.categories, 0)


def test_articles_on_one_side_only():
    drift = compare(products=[product(1), product(2), product(3), product(4), Product(Id=9, Name="no number")],
                    inventory=[line("SKU-1"), line("SKU-2"), line("SKU-3"), line("OLD-7")])
    assert keys(drift, "articles_only_in_erp") == ["SKU-4"]
    assert keys(drift, "articles_only_in_wms") == ["OLD-7"]
    assert drift.total == 2


def test_orders_missing_on_either_side_name_the_ledger_failure():
    drift = compare(erp_orders={1: erp_order(1), 2: erp_order(2, "OrderState_Sent"), 3: erp_order(3)},
                    expected_in_wms=frozenset({1, 3}),
                    wms_orders={**in_step()["wms_orders"], "77": wms_order("77"), "WEB-5": wms_order("WEB-5"),
                                "78": wms_order("78", 1000)},
                    order_errors={"3": "SKU-9: unknown article"})
    assert public_rows(drift.rows["orders_only_in_erp"]) == [
        {"order": 3, "erp_status": "Confirmed", "changed": EARLIER, "last_failure": "SKU-9: unknown article"}]
    assert keys(drift, "orders_only_in_wms") == ["77", "WEB-5"], "a cancelled WMS order is not drift"


def test_an_order_held_for_customs_is_listed_apart_not_counted():
    held = "held for customs: order 3 goes to US; SKU-1 lacks an HS code"
    drift = compare(erp_orders={1: erp_order(1), 2: erp_order(2, "OrderState_Sent"), 3: erp_order(3)},
                    expected_in_wms=frozenset({1, 3}), order_errors={"3": held})
    assert drift.rows["orders_only_in_erp"] == [] and drift.total == 0
    assert [row["order"] for row in drift.customs_held] == [3] and drift.customs_held[0]["last_failure"] == held


def test_status_mismatches_both_ways():
    drift = compare(erp_orders={1: erp_order(1, "OrderState_Sent"), 2: erp_order(2)},
                    wms_orders={"1": wms_order("1", 300), "2": wms_order("2", 450, EARLIER)},
                    expected_in_wms=frozenset())
    assert keys(drift, "shipped_not_reported") == ["2"]
    assert keys(drift, "erp_shipped_not_in_wms") == ["1"]


def test_stock_differences_largest_first_and_only_stock_controlled():
    drift = compare(products=[product(1, 10), product(2, 10), product(3, 10), product(4, 5, StockControlled=False)],
                    inventory=[line("SKU-1", 12), line("SKU-2", 3), line("SKU-3", "10.5"), line("SKU-4", 9)])
    assert public_rows(drift.rows["stock_differences"]) == [
        {"article": "SKU-2", "product_id": 2, "erp": "10", "wms": "3", "difference": "-7"},
        {"article": "SKU-1", "product_id": 1, "erp": "10", "wms": "12", "difference": "+2"},
        {"article": "SKU-3", "product_id": 3, "erp": "10", "wms": "10.5", "difference": "+0.5"},
    ]


def test_recent_changes_are_in_transit_not_drift():
    recent = NOW - timedelta(minutes=5)
    drift = compare(products=[product(1, changed=recent), product(2), product(3), product(4, changed=recent)],
                    inventory=[line("SKU-1", 11), line("SKU-2", 12), line("SKU-3")],
                    erp_orders={1: erp_order(1), 2: erp_order(2), 5: erp_order(5, changed=recent)},
                    expected_in_wms=frozenset({1, 5}),
                    wms_orders={"1": wms_order("1"), "2": wms_order("2", 450, recent)},
                    stock_changed_recently=frozenset({"SKU-2"}))
    assert drift.total == 0
    assert drift.in_transit == {"articles_only_in_erp": 1, "articles_only_in_wms": 0, "orders_only_in_erp": 1,
                                "orders_only_in_wms": 0, "shipped_not_reported": 1, "erp_shipped_not_in_wms": 0,
                                "stock_differences": 1}
    assert [row["article"] for row in drift.held] == ["SKU-1"], "order 2 is shipped, not reported: held"


def entry(kind: Kind, key: int, state: State, version: datetime | None, error: str | None = None) -> LedgerEntry:
    return LedgerEntry(kind=kind, key=str(key), state=state, source_version=version.isoformat() if version else None,
                       payload_hash="a" * 64, wms_id=None, last_error=error, error_field=None, retryable=False,
                       attempts=0, next_attempt_at=None, dead=False, claimed_by=None, claimed_until=None,
                       updated_at=NOW)


def test_a_recent_change_the_ledger_already_wrote_is_drift_not_in_transit():
    """The target lost what the ledger says it confirmed: however recent the change, nothing is in flight."""
    recent, newer = NOW - timedelta(minutes=5), NOW - timedelta(minutes=2)
    orders = {1: erp_order(1, changed=recent), 2: erp_order(2, changed=recent), 3: erp_order(3, changed=newer),
              4: erp_order(4, changed=recent), 5: erp_order(5, changed=recent)}
    drift = compare(products=[product(1, changed=recent), product(2, changed=recent), product(3, changed=newer)],
                    inventory=[], erp_orders=orders, expected_in_wms=frozenset(orders), wms_orders={},
                    ledger_entries={
                        (Kind.ARTICLE, "1"): entry(Kind.ARTICLE, 1, State.SENT, recent),  # written: lost
                        (Kind.ARTICLE, "3"): entry(Kind.ARTICLE, 3, State.SENT, recent),  # an older version
                        (Kind.ORDER, "1"): entry(Kind.ORDER, 1, State.SENT, recent),
                        (Kind.ORDER, "2"): entry(Kind.ORDER, 2, State.SHIPPED, newer),  # a later version, further on
                        (Kind.ORDER, "3"): entry(Kind.ORDER, 3, State.SENT, recent),
                        (Kind.ORDER, "4"): entry(Kind.ORDER, 4, State.SENT, recent, error="timeout"),  # retrying
                        (Kind.ORDER, "5"): entry(Kind.ORDER, 5, State.PENDING, recent),
                    })
    assert keys(drift, "articles_only_in_erp") == ["SKU-1"]
    assert drift.in_transit["articles_only_in_erp"] == 2, "product 2 never written, product 3 changed since"
    assert sorted(keys(drift, "orders_only_in_erp")) == [1, 2]
    assert drift.in_transit["orders_only_in_erp"] == 3


def test_a_recent_shipment_the_ledger_has_reported_is_drift():
    recent = NOW - timedelta(minutes=5)
    shipped = {"1": wms_order("1", 450, recent), "2": wms_order("2", 450, recent)}
    drift = compare(erp_orders={1: erp_order(1), 2: erp_order(2)}, expected_in_wms=frozenset({1, 2}),
                    wms_orders=shipped,
                    ledger_entries={(Kind.ORDER, "1"): entry(Kind.ORDER, 1, State.REPORTED, EARLIER),
                                    (Kind.ORDER, "2"): entry(Kind.ORDER, 2, State.SHIPPED, EARLIER)})
    assert keys(drift, "shipped_not_reported") == ["1"], "the ERP lost the status the ledger says it confirmed"
    assert drift.in_transit["shipped_not_reported"] == 1


def test_stock_on_orders_in_flight_is_held_not_counted():
    drift = compare(products=[product(1), product(2), product(3)],
                    inventory=[line("SKU-1", 4), line("SKU-2", 3), line("SKU-3", 1)],
                    erp_orders={**in_step()["erp_orders"], 6: erp_order(6, products=(2,))},
                    in_flight_orders=frozenset({6}))
    assert keys(drift, "stock_differences") == ["SKU-3", "SKU-1"]
    assert [row["article"] for row in drift.held] == ["SKU-2"]


def test_processes_switched_off_are_not_compared():
    options = DriftOptions(processes_on=frozenset({"stock", "suppliers"}))
    drift = compare(options, products=[product(1, 3), product(4)], inventory=[line("SKU-1"), line("X")],
                    wms_orders={"99": wms_order("99")})
    assert drift.categories == ["stock_differences"]
    assert drift.total == 1
    no_report = compare(DriftOptions(processes_on=frozenset({"articles", "orders", "stock"})),
                        erp_orders={1: erp_order(1), 2: erp_order(2)})  # order 2 shipped, ERP still Confirmed
    assert "shipped_not_reported" not in no_report.categories and no_report.total == 0


def test_configured_statuses_are_used():
    options = DriftOptions(pull_status="Pack", shipped_status="Invoiced", wms_sent_status=500)
    drift = compare(options, erp_orders={1: erp_order(1, "Pack"), 2: erp_order(2, "Invoiced")},
                    wms_orders={"1": wms_order("1", 450, EARLIER), "2": wms_order("2", 500, EARLIER)})
    assert drift.total == 0, "450 is not shipped when the warehouse ships at 500"


def test_stock_differences_say_since_when_they_differ_from_the_kept_cycles():
    from sync_pipeline.reconcile.drift import stock_articles, with_standings
    from sync_pipeline.stock.history import Standing

    drift = compare(products=[product(1), product(2), product(3)],
                    inventory=[line("SKU-1", 4), line("SKU-2", 3), line("SKU-3", 1)],
                    erp_orders={**in_step()["erp_orders"], 6: erp_order(6, products=(2,))},
                    in_flight_orders=frozenset({6}))
    assert stock_articles(drift) == ["SKU-1", "SKU-2", "SKU-3"], "held ones too"
    with_standings(drift, {"SKU-2": Standing("SKU-2", EARLIER, "3", "10", "changed", EARLIER - timedelta(days=2)),
                           "SKU-3": Standing("SKU-3", EARLIER, "10", "10", "unchanged", None)})
    since = {row["article"]: (row["differs_since"], row["last_cycle"]) for row in [*drift.rows["stock_differences"],
                                                                                    *drift.held]}
    assert since == {
        "SKU-1": ("not in the stock history", None),
        "SKU-2": (EARLIER - timedelta(days=2), "WMS 3, ERP 10 (changed) at 2026-03-02 09:00:00 UTC"),
        "SKU-3": ("new since the last cycle", "WMS 10, ERP 10 (unchanged) at 2026-03-02 09:00:00 UTC"),
    }
