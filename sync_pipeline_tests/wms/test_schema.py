"""Every request the client sends matches the vendor's real 2024 service description."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.contracts.real import ONGOING_2024, RealSchemaValidator, contracts_dir
from sync_pipeline_tests.wms.samples import article, order
from sync_pipeline_tests.wms.status_calls import order_statuses, update_order_status

OPERATIONS = {"ProcessArticle", "ProcessOrder", "UpdateOrder", "GetOrderStatuses", "GetInventoryByQuery",
              "GetOrdersByQuery"}


def test_every_operation_sends_what_the_real_service_accepts(make_client) -> None:
    validator = RealSchemaValidator(contracts_dir() / ONGOING_2024, validate_replies=True)
    client: WmsClient = make_client(plugins=(validator,))
    since = datetime.now(timezone.utc) - timedelta(hours=1)

    supplier = {"SupplierNumber": "S-1", "SupplierName": "Bolts AB", "Address": {"City": "Stockholm"}}
    assert client.process_article(article("SKU-1001", MainSupplier=supplier, Weight=0.5)).success
    delivery = {"Code": "7", "Name": "DHL Parcel"}
    assert client.process_order(order("60001", ("SKU-1001", 2), WayOfDeliveryType=delivery)).success
    assert update_order_status(client, "60001", 450, waybill="WB-9").success
    order_statuses(client)
    list(client.inventory(article_numbers=["SKU-1001"], changed_since=since))
    list(client.orders(status_from=200, status_to=450, changed_since=since, order_numbers=["60001"]))

    assert set(validator.validated) == OPERATIONS
    assert set(validator.validated_replies) == OPERATIONS  # the sandbox answers in the real shape too
