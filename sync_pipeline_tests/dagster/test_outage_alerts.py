"""Outages: a system that sensor ticks or runs cannot reach is alerted once when that starts and once
when it answers again, however many ticks and runs fail meanwhile. Either may see it first: the ERP's
outage is seen first by a run and ends with a sensor's tick, the warehouse's the other way round."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline.automation.outages import ERP, WMS, system_of, unreachable as unreachable_error
from sync_pipeline.soap.errors import RetryableError
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.dagster.conftest import Sensors, Stack, Webhook
from sync_pipeline_tests.dagster.test_failure_alerts import assert_for_people
from sync_pipeline_tests.dagster.test_sensors import Ticks


def unreachable(admin: Admin) -> None:
    """Every connection to the system dropped before it answers, as when it is down or cut off (the
    daemon test, test_daemon_alerts.py, stops the sandboxes' process instead)."""
    admin.post("faults", {"drop_rate": 1.0})


def back(admin: Admin) -> None:
    admin.post("faults", {})


def kinds(webhook: Webhook) -> list[tuple[str, str | None]]:
    return [(posted["json"]["kind"], posted["json"]["system"]) for posted in webhook.received]


def test_an_erp_outage_seen_first_by_a_run_ends_with_a_sensor_tick(stack: Stack, webhook: Webhook,
                                                                  instance: dg.DagsterInstance) -> None:
    runs = Sensors(instance, "alert_on_run_failure", "alert_on_check_failure")
    ticks = Ticks(runs.defs, "erp_new_orders", instance)
    ticks.tick()
    unreachable(stack.erp_admin)
    first = runs.run("sync_all")
    assert not first.success and not runs.run("sync_all").success
    runs.tick()
    for _ in range(2):
        with pytest.raises(RetryableError, match="connection lost"):  # the tick still fails, as the UI shows
            ticks.tick()
    assert kinds(webhook) == [("outage started", "24SevenOffice")], "one alert for two failed runs and two ticks"
    started = webhook.received[0]["json"]
    assert started["text"].startswith("24SevenOffice cannot be reached since ")
    assert f": run {first.run_id[:8]} (sync_all) failed with \"" in started["text"]
    assert ": connection lost (ConnectionError)\"" in started["text"]
    assert_for_people(started["text"])

    back(stack.erp_admin)
    ticks.tick()
    ticks.tick()
    assert runs.run("sync_all").success
    runs.tick()
    assert kinds(webhook) == [("outage started", "24SevenOffice"), ("outage ended", "24SevenOffice")]
    ended = webhook.received[1]["json"]["text"]
    assert ended.startswith("24SevenOffice answers again: the sensor erp_new_orders reached it at ")
    assert " unreachable (since " in ended


def test_a_wms_outage_seen_first_by_a_sensor_tick_ends_with_a_run(stack: Stack, webhook: Webhook,
                                                                 instance: dg.DagsterInstance) -> None:
    runs = Sensors(instance, "alert_on_run_failure", "alert_on_check_failure")
    ticks = Ticks(runs.defs, "wms_shipped_orders", instance)
    ticks.tick()
    unreachable(stack.wms_admin)
    with pytest.raises(RetryableError, match="GetOrdersByQuery: connection lost"):
        ticks.tick()
    assert not runs.run("sync_all").success and not runs.run("sync_all").success
    runs.tick()
    assert kinds(webhook) == [("outage started", "Ongoing WMS")], "the failed runs are part of the outage"
    assert ": the sensor wms_shipped_orders failed with " in webhook.received[0]["json"]["text"]

    back(stack.wms_admin)
    success = runs.run("sync_all")
    assert success.success
    runs.tick()
    assert kinds(webhook) == [("outage started", "Ongoing WMS"), ("outage ended", "Ongoing WMS")]
    assert webhook.received[1]["json"]["text"].startswith(
        f"Ongoing WMS answers again: run {success.run_id[:8]} (sync_all) reached it at ")


@pytest.mark.parametrize("error_class, message, system", [
    ("RetryableError", "GetOrderSyncList: connection lost (ConnectionError)", ERP),
    ("QuarantineError", "GetProducts: Limit exceeded. Request is blocked. Quarantine ends at 2026-12-07T05:00:00", ERP),
    ("BatchAborted", "3 records in a row failed, the rest wait for the next run: ProcessArticle: timed out", WMS),
])
def test_a_failure_that_could_not_get_through_names_its_system(error_class: str, message: str, system: str) -> None:
    import sync_pipeline.sync.writer  # noqa: F401 - BatchAborted, as a run's process has it loaded

    assert unreachable_error(error_class) and system_of(message) == system


def test_a_refusal_is_not_an_outage() -> None:
    assert not unreachable_error("AuthenticationError") and not unreachable_error("Failure")
    assert system_of("3 record(s) refused in orders_resync, partition 2026-11-20") is None
