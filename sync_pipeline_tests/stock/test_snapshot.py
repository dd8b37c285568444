import json
from datetime import datetime, timezone
from decimal import Decimal

from sync_pipeline.stock.diff import compare
from sync_pipeline.stock.frames import erp_frame, wms_frame
from sync_pipeline.stock.snapshot import StockSnapshot
from sync_pipeline_tests.stock.records import line, product

TAKEN_AT = datetime(2024, 6, 1, 8, 30, tzinfo=timezone.utc)


def snapshot(lines, products, basis="physical", **options):
    comparison = compare(wms_frame(lines, basis), erp_frame(products))
    return StockSnapshot.from_comparison(comparison, taken_at=TAKEN_AT, **options)


def test_changes_are_listed_largest_difference_first():
    snap = snapshot(
        [line("small", 11), line("large", 100), line("none", 5), line("mid", 20)],
        [product(1, "small", 10), product(2, "large", 1), product(3, "none", None),
         product(4, "mid", 10)],
    )
    assert [row["article_number"] for row in snap.rows["changes"]] == [
        "large", "mid", "none", "small"
    ]
    assert snap.rows["changes"][0]["delta"] == "99"
    assert snap.rows["changes"][2]["erp_quantity"] is None


def test_dict_is_json_with_exact_quantities_and_full_counts():
    snap = snapshot(
        [line("A", sellable=Decimal("1.125")), line("wms-only", sellable=1)],
        [product(1, "A", Decimal("0.5")), product(2, "erp-only", 2)],
        basis="sellable",
    )
    data = json.loads(json.dumps(snap.to_dict()))
    assert data["taken_at"] == "2024-06-01T08:30:00Z"
    assert data["basis"] == "sellable"
    assert data["counts"]["changed"] == 1
    assert data["changes"][0]["wms_quantity"] == "1.125"
    assert data["changes"][0]["erp_quantity"] == "0.5"
    assert data["changes"][0]["delta"] == "0.625"
    assert data["changes"][0]["erp_changed"] == "2024-05-01T12:00:00Z"
    assert data["only_in_wms"] == [
        {"article_number": "wms-only", "product_code": None, "wms_quantity": "1"}
    ]
    assert data["only_in_erp"] == [
        {"article_number": "erp-only", "product_id": 2, "erp_quantity": "2"}
    ]


def test_lists_are_capped_but_counts_are_not():
    lines = [line(f"W{n:03d}", 1) for n in range(30)]
    snap = snapshot(lines, [], limit=10)
    assert len(snap.rows["only_in_wms"]) == 10
    assert snap.counts["only_in_wms"] == 30
    assert "10 of 30" in snap.to_markdown()


def test_markdown_shows_counts_and_sections_and_escapes_cells():
    snap = snapshot(
        [line("A|B", 3), line("dup", 1), line("dup", 1)],
        [product(1, "A|B", 2), product(2, "dup", 1)],
    )
    text = snap.to_markdown()
    assert "| Compared | Unchanged | Changed |" in text
    assert "| 1 | 0 | 1 |" in text
    assert "A\\|B" in text  # a pipe in an article number does not break the table
    assert "Duplicate article numbers" in text
    assert "Only in the ERP" not in text  # empty sections are left out
    (row,) = [row for row in text.splitlines() if "A\\|B" in row]
    assert row.count("|") - row.count("\\|") == 7  # six columns


def test_nothing_but_stock_data_in_the_snapshot():
    snap = snapshot([line("A", 1)], [product(1, "A", 2)])
    assert set(snap.to_dict()) == {
        "taken_at", "basis", "counts", "limit", "changes", "only_in_wms", "only_in_erp",
        "duplicates", "invalid", "renamed",
    }
