from decimal import Decimal

import numpy as np
import pandas as pd

from sync_pipeline.stock.diff import compare
from sync_pipeline.stock.frames import FINGERPRINT_COLUMNS, erp_frame, wms_frame
from sync_pipeline.stock.quantity import to_units
from sync_pipeline.stock.writes import planned_writes
from sync_pipeline_tests.stock.records import line, product


def diff(lines, products, basis="physical", **options):
    return compare(wms_frame(lines, basis), erp_frame(products), **options)


def test_equal_stock_needs_no_writes():
    result = diff([line("A", 1), line("B", 2)], [product(1, "A", 1), product(2, "B", 2)])
    assert result.changes.empty
    assert result.counts["compared"] == 2
    assert result.counts["unchanged"] == 2
    assert result.counts["changed"] == 0


def test_one_differing_article_is_exactly_the_one_change():
    lines = [line(f"SKU-{n}", n) for n in range(1, 6)]
    products = [product(n, f"SKU-{n}", n) for n in range(1, 6)]
    products[2] = product(3, "SKU-3", 30)
    result = diff(lines, products)
    assert result.changes["article_number"].tolist() == ["SKU-3"]
    row = result.changes.iloc[0]
    assert row["product_id"] == 3
    assert row["erp_quantity"] == to_units(30)
    assert row["wms_quantity"] == to_units(3)
    assert row["delta"] == to_units(-27)
    assert (result.compared, result.unchanged, result.changed) == (5, 4, 1)


def test_missing_erp_stock_counts_as_different_even_against_zero():
    result = diff([line("A", 0)], [product(1, "A", None)])
    assert result.changes["article_number"].tolist() == ["A"]
    assert result.changes["erp_quantity"].isna().all()
    assert result.changes["delta"].isna().all()


def test_articles_on_one_side_only_are_reported_not_changed():
    result = diff(
        [line("both", 1), line("wms-only", 5)],
        [product(1, "both", 1), product(2, "erp-only", 7)],
    )
    assert result.changes.empty
    assert result.only_in_wms["article_number"].tolist() == ["wms-only"]
    assert result.only_in_wms["wms_quantity"].tolist() == [to_units(5)]
    assert result.only_in_erp["article_number"].tolist() == ["erp-only"]
    assert result.only_in_erp["product_id"].tolist() == [2]
    assert planned_writes(result) == []  # a missing WMS line is not a zero


def test_duplicate_article_numbers_on_either_side_block_the_article():
    result = diff(
        [line("dup-wms", 1), line("dup-wms", 2), line("dup-erp", 3), line("ok", 4)],
        [
            product(1, "dup-wms", 9),
            product(2, "dup-erp", 9),
            product(3, "dup-erp", 9),
            product(4, "ok", 5),
        ],
    )
    assert result.changes["article_number"].tolist() == ["ok"]
    assert result.duplicates.to_dict("records") == [
        {"article_number": "dup-erp", "wms_count": 1, "erp_count": 2},
        {"article_number": "dup-wms", "wms_count": 2, "erp_count": 1},
    ]
    assert result.only_in_wms.empty and result.only_in_erp.empty
    assert result.compared == 1


def test_duplicates_on_both_sides_at_once():
    result = diff([line("X", 1), line("X", 1)], [product(1, "X", 2), product(2, "X", 3)])
    assert result.changes.empty
    assert result.duplicates.to_dict("records") == [
        {"article_number": "X", "wms_count": 2, "erp_count": 2}
    ]


def test_decimal_precision_is_exact():
    result = diff(
        [line("same", Decimal("1.001")), line("differs", Decimal("1.001"))],
        [product(1, "same", Decimal("1.0010")), product(2, "differs", Decimal("1.002"))],
    )
    assert result.changes["article_number"].tolist() == ["differs"]
    assert [w.quantity for w in planned_writes(result)] == [Decimal("1.001")]


def test_stock_beyond_float_precision_is_still_compared_exactly():
    # 1e12 + 1e-6 and 1e12 are the same float64 value, but different stock
    result = diff(
        [line("big", Decimal("1000000000000.000001"))],
        [product(1, "big", Decimal("1000000000000"))],
    )
    assert result.changed == 1
    assert planned_writes(result)[0].quantity == Decimal("1000000000000.000001")


def test_negative_sellable_stock_is_written_as_negative():
    result = diff([line("A", physical=5, sellable=-3)], [product(1, "A", 5)], basis="sellable")
    assert result.changes["wms_quantity"].tolist() == [to_units(-3)]
    assert planned_writes(result)[0].quantity == Decimal(-3)


def test_basis_switch_changes_what_differs():
    lines = [line("A", physical=10, sellable=8), line("B", physical=4, sellable=4)]
    products = [product(1, "A", 10), product(2, "B", 4)]
    assert diff(lines, products, basis="physical").changed == 0
    sellable = diff(lines, products, basis="sellable")
    assert sellable.changes["article_number"].tolist() == ["A"]
    assert sellable.basis == "sellable"


def test_numeric_looking_article_numbers_are_different_articles():
    result = diff(
        [line("00123", 1), line("123.0", 1)], [product(1, "123", 1), product(2, "123.0", 1)]
    )
    assert result.only_in_wms["article_number"].tolist() == ["00123"]
    assert result.only_in_erp["article_number"].tolist() == ["123"]
    assert result.compared == 1


def test_unicode_article_numbers_match_exactly():
    result = diff(
        [line("Ærø-1", 2), line("日本-2", 3), line("e\u0301", 1)],
        [product(1, "Ærø-1", 1), product(2, "日本-2", 3), product(3, "\u00e9", 1)],
    )
    # é written precomposed and decomposed are different keys: nothing is normalised
    assert result.changes["article_number"].tolist() == ["Ærø-1"]
    assert result.only_in_wms["article_number"].tolist() == ["e\u0301"]
    assert result.only_in_erp["article_number"].tolist() == ["\u00e9"]


def test_unreadable_rows_are_reported_and_their_article_left_alone():
    result = diff(
        [line("bad-qty", Decimal("0.0000001")), line(None, 3), line("ok", 1)],
        [product(1, "bad-qty", 5), product(None, "no-id", 5), product(3, "ok", 2)],
    )
    assert result.changes["article_number"].tolist() == ["ok"]
    invalid = result.invalid.to_dict("records")
    assert [(row["article_number"], row["side"]) for row in invalid] == [
        ("", "wms"),
        ("bad-qty", "wms"),
        ("no-id", "erp"),
    ]
    assert result.only_in_erp.empty  # bad-qty is not "only in the ERP": it is invalid
    assert result.only_in_wms.empty


def test_renamed_product_is_spotted_through_the_product_code():
    result = diff(
        [line("OLD-NO", 5, product_code="42")],
        [product(42, "NEW-NO", 5)],
    )
    assert result.renamed.to_dict("records") == [
        {"product_id": 42, "erp_article_number": "NEW-NO", "wms_article_number": "OLD-NO"}
    ]


def test_outputs_are_sorted_by_article_number():
    names = ["b", "C", "a", "B", "10", "9"]
    result = diff(
        [line(name, 1) for name in names] + [line(f"w-{name}", 1) for name in names],
        [product(i, name, 2) for i, name in enumerate(names)]
        + [product(100 + i, f"e-{name}", 1) for i, name in enumerate(names)],
    )
    assert result.changes["article_number"].tolist() == sorted(names)
    assert result.only_in_wms["article_number"].tolist() == sorted(f"w-{n}" for n in names)
    assert result.only_in_erp["article_number"].tolist() == sorted(f"e-{n}" for n in names)


def test_frames_without_fingerprints_or_with_stale_ones_give_the_same_result():
    lines = [line(f"K{n}", n) for n in range(50)]
    products = [product(n, f"K{n}", n + (n % 7 == 0)) for n in range(50)]
    wms, erp = wms_frame(lines, "physical"), erp_frame(products)
    expected = compare(wms, erp).changes["article_number"].tolist()
    bare = compare(wms.drop(columns=list(FINGERPRINT_COLUMNS)), erp)
    assert bare.changes["article_number"].tolist() == expected
    # keys edited in place after the frame was built: the fingerprints no longer fit
    edited = erp.copy()
    edited["article_number"] = pd.array([f"K{n}" for n in reversed(range(50))], dtype="str")
    edited["erp_quantity"] = erp["erp_quantity"].array[::-1]
    edited["product_id"] = erp["product_id"].to_numpy()[::-1]
    assert compare(wms, edited).changes["article_number"].tolist() == expected


def test_fingerprint_only_matching_gives_the_same_result():
    lines = [line(f"K{n}", n) for n in range(100)]
    products = [product(n, f"K{n}", n + (n % 9 == 0)) for n in range(100)]
    fast, exact = diff(lines, products, verify_keys=False), diff(lines, products)
    pd.testing.assert_frame_equal(fast.changes, exact.changes)


def test_empty_sides():
    assert diff([], []).counts["compared"] == 0
    assert diff([line("A", 1)], []).only_in_wms["article_number"].tolist() == ["A"]
    assert diff([], [product(1, "A", 1)]).only_in_erp["article_number"].tolist() == ["A"]


def test_by_default_a_fingerprint_collision_never_joins_two_articles(monkeypatch):
    def forged(keys):  # every key gets the same fingerprint: the worst possible hash
        return np.full(len(keys), 7, dtype=np.uint64), np.full(len(keys), 7, dtype=np.uint64)

    for module in ("frames", "diff", "keys"):
        monkeypatch.setattr(f"sync_pipeline.stock.{module}.key_fingerprints", forged)
    lines, products = [line("X", 1)], [product(1, "Y", 2)]
    assert diff(lines, products, verify_keys=False).changes["article_number"].tolist() == ["X"]  # forged: joined
    exact = diff(lines, products)
    assert exact.changes.empty
    assert exact.only_in_wms["article_number"].tolist() == ["X"]
    assert exact.only_in_erp["article_number"].tolist() == ["Y"]
