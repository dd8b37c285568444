"""The run-failure sensor: a failed run alerts the log and a real webhook in sentences, naming the job
(a run started from the asset graph by what it materializes), partition, asset, refused records and
run, and never showing a password, the webhook's address or a Python class path. A partition whose
records were refused fails."""

from __future__ import annotations

import json
import logging
import os
import re

import dagster as dg
import pytest

from sync_pipeline.automation.alerts import Alert, Notifier
from sync_pipeline_tests.dagster.conftest import TOKEN, Sensors, Stack, Webhook
from sync_pipeline_tests.ports import free_port

WRONG_PASSWORD = "not-the-password-4711"


def assert_nothing_secret(text: str, webhook: Webhook) -> None:
    for secret in (WRONG_PASSWORD, os.environ["ONGOING_PASSWORD"], webhook.url, TOKEN):
        assert secret not in text


CLASS_PATH = re.compile(r"\b\w+(\.\w+)+\.[A-Z]\w*(Error|Exception|Failure)\b|Traceback|__ASSET_JOB")


def assert_for_people(text: str) -> None:
    """An alert reads as sentences: no Python class path, traceback or Dagster-internal job name."""
    assert not CLASS_PATH.search(text), text
    assert "Error:" not in text and "Failure:" not in text, text


def test_a_failed_run_is_alerted_to_the_log_and_the_webhook(stack: Stack, webhook: Webhook,
                                                          instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # urllib3 names the address it posts to at DEBUG
    monkeypatch.setenv("SO24_PASSWORD", WRONG_PASSWORD)
    sensor = Sensors(instance, "alert_on_run_failure")
    sensor.tick()
    assert webhook.received == [], "no failure, no alert"

    result = sensor.run("sync_all")
    assert not result.success
    sensor.tick()

    (posted,) = webhook.received
    assert posted["path"] == f"/hooks/{TOKEN}" and posted["content_type"] == "application/json"
    alert = posted["json"]
    assert (alert["kind"], alert["job"], alert["run_id"], alert["partition"]) == (
        "run failed", "sync_all", result.run_id, None)
    link = f"http://127.0.0.1:3000/runs/{result.run_id}"  # SYNC_UI_BASE_URL's default
    assert alert["link"] == link
    assert alert["text"] == ("The job sync_all failed. wms_articles stopped: 24SevenOffice refused the login for "
                             f"demo@example.com. Run {result.run_id}: {link}")
    assert_for_people(alert["text"])
    assert alert["text"] in caplog.text, "the log gets the same alert"
    assert_nothing_secret(json.dumps(alert), webhook)
    assert_nothing_secret(caplog.text, webhook)

    sensor.tick()
    assert len(webhook.received) == 1, "one alert per failed run"


def test_a_partition_whose_records_were_refused_fails_and_says_which(stack: Stack, webhook: Webhook,
                                                                     instance: dg.DagsterInstance) -> None:
    """All eight confirmed orders of the day are refused (their articles are not in the warehouse yet):
    every one is tried, then the partition fails and the alert names the asset's materialization,
    partition, count, first reasons and run."""
    day = "2026-11-20"
    stack.erp_admin.post("orders/date_changed",
                         [{"OrderId": i, "DateChanged": f"{day}T10:00:00+00:00"} for i in range(1, 11)])
    sensor = Sensors(instance, "alert_on_run_failure", "alert_on_check_failure")
    # "Materialize" on the asset's partition in the UI runs Dagster's unnamed asset job.
    run = sensor.defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, partition_key=day, asset_selection=[dg.AssetKey("orders_resync")], raise_on_error=False)
    assert not run.success
    tried = [c for c in stack.wms_admin.get("calls")["log"] if c["operation"] == "ProcessOrder"]
    assert len(tried) == 8 and {c["detail"] for c in tried} == {"refused"}, "every record was tried"

    partitions = sensor.defs.resolve_job_def("resync_day").partitions_def
    status = instance.get_status_by_partition(dg.AssetKey("orders_resync"), [day, "2026-11-21"], partitions)
    assert status == {day: dg.AssetPartitionStatus.FAILED, "2026-11-21": None}, "the UI shows the day failed"
    failure = next(e for e in run.all_events if e.event_type_value == "STEP_FAILURE")
    shown = failure.event_specific_data.user_failure_data.metadata
    assert shown["failed"].value == 8 and "does not exist" in shown["failures"].value, "the run shows the table"
    (check,) = [e.event_specific_data for e in run.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR

    sensor.tick()
    (posted,) = webhook.received  # the failed check is part of the run's alert, not a second one
    alert = posted["json"]
    assert (alert["job"], alert["partition"], alert["assets"], alert["failed"]) == (
        "materialization of orders_resync", day, ["orders_resync"], 8)
    first = "record 1, field CustomerOrderLines[0].ProductCode: Order line 1: article with ProductCode 1 does not exist"
    assert alert["reasons"][0] == first and len(alert["reasons"]) == 3
    assert alert["text"].startswith(f"Materialization of orders_resync failed for partition {day}. "
                                    f"orders_resync: 8 record(s) refused; first: {first}; ")
    assert alert["text"].endswith(f"Run {run.run_id}: http://127.0.0.1:3000/runs/{run.run_id}")
    assert_for_people(alert["text"])


def test_a_failed_partition_of_a_named_job_is_alerted_by_name(stack: Stack, webhook: Webhook,
                                                             instance: dg.DagsterInstance,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SO24_PASSWORD", WRONG_PASSWORD)
    sensor = Sensors(instance, "alert_on_run_failure")
    result = sensor.run("resync_day", partition="2026-11-20")
    assert not result.success
    sensor.tick()

    (posted,) = webhook.received
    assert (posted["json"]["job"], posted["json"]["partition"]) == ("resync_day", "2026-11-20")
    assert posted["json"]["text"].startswith("The job resync_day failed for partition 2026-11-20. orders_resync "
                                             "stopped: 24SevenOffice refused the login")
    assert_nothing_secret(json.dumps(posted["json"]), webhook)
    partitions = sensor.defs.resolve_job_def("resync_day").partitions_def
    status = instance.get_status_by_partition(dg.AssetKey("orders_resync"), ["2026-11-20"], partitions)
    assert status["2026-11-20"] == dg.AssetPartitionStatus.FAILED


ALERT = Alert(kind="run failed", title="Sync run failed: sync_all", text="The job sync_all failed. boom. Run r-1.",
              job="sync_all", run_id="r-1")


def test_the_notifier_tolerates_a_webhook_that_is_down(caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{free_port()}/hooks/{TOKEN}"  # nothing listens there
    Notifier(url, timeout=5).send(ALERT)
    assert ALERT.text in caplog.text, "the log still has the alert"
    assert "alert webhook failed (ConnectionError)" in caplog.text
    assert url not in caplog.text and TOKEN not in caplog.text


def test_the_notifier_tolerates_a_webhook_that_refuses(caplog: pytest.LogCaptureFixture) -> None:
    receiver = Webhook(status=500)
    try:
        Notifier(receiver.url, timeout=5).send(ALERT)
    finally:
        receiver.stop()
    assert len(receiver.received) == 1
    assert "alert webhook failed (HTTPError)" in caplog.text
    assert TOKEN not in caplog.text


def test_the_notifier_masks_secrets_in_the_error(caplog: pytest.LogCaptureFixture) -> None:
    receiver = Webhook()
    leaky = Alert(kind="run failed", title="Sync run failed: sync_all", job="sync_all", run_id="r-2",
                  text=f"login with {WRONG_PASSWORD} at {receiver.url} refused",
                  reasons=(f"record 1: password {WRONG_PASSWORD}",))
    try:
        Notifier(receiver.url, secrets=lambda: [WRONG_PASSWORD, None]).send(leaky)
    finally:
        receiver.stop()
    (posted,) = receiver.received
    assert posted["json"]["text"] == "login with *** at *** refused"
    assert posted["json"]["reasons"] == ["record 1: password ***"]
    assert WRONG_PASSWORD not in caplog.text and TOKEN not in caplog.text


def test_the_notifier_masks_credential_shaped_text_it_was_not_told_of() -> None:
    """An error quoting a URL with a password or a password= pair: masked though not a known secret."""
    receiver = Webhook()
    leaky = Alert(kind="run failed", title="Sync run failed: sync_all", job="sync_all", run_id="r-3",
                  text="GET https://demo:Hunter2x@wms.example.com/x failed; <Password>Hunter2x</Password> "
                        "sent with ASP.NET_SessionId=sess-0042 and token=tok-9911")
    try:
        Notifier(receiver.url).send(leaky)
    finally:
        receiver.stop()
    (posted,) = receiver.received
    error = posted["json"]["text"]
    assert "Hunter2x" not in error and "sess-0042" not in error and "tok-9911" not in error
    assert error.startswith("GET https://demo:***@wms.example.com/x failed")


def test_without_a_webhook_the_log_still_gets_the_alert(caplog: pytest.LogCaptureFixture) -> None:
    Notifier(None).send(ALERT)
    assert [r.getMessage() for r in caplog.records if r.name == "sync_pipeline.alerts"] == [ALERT.text]
