"""Alerts through the real Dagster daemon, as an operator meets them.

`dagster dev` (webserver and daemon) serves the code location against both sandboxes, which run in a
child process of their own (`sync-pipeline sandbox`), and posts its alerts to a local webhook. The
operator materializes one day of `orders_resync` from the asset graph (GraphQL, as the UI's button
does): its eight orders are refused, the day shows failed in the partition bar, and one alert names the
materialization, the day, the asset, the count, the first reasons and the run's link. Then the sandboxes'
process stops: the order sensors' ticks fail, tick after tick, and each system is alerted unreachable
once; started again, each is alerted back once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests

from benchmarks.pf5_freshness import dagster_dev
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline_tests.dagster.conftest import Webhook
from sync_pipeline_tests.dagster.test_failure_alerts import assert_for_people
from sync_pipeline_tests.ports import free_ports
from sync_pipeline_tests.waiting import PATIENCE, until

PROJECT = Path(__file__).resolve().parents[2]
DAY = "2026-11-20"
INTERVAL = 5  # SYNC_SENSOR_INTERVAL_SECONDS: how often the daemon ticks the order and alert sensors
GraphQL = Callable[..., dict[str, Any]]

SCHEDULE = """query Schedule($selector: ScheduleSelector!) { scheduleOrError(scheduleSelector: $selector) {
  __typename ... on Schedule { scheduleState { id } } } }"""
STOP_SCHEDULE = """mutation Stop($id: String!) { stopRunningSchedule(id: $id) { __typename } }"""
LAUNCH = """mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
PARTITIONS = """{ assetNodeOrError(assetKey: {path: ["orders_resync"]}) { ... on AssetNode {
  assetPartitionStatuses { ... on TimePartitionStatuses { ranges { startKey endKey status } } } } } }"""
TICKS = """query Ticks($selector: SensorSelector!) { sensorOrError(sensorSelector: $selector) {
  __typename ... on Sensor { sensorState { ticks(limit: 200) { timestamp status } } } } }"""


class Sandboxes:
    """`sync-pipeline sandbox` in a child process, its data in a file, so it can stop and start again."""

    def __init__(self, folder: Path):
        self.erp_port, self.wms_port = free_ports(2)
        self.state, self.log = folder / "sandboxes.sqlite", folder / "sandbox.log"
        self.erp, self.wms = f"http://127.0.0.1:{self.erp_port}", f"http://127.0.0.1:{self.wms_port}"
        self.process: subprocess.Popen | None = None

    def start(self, seed: bool = False) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sync_pipeline.cli", "sandbox", "--erp-port", str(self.erp_port),
                 "--wms-port", str(self.wms_port), "--state", str(self.state), *(["--seed-demo"] if seed else [])],
                cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        until(lambda: self._answers(self.erp) and self._answers(self.wms), "the sandboxes answer")

    def stop(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(60)
        self.process = None

    @staticmethod
    def _answers(base: str) -> bool:
        with suppress(requests.RequestException):
            return requests.get(f"{base}/_sandbox/state", timeout=5).ok
        return False


@contextmanager
def sandboxes(folder: Path) -> Iterator[Sandboxes]:
    boxes = Sandboxes(folder)
    boxes.start(seed=True)
    try:
        yield boxes
    finally:
        if boxes.process is not None:
            boxes.stop()


def ticks_with(graphql: GraphQL, location: str, sensor: str, status: str, since: float) -> int:
    selector = {"repositoryLocationName": location, "repositoryName": "__repository__", "sensorName": sensor}
    ticks = graphql(TICKS, selector=selector)["sensorOrError"]["sensorState"]["ticks"]
    return sum(1 for tick in ticks if tick["status"] == status and float(tick["timestamp"]) >= since)


def alerts(webhook: Webhook, kind: str) -> list[dict[str, Any]]:
    return [posted["json"] for posted in webhook.received if posted["json"]["kind"] == kind]


@pytest.mark.timeout(3 * PATIENCE)
def test_a_failed_partition_and_an_outage_are_alerted_through_the_daemon(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    webhook = Webhook()
    with sandboxes(tmp_path) as boxes:
        # The day's orders, changed long before the sensors' first look: only the operator's run sends them.
        requests.post(f"{boxes.erp}/_sandbox/orders/date_changed", timeout=10, json=[
            {"OrderId": i, "DateChanged": f"{DAY}T10:00:00+00:00"} for i in range(1, 11)]).raise_for_status()
        for name in [name for name in os.environ if name.startswith(("SYNC_", "SO24_", "ONGOING_"))]:
            monkeypatch.delenv(name)
        for name, value in {**sandbox_environment(boxes.erp, boxes.wms), "DAGSTER_HOME": str(tmp_path),
                            "SYNC_ALERT_WEBHOOK_URL": webhook.url}.items():
            monkeypatch.setenv(name, value)
        try:
            with dagster_dev(tmp_path, INTERVAL) as (graphql, location):
                repository = {"repositoryLocationName": location, "repositoryName": "__repository__"}
                schedule = graphql(SCHEDULE, selector={**repository, "scheduleName": "sync_all_schedule"})
                graphql(STOP_SCHEDULE, id=schedule["scheduleOrError"]["scheduleState"]["id"])  # as in the UI

                # -- one day refused: the partition fails and says so ----------------------------------
                launched = graphql(LAUNCH, params={
                    "selector": {**repository, "jobName": "__ASSET_JOB", "assetSelection": [{"path": ["orders_resync"]}]},
                    "executionMetadata": {"tags": [{"key": "dagster/partition", "value": DAY}]}})["launchRun"]
                assert launched["__typename"] == "LaunchRunSuccess", launched
                run_id = launched["run"]["runId"]
                (alert,) = until(lambda: [a for a in alerts(webhook, "run failed") if a["run_id"] == run_id],
                                 "the failed partition's alert")
                assert (alert["job"], alert["partition"], alert["assets"], alert["failed"]) == (
                    "materialization of orders_resync", DAY, ["orders_resync"], 8)
                assert alert["link"].endswith(f"/runs/{run_id}") and alert["link"].startswith("http://127.0.0.1:")
                assert alert["text"].startswith(f"Materialization of orders_resync failed for partition {DAY}. "
                                                "orders_resync: 8 record(s) refused; first: record 1, field ")
                assert "article with ProductCode 1 does not exist" in alert["text"]
                assert alert["text"].endswith(f"Run {run_id}: {alert['link']}")
                assert_for_people(alert["text"])
                ranges = graphql(PARTITIONS)["assetNodeOrError"]["assetPartitionStatuses"]["ranges"]
                assert {"startKey": DAY, "endKey": DAY, "status": "FAILED"} in ranges, ranges

                # -- the sandboxes stop: one alert per system however many ticks fail -------------------
                stopped = time.time()
                boxes.stop()
                for sensor in ("erp_new_orders", "wms_shipped_orders"):
                    until(lambda: ticks_with(graphql, location, sensor, "FAILURE", stopped) >= 3,
                          f"three failed ticks of {sensor}")
                started = until(lambda: len(alerts(webhook, "outage started")) >= 2 and alerts(webhook, "outage started"),
                                "both outages alerted")
                assert sorted(a["system"] for a in started) == ["24SevenOffice", "Ongoing WMS"]
                assert all(" cannot be reached since " in a["text"] and "connection lost" in a["text"] for a in started)

                back = time.time()
                boxes.start()
                for sensor in ("erp_new_orders", "wms_shipped_orders"):
                    until(lambda: ticks_with(graphql, location, sensor, "SKIPPED", back)
                          + ticks_with(graphql, location, sensor, "SUCCESS", back) >= 3,
                          f"three good ticks of {sensor} again")
                ended = until(lambda: len(alerts(webhook, "outage ended")) >= 2 and alerts(webhook, "outage ended"),
                              "both outages' ends alerted")
                assert sorted(a["system"] for a in ended) == ["24SevenOffice", "Ongoing WMS"]
                assert all(" answers again: the sensor " in a["text"] for a in ended)
                assert len(alerts(webhook, "outage started")) == 2, "no second start alert for the same outage"
                assert len(alerts(webhook, "run failed")) == 1, "the outage's failed ticks are not run alerts"
        finally:
            webhook.stop()
