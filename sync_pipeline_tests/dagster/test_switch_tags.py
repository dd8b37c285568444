"""The asset graph tells at a glance which processes are on and which are off."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline_tests.dagster.conftest import Stack


def asset_tags(asset: str) -> tuple[str, str]:
    from sync_pipeline.definitions import build_definitions

    spec = build_definitions().get_assets_def(asset).specs_by_key[dg.AssetKey(asset)]
    return spec.tags.get("process"), spec.description


def test_defaults_tag_suppliers_off_and_the_rest_on(stack: Stack) -> None:
    assert asset_tags("wms_articles")[0] == "on"
    assert asset_tags("stock_snapshot")[0] == "on"
    tag, description = asset_tags("wms_suppliers")
    assert tag == "off" and description.startswith("SWITCHED OFF (SYNC_SUPPLIERS=off)")


@pytest.mark.parametrize("switch, asset", [("SYNC_STOCK", "stock_snapshot"), ("SYNC_ORDERS", "wms_orders")])
def test_a_switched_off_process_shows_off(stack: Stack, monkeypatch: pytest.MonkeyPatch, switch, asset) -> None:
    monkeypatch.setenv(switch, "off")
    tag, description = asset_tags(asset)
    assert tag == "off"
    assert description.startswith(f"SWITCHED OFF ({switch}=off)")
