"""A process asset's materialization says where its delta stands as a sentence; the cursor itself
stays in the ledger, where the next run reads it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dagster as dg

from sync_pipeline.assets.reporting import MAX_NAMED_RECORDS, cursor_line
from sync_pipeline.ledger import Ledger, resolve_url
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job


def test_the_line_gives_the_moment_in_utc_and_the_records_handled_there() -> None:
    moment = datetime(2026, 12, 7, 4, 40, 12, tzinfo=timezone(timedelta(hours=1)))
    line = cursor_line(Cursor(moment, {"12": moment.isoformat(), "7": moment.isoformat()}))
    assert line == ("changes read up to 2026-12-07 03:40:12 UTC; handled near that moment, "
                    "not read again unless changed: 12, 7")


def test_a_source_time_without_zone_is_not_called_utc_and_long_lists_are_cut() -> None:
    recent = {str(n): "2026-12-07T03:40:12" for n in range(MAX_NAMED_RECORDS + 3)}
    line = cursor_line(Cursor(datetime(2026, 12, 7, 3, 40, 12), recent))
    assert line.startswith("changes read up to 2026-12-07 03:40:12 (source's time); ")
    assert line.endswith(" and 3 more")


def test_no_cursor_yet_says_everything_is_read() -> None:
    assert cursor_line(Cursor()) == "no changes read yet: the next run reads every record"


def test_the_materialization_shows_a_sentence_and_the_ledger_keeps_the_cursor(
        stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success

    metadata = materialization_metadata(instance, "wms_articles")
    assert "cursor" not in metadata
    assert metadata["changes_read"].startswith("changes read up to ")
    assert not any(isinstance(value, str) and value.lstrip().startswith("{") for value in metadata.values()), \
        "no JSON blob in the materialization"

    ledger = Ledger(resolve_url(None, {"DAGSTER_HOME": instance.root_directory}))
    try:
        saved = ledger.get_cursor("articles")
    finally:
        ledger.close()
    assert saved is not None and Cursor.from_json(saved).moment is not None, "the ledger keeps the cursor"
