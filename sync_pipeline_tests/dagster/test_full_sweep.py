"""The periodic full sweep catches what a delta read misses, and writes only what differs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dagster as dg

from sync_pipeline.processes.runner import SWEEP_SUFFIX
from sync_pipeline.ledger import Ledger, resolve_url
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job


def article_names(stack: Stack) -> dict[str, str]:
    return {a["ArticleNumber"]: a.get("ArticleName") for a in stack.wms_admin.get("state")["articles"]}


def test_a_change_the_delta_missed_is_caught_by_the_next_full_sweep(stack: Stack,
                                                                    instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success  # the first run is a full sweep
    # A change whose change time lies behind the cursor: a delta read cannot see it.
    stack.erp_admin.post("products", [{"Id": 1, "Name": "Ullpledd Fjellrype – ny"}])
    two_days_ago = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat()
    stack.erp_admin.post("products/date_changed", [{"Id": 1, "DateChanged": two_days_ago}])

    assert run_job("sync_all", instance).success
    assert article_names(stack)["SKU-1001"] != "Ullpledd Fjellrype – ny", "the delta read missed it"

    ledger = Ledger(resolve_url(None, {"DAGSTER_HOME": instance.root_directory}))
    ledger.set_cursor("articles" + SWEEP_SUFFIX, (datetime.now(timezone.utc) - timedelta(hours=25)).isoformat())
    stack.wms_admin.post("calls/reset")
    assert run_job("sync_all", instance).success
    assert article_names(stack)["SKU-1001"] == "Ullpledd Fjellrype – ny"
    calls = stack.wms_admin.get("calls")["counts"]
    assert calls.get("ProcessArticle") == 1, "the sweep re-read every product but wrote only the changed one"
    metadata = materialization_metadata(instance, "wms_articles")
    assert metadata["full_sweep"] is True and metadata["updated"] == 1
