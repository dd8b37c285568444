"""Many merchants in one deployment (a tenants file): each a partition, each written to its own systems,
with its own ledger, sensors, schedule and alerts; one merchant's fault leaves the others running."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from sync_pipeline.assets.merchant_scope import MERCHANT_TAG
from sync_pipeline_tests.dagster.conftest import SCHEDULED, Sensors, Webhook
from sync_pipeline_tests.dagster.test_failure_alerts import assert_for_people
from sync_pipeline_tests.tenants.fixtures import MerchantStack

BETA_NAME = "Beta Brand Hoodie"  # a name only beta's ERP has


def definitions() -> dg.Definitions:
    from sync_pipeline.definitions import build_definitions  # reads the settings: import late

    return build_definitions()


def run(defs: dg.Definitions, instance: dg.DagsterInstance, job: str, partition: object) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def(job).execute_in_process(instance=instance, partition_key=partition,
                                                        tags=SCHEDULED, raise_on_error=False)


def names(stack: MerchantStack) -> set[str]:
    return {a.get("ArticleName") or "" for a in stack.wms_admin.get("state")["articles"]}


def run_text(instance: dg.DagsterInstance, run_id: str) -> str:
    """Everything a run shows in the UI: its log messages and every materialization's metadata."""
    parts = []
    for entry in instance.all_logs(run_id):
        parts.append(entry.user_message or "")
        event = entry.dagster_event
        if event is not None and event.is_step_materialization:
            parts += [str(value.value) for value in event.step_materialization_data.materialization.metadata.values()]
    return "\n".join(parts)


def test_each_merchant_is_a_partition_with_its_own_sensors_and_schedule(merchants) -> None:
    defs = definitions()
    for asset in ("wms_articles", "wms_orders", "erp_shipped_orders", "stock_snapshot", "dry_run_plan",
                  "drift_report", "order_latency"):
        assert defs.resolve_assets_def(asset).partitions_def.get_partition_keys() == ["acme", "beta"], asset
    resync = defs.resolve_assets_def("orders_resync").partitions_def
    assert isinstance(resync, dg.MultiPartitionsDefinition)
    assert {dimension.name for dimension in resync.partitions_defs} == {"day", "merchant"}
    sensors = {sensor.name for sensor in defs.sensors}
    assert {"erp_new_orders_acme", "erp_new_orders_beta", "wms_shipped_orders_acme",
            "wms_shipped_orders_beta"} <= sensors
    assert "erp_new_orders" not in sensors
    assert {"sync_all_schedule_acme", "sync_all_schedule_beta"} <= {s.name for s in defs.schedules}


def test_a_merchants_partition_writes_to_its_systems_only(merchants, instance: dg.DagsterInstance) -> None:
    acme, beta = merchants["acme"], merchants["beta"]
    beta.erp_admin.post("products", {"Id": 3, "Name": BETA_NAME})
    defs = definitions()

    first = run(defs, instance, "sync_all", "acme")
    assert first.success
    assert len(acme.wms_admin.get("state")["articles"]) == 24
    assert beta.wms_admin.get("state")["articles"] == [], "acme's run wrote nothing to beta's warehouse"
    assert beta.wms_admin.get("state")["orders"] == []

    second = run(defs, instance, "sync_all", "beta")
    assert second.success
    assert BETA_NAME in names(beta) and BETA_NAME not in names(acme)

    home = Path(instance.root_directory)
    assert (home / "sync_ledger_acme.sqlite").exists() and (home / "sync_ledger_beta.sqlite").exists()
    assert not (home / "sync_ledger.sqlite").exists()
    status = instance.get_status_by_partition(dg.AssetKey("wms_articles"), ["acme", "beta"],
                                              defs.resolve_assets_def("wms_articles").partitions_def)
    assert status == {"acme": dg.AssetPartitionStatus.MATERIALIZED, "beta": dg.AssetPartitionStatus.MATERIALIZED}

    acme_text = run_text(instance, first.run_id)
    assert BETA_NAME not in acme_text, "acme's run shows none of beta's records"
    secrets = {stack.environment[name] for stack in merchants.values() for name in ("SO24_PASSWORD", "ONGOING_PASSWORD")}
    for text in (acme_text, run_text(instance, second.run_id)):
        assert not any(secret in text for secret in secrets)

    again = run(defs, instance, "sync_all", "acme")  # acme's cursor is its own: nothing new for acme
    assert again.success
    assert len(acme.wms_admin.get("state")["articles"]) == 24


def test_a_merchants_outage_is_alerted_for_that_merchant_while_the_others_run(
        merchants, instance: dg.DagsterInstance, monkeypatch) -> None:
    webhook = Webhook()
    monkeypatch.setenv("SYNC_ALERT_WEBHOOK_URL", webhook.url)
    try:
        runs = Sensors(instance, "alert_on_run_failure", "alert_on_check_failure")
        merchants["beta"].wms_admin.post("faults", {"drop_rate": 1.0})
        assert not runs.run("sync_all", "beta").success
        assert runs.run("sync_all", "acme").success
        runs.tick()
        kinds = [(p["json"]["kind"], p["json"]["system"], p["json"]["merchant"]) for p in webhook.received]
        assert kinds == [("outage started", "Ongoing WMS of merchant beta", "beta")]
        assert_for_people(webhook.received[0]["json"]["text"])
        assert len(merchants["acme"].wms_admin.get("state")["articles"]) == 24

        merchants["beta"].wms_admin.post("faults", {})
        assert runs.run("sync_all", "beta").success
        runs.tick()
        assert [p["json"]["kind"] for p in webhook.received] == ["outage started", "outage ended"]
        assert webhook.received[1]["json"]["merchant"] == "beta"
    finally:
        webhook.stop()


def test_a_merchants_sensor_starts_that_merchants_run(merchants, instance: dg.DagsterInstance) -> None:
    defs = definitions()
    ticks = {}
    for key in ("acme", "beta"):
        name = f"erp_new_orders_{key}"
        context = dg.build_sensor_context(instance=instance, cursor=None, definitions=defs,
                                          resources=defs.resources)
        ticks[key] = defs.resolve_sensor_def(name).evaluate_tick(context)
    for key, tick in ticks.items():  # the demo's confirmed orders are new to both
        assert [request.partition_key for request in tick.run_requests] == [key]
        assert tick.run_requests[0].tags[MERCHANT_TAG] == key


def test_a_merchants_day_is_resynced_on_its_own_and_fails_on_its_own(merchants, instance: dg.DagsterInstance) -> None:
    defs = definitions()
    resync = defs.resolve_assets_def("orders_resync").partitions_def
    day = resync.get_partitions_def_for_dimension("day").get_last_partition_key()
    beta_day, acme_day = (dg.MultiPartitionKey({"day": day, "merchant": key}) for key in ("beta", "acme"))

    refused = run(defs, instance, "resync_day", beta_day)  # beta's articles are not in its warehouse yet
    assert not refused.success
    status = instance.get_status_by_partition(dg.AssetKey("orders_resync"), [beta_day, acme_day], resync)
    assert status[beta_day] is dg.AssetPartitionStatus.FAILED and status.get(acme_day) is None
    assert merchants["acme"].wms_admin.get("state")["orders"] == []

    assert run(defs, instance, "sync_all", "beta").success  # the refused orders wait out their backoff
    by_hand = defs.resolve_job_def("resync_day").execute_in_process(instance=instance, partition_key=beta_day)
    assert by_hand.success  # an operator's run of the day sends them now
    assert merchants["acme"].wms_admin.get("state")["orders"] == []
    assert len(merchants["beta"].wms_admin.get("state")["orders"]) == 8


def test_a_merchants_failed_run_is_alerted_by_the_merchants_name(merchants, instance: dg.DagsterInstance,
                                                                 monkeypatch) -> None:
    webhook = Webhook()
    monkeypatch.setenv("SYNC_ALERT_WEBHOOK_URL", webhook.url)
    try:
        runs = Sensors(instance, "alert_on_run_failure")
        wrong = {"ops": {"wms_articles": {"config": {"changed_from": "2026-12-02", "changed_before": "2026-12-01"}}}}
        failed = runs.defs.resolve_job_def("sync_all").execute_in_process(
            instance=instance, partition_key="beta", run_config=wrong, raise_on_error=False)
        assert not failed.success
        runs.tick()
        (alert,) = [posted["json"] for posted in webhook.received]
        assert (alert["kind"], alert["merchant"], alert["partition"]) == ("run failed", "beta", "beta")
        assert alert["text"].startswith("The job sync_all failed for merchant beta. ")
        assert "changed_before (2026-12-01) is not after changed_from (2026-12-02)" in alert["text"]
        assert_for_people(alert["text"])
    finally:
        webhook.stop()


def test_each_merchants_stock_cycles_are_kept_apart(merchants, instance: dg.DagsterInstance, monkeypatch,
                                                    capsys) -> None:
    from sync_pipeline.cli import main

    merchants["beta"].wms_admin.post("stock", {"ArticleNumber": "SKU-1002", "NumberOfItems": 77})
    defs = definitions()
    for key in ("acme", "beta"):
        assert run(defs, instance, "sync_all", key).success
    monkeypatch.setenv("DAGSTER_HOME", instance.root_directory)
    home = Path(instance.root_directory) / "stock_history"
    assert sorted(path.name for path in home.iterdir()) == ["acme", "beta"]
    assert main(["stock-history", "SKU-1002", "--merchant", "beta"]) == 0
    beta = capsys.readouterr().out
    assert main(["stock-history", "SKU-1002", "--merchant", "acme"]) == 0
    acme = capsys.readouterr().out
    assert "| 77 |" in beta and "| 77 |" not in acme
    assert main(["stock-history", "SKU-1002"]) == 2
    assert "the tenants file lists 2 merchants (acme, beta): name one with --merchant" in capsys.readouterr().err
