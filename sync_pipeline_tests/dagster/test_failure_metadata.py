"""The failures and dead-letter tables: each failed record with its attempts and next attempt, from the ledger."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sync_pipeline.assets.reporting import LedgerView, dead_letters_markdown, failures_markdown, report_metadata
from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.report import SyncReport

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def test_failures_show_attempts_and_when_each_record_goes_next(tmp_path) -> None:
    ledger = Ledger(sqlite_url(tmp_path / "ledger.sqlite"), random=lambda: 0.0, clock=lambda: NOW)
    busy = RecordError(key="SKU-1001", message="Timeout expired", retryable=True)
    refused = RecordError(key="SKU-1002", message="ArticleName too long", field="ArticleName")
    ledger.record_failure(Kind.ARTICLE, "1", busy)
    waiting = ledger.record_failure(Kind.ARTICLE, "1", busy)
    dead = ledger.record_failure(Kind.ARTICLE, "2", refused)
    imported = RecordError(key="7", message="status refused")  # reported, never recorded in the ledger
    report = SyncReport("articles", failures=[busy, refused, imported])
    report.ledger = LedgerView(Kind.ARTICLE, {busy: waiting, refused: dead}, ledger.dead_letters(Kind.ARTICLE))

    rows = failures_markdown(report).splitlines()
    assert rows[0] == "| record | field | reason | retryable | attempts | next attempt |"
    next_at = waiting.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert waiting.next_attempt_at > NOW + timedelta(seconds=1)
    assert rows[2] == f"| SKU-1001 |  | Timeout expired | yes | 2 | {next_at} |"
    assert rows[3] == "| SKU-1002 | ArticleName | ArticleName too long | no | 1 | dead-lettered |"
    assert rows[4] == "| 7 |  | status refused | no | — | — |"

    letters = dead_letters_markdown(report.ledger)
    assert letters.startswith("1 dead-lettered article record(s).")
    assert "| 2 | error | ArticleName | ArticleName too long | 1 | 2026-11-20 10:00:00 UTC |" in letters
    metadata = report_metadata(report)
    assert metadata["dead_lettered"].value == 0, "this run left out no dead-lettered record"
    assert metadata["dead_letters"].value == letters


def test_without_a_ledger_the_tables_still_render() -> None:
    report = SyncReport("stock", failures=[RecordError(key="SKU-9", message="no | pipes\nor lines")])
    assert failures_markdown(report).splitlines()[2] == "| SKU-9 |  | no \\| pipes or lines | no | — | — |"
    assert "dead_letters" not in report_metadata(report)
    assert dead_letters_markdown(LedgerView(Kind.ORDER)) == "No dead-lettered order records."
