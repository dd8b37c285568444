"""A process asset's materialization lists the reply elements its run skipped; its run log names each once."""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg
import pytest

from sync_pipeline.assets.process_assets import process_asset
from sync_pipeline.ledger import Kind, sqlite_url
from sync_pipeline.processes.model import AssetDeclaration, SyncProcess
from sync_pipeline.processes.selection import Delta
from sync_pipeline.tenants import Merchants
from sync_pipeline.settings import Settings
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.canned_server import Canned, canned_server
from sync_pipeline_tests.soap.samples import REPLIES

SKIPPED = "GetOrdersByQuery reply: skipped {}, which no service description defines"


@pytest.fixture
def canned() -> Iterator[Canned]:
    yield from canned_server("/sandbox/service.asmx")


def materialized(canned: Canned, tmp_path, instance: dg.DagsterInstance) -> tuple[dict, list[str]]:
    """Materializes an asset whose process reads WMS orders twice; its metadata and run log messages."""
    client = WmsClient(WmsConnection(base_url=canned.url.removesuffix("/service.asmx"), goods_owner_code="DEMO",
                                     username="demo", password="pw", timeout=5))

    def run(step, selection) -> SyncReport:
        for _ in range(2):
            list(client.orders(order_numbers=["1"]))
        return SyncReport("orders")

    # A process of its own, declared as the real ones are and run by the same generated asset.
    reading = SyncProcess(name="orders_read", kind=Kind.ORDER, record_key="order number", source="WMS orders",
                          target="nothing", mapper=None, run=run, selections=(Delta,), switches=(),
                          asset=AssetDeclaration(key="orders_read", group="test", description="reads orders"))
    settings = Settings.load(None, so24_application_id="11111111-1111-1111-1111-111111111111", so24_username="u",
                             so24_password="p", ongoing_base_url="http://127.0.0.1:1/sandbox",
                             ongoing_goods_owner_code="DEMO", ongoing_username="u", ongoing_password="p",
                             sync_ledger_url=sqlite_url(tmp_path / "ledger.sqlite"))
    result = dg.materialize([process_asset(reading)], instance=instance,
                            resources={"merchants": Merchants.single(settings), "settings": settings})
    assert result.success
    event = instance.get_latest_materialization_event(dg.AssetKey("orders_read"))
    metadata = {key: value.value for key, value in event.asset_materialization.metadata.items()}
    messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    return metadata, messages


def test_the_skipped_elements_are_in_the_materialization_and_logged_once(canned, tmp_path, instance):
    canned.body = REPLIES["GetOrdersByQuery"].replace(b"<Success>", b"<Priority>high</Priority><Success>").replace(
        b"</Tracking>", b"<Page>1</Page></Tracking>")
    metadata, messages = materialized(canned, tmp_path, instance)
    replies = canned.requests
    assert replies >= 2
    assert metadata["unknown elements"] == ("| element | skipped |\n|---|---|\n"
                                            f"| ArrayOfOrderTrackingInfo.Page | {replies} |\n"
                                            f"| Order.Priority | {replies} |")
    for name in ("ArrayOfOrderTrackingInfo.Page", "Order.Priority"):
        assert messages.count(SKIPPED.format(name)) == 1


def test_a_run_without_unknown_elements_shows_none(canned, tmp_path, instance):
    canned.body = REPLIES["GetOrdersByQuery"]
    metadata, messages = materialized(canned, tmp_path, instance)
    assert "unknown elements" not in metadata
    assert not [message for message in messages if "which no service description defines" in message]
