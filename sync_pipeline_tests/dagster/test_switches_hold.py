"""A switched-off process writes nothing however an operator selects it, and its materialization says so.

Driven as an operator would: "Materialize all" (the implicit asset job over every process asset),
one asset selected alone, sync_all, the dry run, a re-drive and one day's resync, against both
sandboxes; the warehouse's and the ERP's state and call logs are the proof.
"""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline.settings import SettingsError
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job
from sync_pipeline_tests.dagster.test_dry_run import reset_calls, writes_made
from sync_pipeline_tests.dagster.test_redrive import redrive

PROCESS_ASSETS = ["wms_articles", "wms_suppliers", "wms_orders", "erp_shipped_orders", "stock_snapshot"]


def materialize(instance: dg.DagsterInstance, *assets: str) -> dg.ExecuteInProcessResult:
    """What the UI's Materialize (all, or a selection) launches: the implicit asset job over these assets."""
    from sync_pipeline.definitions import build_definitions

    keys = [dg.AssetKey(name) for name in assets]
    job = build_definitions().resolve_implicit_job_def_def_for_assets(keys)
    return job.execute_in_process(instance=instance, asset_selection=keys, raise_on_error=False)


def wms_writes(stack: Stack, operation: str) -> list[dict]:
    return [call for call in stack.wms_admin.get("calls")["log"] if call["operation"] == operation]


def switched_off_says(instance: dg.DagsterInstance, asset: str, switch: str) -> None:
    metadata = materialization_metadata(instance, asset)
    assert metadata["switched_off"].startswith(f"{switch}=off: ") and "nothing was read or written" in \
        metadata["switched_off"]
    assert (metadata["created"], metadata["updated"], metadata["failed"]) == (0, 0, 0)
    check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [dg.AssetCheckKey(dg.AssetKey(asset), "no_failed_records")])[dg.AssetCheckKey(dg.AssetKey(asset),
                                                                                      "no_failed_records")]
    evaluation = check.event.dagster_event.event_specific_data
    assert evaluation.passed and evaluation.description.startswith(f"switched off: {switch}=off")


def test_materialize_all_with_suppliers_off_sends_no_supplier(stack: Stack, instance: dg.DagsterInstance) -> None:
    result = materialize(instance, *PROCESS_ASSETS)

    assert result.success
    assert stack.wms_admin.get("state")["suppliers"] == [], "no supplier reached the warehouse"
    assert all("MainSupplier" not in str(call) for call in wms_writes(stack, "ProcessArticle"))
    assert len(stack.wms_admin.get("state")["articles"]) == 24, "the switched-on processes ran"
    switched_off_says(instance, "wms_suppliers", "SYNC_SUPPLIERS")


def test_selecting_a_switched_off_asset_alone_writes_nothing(stack: Stack, instance: dg.DagsterInstance,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_ARTICLES", "off")
    reset_calls(stack)

    result = materialize(instance, "wms_articles", "wms_suppliers")

    assert result.success
    assert writes_made(stack) == set()
    assert stack.wms_admin.get("state")["articles"] == []
    switched_off_says(instance, "wms_articles", "SYNC_ARTICLES")
    switched_off_says(instance, "wms_suppliers", "SYNC_SUPPLIERS")


def test_sync_all_and_the_dry_run_leave_a_switched_off_process_alone(stack: Stack, instance: dg.DagsterInstance,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_ARTICLES", "off")
    monkeypatch.setenv("SYNC_STOCK", "off")

    assert run_job("dry_run", instance).success
    plan = materialization_metadata(instance, "dry_run_plan")["plan_json"]
    assert {write["operation"] for write in plan} <= {"ProcessOrder"}
    assert run_job("sync_all", instance).success

    assert wms_writes(stack, "ProcessArticle") == [] and stack.wms_admin.get("state")["articles"] == []
    assert [call for call in stack.erp_admin.get("calls")["log"] if call["operation"] == "SetStockQuantity"] == []


def test_a_switched_off_process_refuses_a_redrive(stack: Stack, instance: dg.DagsterInstance) -> None:
    erp_supplier = next(c for c in stack.erp_admin.get("state")["companies"] if c.get("Type") == "Supplier")
    reset_calls(stack)

    result = redrive(instance, "supplier", str(erp_supplier["Id"]))

    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "switched off (SYNC_SUPPLIERS=off)" in failure.event_specific_data.error.message
    assert writes_made(stack) == set()


def test_a_switched_off_process_writes_nothing_on_a_day_resync(stack: Stack, instance: dg.DagsterInstance,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from sync_pipeline.assets.process_assets import RESYNC_ASSETS
    from sync_pipeline.definitions import build_definitions

    monkeypatch.setenv("SYNC_ORDERS", "off")
    reset_calls(stack)
    day = RESYNC_ASSETS["orders_resync"].partitions_def.get_last_partition_key()
    job = build_definitions().resolve_implicit_job_def_def_for_assets([dg.AssetKey("orders_resync")])

    result = job.execute_in_process(instance=instance, partition_key=day, raise_on_error=False,
                                    asset_selection=[dg.AssetKey("orders_resync")])

    assert result.success
    assert writes_made(stack) == set() and stack.wms_admin.get("state")["orders"] == []
    switched_off_says(instance, "orders_resync", "SYNC_ORDERS")


def test_suppliers_on_with_articles_off_is_refused_when_the_code_location_loads(
        stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync_pipeline.definitions import build_definitions

    monkeypatch.setenv("SYNC_ARTICLES", "off")
    monkeypatch.setenv("SYNC_SUPPLIERS", "on")
    reset_calls(stack)

    with pytest.raises(SettingsError, match="SYNC_SUPPLIERS is on but SYNC_ARTICLES is off"):
        build_definitions()
    assert writes_made(stack) == set()
