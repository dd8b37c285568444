from decimal import Decimal

from sync_pipeline.stock.diff import compare
from sync_pipeline.stock.frames import erp_frame, wms_frame
from sync_pipeline.stock.writes import StockWrite, planned_writes
from sync_pipeline_tests.stock.records import line, product


def test_writes_carry_the_new_and_the_expected_erp_quantity_as_decimal():
    comparison = compare(
        wms_frame([line("B", Decimal("2.50")), line("A", 7), line("C", 1)], "physical"),
        erp_frame([product(2, "B", Decimal("2.25")), product(1, "A", None), product(3, "C", 1)]),
    )
    writes = planned_writes(comparison)
    assert writes == [
        StockWrite(
            product_id=1, article_number="A", quantity=Decimal(7), expected_erp_quantity=None
        ),
        StockWrite(
            product_id=2,
            article_number="B",
            quantity=Decimal("2.5"),
            expected_erp_quantity=Decimal("2.25"),
        ),
    ]
    assert all(isinstance(write.quantity, Decimal) for write in writes)
    assert all(type(write.product_id) is int for write in writes)
    assert str(writes[0].quantity) == "7"  # plain notation, as SetStockQuantity needs


def test_nothing_to_write_when_stock_agrees():
    comparison = compare(wms_frame([line("A", 1)], "physical"), erp_frame([product(1, "A", 1)]))
    assert planned_writes(comparison) == []
