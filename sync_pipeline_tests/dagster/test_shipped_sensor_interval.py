"""SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS: the shipped-order sensor looks at its own pace, and its looks
cost the warehouse requests, never 24SevenOffice's (whose hourly limit the ERP sensor's looks count against)."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline.settings import SettingsError, load_settings
from sync_pipeline_tests.dagster.conftest import Stack

ORDER_SENSORS = ("erp_new_orders", "wms_shipped_orders")


def _defs() -> dg.Definitions:
    from sync_pipeline.definitions import build_definitions  # reads the settings: import late

    return build_definitions()


def _intervals(defs: dg.Definitions) -> dict[str, int | None]:
    return {s.name: s.minimum_interval_seconds for s in defs.sensors if s.name in ORDER_SENSORS}


def test_the_shipped_sensor_looks_at_its_own_interval(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_SENSOR_INTERVAL_SECONDS", "30")
    assert _intervals(_defs()) == {"erp_new_orders": 30, "wms_shipped_orders": 30}, "unset: as the other sensors"
    monkeypatch.setenv("SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS", "5")
    defs = _defs()
    assert _intervals(defs) == {"erp_new_orders": 30, "wms_shipped_orders": 5}
    description = defs.resolve_sensor_def("wms_shipped_orders").description or ""
    assert "looks every 5 s" in description and "SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS" in description


def test_a_look_of_the_shipped_sensor_costs_no_erp_request(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking more often for shipments spends the warehouse's requests only: counted in both call logs."""
    monkeypatch.setenv("SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS", "5")
    defs = _defs()
    sensor = defs.resolve_sensor_def("wms_shipped_orders")
    cursor = None
    with dg.instance_for_test() as instance:
        for _ in range(3):
            stack.erp_admin.post("calls/reset")
            stack.wms_admin.post("calls/reset")
            context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=defs.resources,
                                              sensor_name=sensor.name)
            cursor = sensor.evaluate_tick(context).cursor
            assert sum(stack.erp_admin.get("calls")["counts"].values()) == 0
            assert sum(stack.wms_admin.get("calls")["counts"].values()) >= 1, "each look reads the warehouse"


@pytest.mark.parametrize("value", ["0", "3601", "5s"])
def test_a_wrong_shipped_interval_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS", value)
    with pytest.raises(SettingsError, match="SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS: must be a whole number of seconds"):
        load_settings(None, so24_application_id="11111111-1111-1111-1111-111111111111", so24_username="u",
                      so24_password="p", ongoing_base_url="http://127.0.0.1:1/x", ongoing_goods_owner_code="G",
                      ongoing_username="u", ongoing_password="p")
