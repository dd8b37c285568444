"""The customs hold as the operator meets it in Dagster: a Norwegian merchant (SYNC_CUSTOMS_AREA=NO) whose
demo orders to Sweden wait for their articles' customs value. The materialization of wms_orders names
each held order, article and what it lacks; the check alert arrives once (the webhook), not every cycle;
the merchant maps the value (SYNC_EXTRA_FIELDS), resyncs the articles, and the next cycle sends the
orders, listed as released."""

from __future__ import annotations

import time

import dagster as dg
import pytest

from sync_pipeline_tests.dagster.conftest import Sensors, Stack, Webhook, materialization_metadata

PRICE = '[{"map": "article", "target": "Price", "source": "Price"}]'


@pytest.fixture
def norwegian_merchant(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Stack:
    monkeypatch.setenv("SYNC_CUSTOMS_AREA", "NO")
    # Retries due after a second: the cycles below come back to the held orders at once.
    monkeypatch.setenv("SYNC_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("SYNC_RETRY_MAX_SECONDS", "1")
    return stack


def swedish_orders(stack: Stack) -> set[str]:
    return {str(o["OrderId"]) for o in stack.erp_admin.get("orders")
            if o["OrderStatus"] == "Confirmed" and o["Addresses"]["Delivery"].get("Country") == "SE"}


def in_warehouse(stack: Stack) -> set[str]:
    return {o["GoodsOwnerOrderNumber"] for o in stack.wms_admin.get("state")["orders"]}


def retries_due() -> None:
    """The held orders' retry (SYNC_RETRY_MAX_SECONDS=1) is due a second after the run that held them."""
    time.sleep(1.05)


def test_held_export_orders_are_shown_alerted_once_and_released_by_themselves(
        norwegian_merchant: Stack, webhook: Webhook, instance: dg.DagsterInstance,
        monkeypatch: pytest.MonkeyPatch) -> None:
    stack = norwegian_merchant
    exports = swedish_orders(stack)
    assert exports, "the demo has orders to Sweden"
    sensors = Sensors(instance, "alert_on_check_failure")

    first = sensors.run("sync_all")
    assert first.success
    sensors.tick()

    assert not exports & in_warehouse(stack) and in_warehouse(stack), "the Norwegian orders went, the Swedish wait"
    metadata = materialization_metadata(instance, "wms_orders")
    held = {h["order"]: h for h in metadata["customs_held"]}
    assert set(held) == exports
    for hold in held.values():
        assert hold["country"] == "SE"
        assert all(lacks == ["Price (customs value; or the line's OrderLineTotalCustomsValue)"]
                   for lacks in hold["articles"].values()), "the demo articles have HS code and origin"
    assert "held for customs (delivery to SE, outside the customs area)" in metadata["failures"]
    (posted,) = webhook.received
    text = posted["json"]["text"]
    assert text.startswith(f"The job sync_all went through, but 1 check(s) failed. wms_orders: {len(exports)} "
                           "record(s) failed; first: record ")
    assert "field Price: held for customs (delivery to SE, outside the customs area): SKU-" in text

    retries_due()
    again = sensors.run("sync_all")
    sensors.tick()
    assert again.success and len(webhook.received) == 1, "the same holds are not alerted again"
    metadata = materialization_metadata(instance, "wms_orders")
    assert {h["order"] for h in metadata["customs_held"]} == exports, "but checked again and shown"
    assert metadata["failed"] == 0

    # The merchant maps the product's price to the article's value and resyncs the articles by hand.
    monkeypatch.setenv("SYNC_EXTRA_FIELDS", PRICE)
    from sync_pipeline.definitions import build_definitions

    resync = build_definitions().resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, asset_selection=[dg.AssetKey("wms_articles")], raise_on_error=False)
    assert resync.success
    retries_due()
    released = sensors.run("sync_all")
    sensors.tick()

    assert released.success and exports <= in_warehouse(stack)
    metadata = materialization_metadata(instance, "wms_orders")
    assert set(metadata["customs_released"]) == exports and "customs_held" not in metadata
    assert len(webhook.received) == 1, "a release is not an alert"
