"""The run-failure sensor: a failed run alerts the log and a real webhook, naming job, run, partition
and error, and never showing a password or the webhook's address."""

from __future__ import annotations

import json
import logging
import os

import dagster as dg
import pytest

from sync_pipeline.automation.alerts import Alert, Notifier
from sync_pipeline_tests.dagster.conftest import TOKEN, Sensors, Stack, Webhook
from sync_pipeline_tests.ports import free_port

WRONG_PASSWORD = "not-the-password-4711"


def assert_nothing_secret(text: str, webhook: Webhook) -> None:
    for secret in (WRONG_PASSWORD, os.environ["ONGOING_PASSWORD"], webhook.url, TOKEN):
        assert secret not in text


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
    assert alert["job"] == "sync_all"
    assert alert["run_id"] == result.run_id
    assert alert["partition"] is None
    assert "wms_articles" in alert["error"] and "AuthenticationError" in alert["error"]
    assert "24SevenOffice refused the login for demo@example.com" in alert["error"]
    link = f"http://127.0.0.1:3000/runs/{result.run_id}"  # SYNC_UI_BASE_URL's default
    assert alert["link"] == link
    assert alert["text"] == f"Sync run failed: job sync_all, run {result.run_id}: {alert['error']} — {link}"
    assert alert["text"] in caplog.text, "the log gets the same alert"
    assert_nothing_secret(json.dumps(alert), webhook)
    assert_nothing_secret(caplog.text, webhook)

    sensor.tick()
    assert len(webhook.received) == 1, "one alert per failed run"


def test_a_failed_partition_is_alerted_by_name_and_shows_as_failed(stack: Stack, webhook: Webhook,
                                                                  instance: dg.DagsterInstance,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SO24_PASSWORD", WRONG_PASSWORD)
    sensor = Sensors(instance, "alert_on_run_failure")
    result = sensor.run("resync_day", partition="2026-11-20")
    assert not result.success
    sensor.tick()

    (posted,) = webhook.received
    assert posted["json"]["job"] == "resync_day"
    assert posted["json"]["partition"] == "2026-11-20"
    assert ", partition 2026-11-20, " in posted["json"]["text"]
    assert "orders_resync: " in posted["json"]["error"]
    assert_nothing_secret(json.dumps(posted["json"]), webhook)

    partitions = sensor.defs.resolve_job_def("resync_day").partitions_def
    status = instance.get_status_by_partition(dg.AssetKey("orders_resync"), ["2026-11-20", "2026-11-21"], partitions)
    assert status["2026-11-20"] == dg.AssetPartitionStatus.FAILED, "the UI shows the day as failed"
    assert status["2026-11-21"] is None

    # "Materialize" on one asset's partition in the UI runs Dagster's unnamed asset job.
    ui_run = sensor.defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, partition_key="2026-11-21", asset_selection=[dg.AssetKey("stock_resync")],
        raise_on_error=False)
    assert not ui_run.success
    sensor.tick()
    alert = webhook.received[-1]["json"]
    assert (alert["run_id"], alert["partition"], alert["assets"]) == (ui_run.run_id, "2026-11-21", ["stock_resync"])
    assert alert["text"].startswith("Sync run failed: job __ASSET_JOB (assets stock_resync), partition 2026-11-21, ")


def test_a_stopped_erp_fails_the_run_and_is_alerted(stack: Stack, webhook: Webhook,
                                                   instance: dg.DagsterInstance) -> None:
    sensor = Sensors(instance, "alert_on_run_failure")
    stack.erp.stop()
    result = sensor.run("sync_all")
    assert not result.success
    sensor.tick()
    (posted,) = webhook.received
    assert posted["json"]["run_id"] == result.run_id
    assert "wms_articles: sync_pipeline.soap.errors.RetryableError: Login: connection lost" in posted["json"]["error"]
    assert_nothing_secret(json.dumps(posted["json"]), webhook)


ALERT = Alert(title="Sync run failed", job="sync_all", run_id="r-1", error="boom")


def test_the_notifier_tolerates_a_webhook_that_is_down(caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{free_port()}/hooks/{TOKEN}"  # nothing listens there
    Notifier(url, timeout=5).send(ALERT)
    assert ALERT.text() in caplog.text, "the log still has the alert"
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
    leaky = Alert(title="Sync run failed", job="sync_all", run_id="r-2",
                  error=f"login with {WRONG_PASSWORD} at {receiver.url} refused")
    try:
        Notifier(receiver.url, secrets=lambda: [WRONG_PASSWORD, None]).send(leaky)
    finally:
        receiver.stop()
    (posted,) = receiver.received
    assert posted["json"]["error"] == "login with *** at *** refused"
    assert WRONG_PASSWORD not in caplog.text and TOKEN not in caplog.text


def test_the_notifier_masks_credential_shaped_text_it_was_not_told_of() -> None:
    """An error quoting a URL with a password or a password= pair: masked though not a known secret."""
    receiver = Webhook()
    leaky = Alert(title="Sync run failed", job="sync_all", run_id="r-3",
                  error="GET https://demo:Hunter2x@wms.example.com/x failed; <Password>Hunter2x</Password> "
                        "sent with ASP.NET_SessionId=sess-0042 and token=tok-9911")
    try:
        Notifier(receiver.url).send(leaky)
    finally:
        receiver.stop()
    (posted,) = receiver.received
    error = posted["json"]["error"]
    assert "Hunter2x" not in error and "sess-0042" not in error and "tok-9911" not in error
    assert error.startswith("GET https://demo:***@wms.example.com/x failed")


def test_without_a_webhook_the_log_still_gets_the_alert(caplog: pytest.LogCaptureFixture) -> None:
    Notifier(None).send(ALERT)
    assert [r.getMessage() for r in caplog.records if r.name == "sync_pipeline.alerts"] == [ALERT.text()]
