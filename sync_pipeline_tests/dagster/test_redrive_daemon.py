"""Re-drive by clicking, through `dagster dev` (webserver and daemon), as the UI's buttons do it over GraphQL.

Two articles are refused in a cycle; the daemon's sensor lists them as partitions of failed_records; the
operator fixes one in the ERP, selects both partitions and presses Materialize (a backfill, one run per
partition). The fixed one is sent and its partition goes; the other fails again, stays listed, red.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.pf5_freshness import dagster_dev
from sync_pipeline_tests.dagster.conftest import Stack
from sync_pipeline_tests.dagster.test_dry_run import reset_calls, writes_made
from sync_pipeline_tests.dagster.test_redrive import LONG_NAME
from sync_pipeline_tests.waiting import until

INTERVAL = 2  # SYNC_SENSOR_INTERVAL_SECONDS: how often the daemon ticks failed_records_partitions
ARTICLE_3, ARTICLE_5 = "article:SKU-1003 (product 3)", "article:SKU-1005 (product 5)"
FINISHED = ("SUCCESS", "FAILURE", "CANCELED")

LAUNCH = """mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
RUN = """query Run($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""
PARTITIONS = """{ assetNodeOrError(assetKey: {path: ["failed_records"]}) { ... on AssetNode {
  partitionKeys assetPartitionStatuses { ... on DefaultPartitionStatuses {
    materializedPartitions failedPartitions unmaterializedPartitions } } } } }"""
BACKFILL = """mutation Backfill($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }"""
BACKFILL_STATUS = """query Status($id: String!) { partitionBackfillOrError(backfillId: $id) {
  ... on PartitionBackfill { status } } }"""


def failed_records(graphql: Any) -> dict[str, list[str]]:
    node = graphql(PARTITIONS)["assetNodeOrError"]
    return {"keys": node["partitionKeys"], **node["assetPartitionStatuses"]}


def backfill_ended(graphql: Any, backfill_id: str) -> str | None:
    status = graphql(BACKFILL_STATUS, id=backfill_id)["partitionBackfillOrError"]["status"]
    return None if status in ("REQUESTED", "FAILING", "CANCELING") else status


def listed_exactly(graphql: Any, keys: list[str]) -> dict[str, list[str]] | None:
    now = failed_records(graphql)
    return now if now["keys"] == keys else None


def test_selected_partitions_are_redriven_through_the_daemon(stack: Stack, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("SYNC_ORDERS", "off")  # no order sensors starting runs of their own meanwhile
    monkeypatch.setenv("SYNC_INTERVAL_MINUTES", "1440")  # the schedule fires at 00:00 UTC only
    stack.erp_admin.post("products", [{"Id": 3, "Name": LONG_NAME}, {"Id": 5, "Name": LONG_NAME}])

    with dagster_dev(tmp_path, INTERVAL) as (graphql, location):
        repository = {"repositoryLocationName": location, "repositoryName": "__repository__"}
        launched = graphql(LAUNCH, params={"selector": {**repository, "jobName": "sync_all"}})["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        assert until(lambda: graphql(RUN, id=run_id)["runOrError"]["status"] in FINISHED, "sync_all ends")
        assert graphql(RUN, id=run_id)["runOrError"]["status"] == "SUCCESS"

        until(lambda: failed_records(graphql)["keys"] == [ARTICLE_3, ARTICLE_5], "the sensor lists both articles")
        stack.erp_admin.post("products", {"Id": 3, "Name": "Fixed name"})  # 5 stays too long
        reset_calls(stack)

        backfill = graphql(BACKFILL, params={"partitionNames": [ARTICLE_3, ARTICLE_5],
                                             "assetSelection": [{"path": ["failed_records"]}]})
        backfill = backfill["launchPartitionBackfill"]
        assert backfill["__typename"] == "LaunchBackfillSuccess", backfill
        status = until(lambda: backfill_ended(graphql, backfill["backfillId"]), "the backfill ends")
        assert status in ("COMPLETED_FAILED", "FAILED"), "one of the two re-drives failed"

        listed = until(lambda: listed_exactly(graphql, [ARTICLE_5]), "the sent record's partition goes")
        assert listed["failedPartitions"] == [ARTICLE_5], "the record refused again shows failed"
        assert writes_made(stack) == {("ProcessArticle", "SKU-1003"), ("ProcessArticle", "SKU-1005")}
        names = {a["ArticleNumber"]: a["ArticleName"] for a in stack.wms_admin.get("state")["articles"]}
        assert names["SKU-1003"] == "Fixed name" and "SKU-1005" not in names
