"""Three merchants side by side through the real Dagster daemon, one of them with its warehouse down.

`dagster dev` serves the code location with a tenants file of three merchants, each an ERP client and a
goods owner of the same sandboxes (one 3PL warehouse). Each merchant's order sensor starts its own runs:
merchant_1's and merchant_3's new orders reach their warehouses while merchant_2's warehouse cannot be
reached; that outage is alerted once, naming merchant_2, and no alert names another merchant. When it
answers again, its end is alerted, and the operator rematerializes merchant_2's partition of wms_orders
from the asset graph: its orders arrive, and its partition shows materialized beside the others.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from benchmarks.pf5_freshness import dagster_dev
from sync_pipeline.sandbox.main import start
from sync_pipeline.sandbox.merchants import ensure_demo_merchants, password_environment, tenants_file
from sync_pipeline_tests.dagster.conftest import Webhook
from sync_pipeline_tests.dagster.test_daemon_alerts import LAUNCH, alerts, ticks_with
from sync_pipeline_tests.dagster.test_failure_alerts import assert_for_people
from sync_pipeline_tests.waiting import PATIENCE, until

INTERVAL = 5  # SYNC_SENSOR_INTERVAL_SECONDS
KEYS = ("merchant_1", "merchant_2", "merchant_3")
DOWN = "merchant_2"
PARTITIONS = """{ assetNodeOrError(assetKey: {path: ["wms_orders"]}) { ... on AssetNode {
  assetPartitionStatuses { ... on DefaultPartitionStatuses { materializedPartitions failedPartitions } } } } }"""


def warehouse_orders(wms_url: str, key: str) -> list[dict[str, Any]]:
    reply = requests.get(f"{wms_url}/_sandbox/goods-owners/{key.upper()}/state", timeout=10)
    reply.raise_for_status()
    return reply.json()["orders"]


def confirmed(erp_url: str, key: str) -> list[int]:
    reply = requests.get(f"{erp_url}/_sandbox/clients/{key}/state", timeout=10)
    reply.raise_for_status()
    return sorted(order["OrderId"] for order in reply.json()["orders"] if order["OrderStatus"] == "Confirmed")


def faults(wms_url: str, key: str, body: dict[str, Any]) -> None:
    requests.post(f"{wms_url}/_sandbox/goods-owners/{key.upper()}/faults", json=body, timeout=10).raise_for_status()


@pytest.mark.timeout(4 * PATIENCE)
def test_three_merchants_run_side_by_side_and_one_merchants_outage_is_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    erp, wms = start("127.0.0.1", 0, 0, state=None, seed_demo=False)
    webhook = Webhook()
    try:
        merchants = ensure_demo_merchants(erp, wms, len(KEYS))
        tenants = tmp_path / "tenants.yaml"
        tenants.write_text(tenants_file(merchants, erp.url, wms.url), encoding="utf-8")
        for name in [name for name in os.environ if name.startswith(("SYNC_", "SO24_", "ONGOING_"))]:
            monkeypatch.delenv(name)
        for name, value in {**password_environment(merchants), "SYNC_TENANTS_FILE": str(tenants),
                            "DAGSTER_HOME": str(tmp_path), "SYNC_ALERT_WEBHOOK_URL": webhook.url}.items():
            monkeypatch.setenv(name, value)
        expected = {key: confirmed(erp.url, key) for key in KEYS}
        faults(wms.url, DOWN, {"drop_rate": 1.0})

        with dagster_dev(tmp_path, INTERVAL) as (graphql, location):
            for key in KEYS:  # the others' orders arrive while merchant_2's warehouse is down
                if key != DOWN:
                    until(lambda key=key: warehouse_orders(wms.url, key), f"{key}'s orders in its warehouse")
            since = time.time()
            until(lambda: ticks_with(graphql, location, f"wms_shipped_orders_{DOWN}", "FAILURE", since) >= 2,
                  f"two failed ticks of {DOWN}'s shipped-order sensor")
            (started,) = until(lambda: alerts(webhook, "outage started"), "the outage's alert")
            assert (started["system"], started["merchant"]) == (f"Ongoing WMS of merchant {DOWN}", DOWN)
            assert_for_people(started["text"])
            assert all(posted["json"]["merchant"] == DOWN for posted in webhook.received), webhook.received
            assert warehouse_orders(wms.url, DOWN) == []

            faults(wms.url, DOWN, {})
            (ended,) = until(lambda: alerts(webhook, "outage ended"), "the outage's end alerted")
            assert ended["merchant"] == DOWN
            repository = {"repositoryLocationName": location, "repositoryName": "__repository__"}
            launched = graphql(LAUNCH, params={
                "selector": {**repository, "jobName": "__ASSET_JOB", "assetSelection": [{"path": ["wms_articles"]},
                                                                                       {"path": ["wms_orders"]}]},
                "executionMetadata": {"tags": [{"key": "dagster/partition", "value": DOWN}]}})["launchRun"]
            assert launched["__typename"] == "LaunchRunSuccess", launched
            until(lambda: warehouse_orders(wms.url, DOWN), f"{DOWN}'s orders after rematerializing its partition")
            statuses = until(lambda: (lambda s: s if set(s["materializedPartitions"]) == set(KEYS) else None)(
                graphql(PARTITIONS)["assetNodeOrError"]["assetPartitionStatuses"]), "every merchant materialized")
            assert statuses["failedPartitions"] == []
            assert len(alerts(webhook, "outage started")) == 1
            for number, key in enumerate(KEYS, start=1):  # each warehouse holds its merchant's orders, once each
                held = sorted(int(order["GoodsOwnerOrderNumber"]) for order in warehouse_orders(wms.url, key))
                assert held == expected[key], key
                assert all(number * 1000 < order < (number + 1) * 1000 for order in held), key
    finally:
        webhook.stop()
        erp.stop()
        wms.stop()
