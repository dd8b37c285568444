"""What the UI shows of drift: the report's tables (capped, escaped) and the history of recent runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sync_pipeline.reconcile.drift import Drift
from sync_pipeline.reconcile.markdown import MAX_ROWS, drift_history_markdown, drift_markdown, stock_history_markdown

AT = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def drift_with(**rows) -> Drift:
    categories = ["articles_only_in_erp", "orders_only_in_wms", "stock_differences"]
    return Drift(categories=categories, rows={name: rows.get(name, []) for name in categories},
                 in_transit={name: 0 for name in categories} | {"orders_only_in_wms": 2})


def test_the_report_counts_everything_and_shows_the_first_rows():
    orders = [{"order": f"W|{n}", "wms_status": 200, "wms_order_id": n} for n in range(MAX_ROWS + 7)]
    text = drift_markdown(drift_with(orders_only_in_wms=orders), threshold=0, grace_minutes=30, at=AT)
    assert "57 difference(s), **over** the threshold of 0" in text
    assert "| Orders in the warehouse unknown to 24SevenOffice | 57 | 2 |" in text
    assert "| W\\|0 | 200 | 0 |" in text, "a | in a value does not break the table"
    assert f"W\\|{MAX_ROWS - 1} " in text and f"W\\|{MAX_ROWS} " not in text
    assert "| … 7 more |" in text
    assert "Articles only in 24SevenOffice" in text and "**Articles only" not in text, "empty tables are left out"


def test_no_drift_says_so():
    text = drift_markdown(drift_with(), threshold=0, grace_minutes=30, at=AT)
    assert "0 difference(s), within the threshold of 0" in text
    assert "held" not in text


def test_history_lists_runs_newest_first_with_their_counts():
    history = [(AT, {"drift_total": 3, "articles_only_in_erp": 1, "stock_differences": 2, "in_transit": 0}),
               (AT - timedelta(hours=1), {"drift_total": 0, "articles_only_in_erp": 0, "stock_differences": 0,
                                          "in_transit": 4})]
    text = drift_history_markdown(history, ["articles_only_in_erp", "stock_differences"])
    lines = text.splitlines()
    assert lines[0] == "| Run at | Total | Articles only ERP | Stock differences | In transit |"
    assert lines[2] == "| 2026-03-02 12:00:00 UTC | 3 | 1 | 2 | 0 |"
    assert lines[3] == "| 2026-03-02 11:00:00 UTC | 0 | 0 | 0 | 4 |"
    assert drift_history_markdown([], []) == "No runs yet."


def test_stock_history_names_the_largest_differences_of_each_run():
    history = [(AT, {"differences": 2, "largest_differences": [
                    {"article": "SKU-3", "erp": "15", "wms": "18", "difference": "+3"},
                    {"article": "SKU-6", "erp": None, "wms": "4", "difference": None}]}),
               (AT - timedelta(minutes=15), {"differences": 0, "largest_differences": []}),
               (AT - timedelta(minutes=30), {"differences": 8})]  # a run from before the history was kept
    lines = stock_history_markdown(history).splitlines()
    assert lines[2] == "| 2026-03-02 12:00:00 UTC | 2 | SKU-3 +3, SKU-6 (no ERP stock) |"
    assert lines[3] == "| 2026-03-02 11:45:00 UTC | 0 | — |"
    assert lines[4] == "| 2026-03-02 11:30:00 UTC | 8 | — |"
