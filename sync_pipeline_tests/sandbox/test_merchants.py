"""The demo's merchants: tenants of the sandboxes with their own demo data, and the tenants file that
points the pipeline at them, read back as the pipeline would read it (passwords from the environment)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from sync_pipeline.erp.client import ErpClient
from sync_pipeline.erp.connection import ErpConnection
from sync_pipeline.sandbox.merchants import ensure_demo_merchants, password_environment, tenants_file
from sync_pipeline.wms.client import WmsClient
from sync_pipeline.wms.connection import WmsConnection
from sync_pipeline_tests.sandbox.tenants import Sandboxes, serve


def connections(entry: dict[str, Any], environment: dict[str, str]) -> tuple[ErpConnection, WmsConnection]:
    """A tenants file entry as connections, its passwords read from the variables it names."""
    erp, wms = entry["erp"], entry["wms"]
    return (ErpConnection(**{**erp, "password": SecretStr(environment[erp["password"]["env"]])}),
            WmsConnection(**{**wms, "password": SecretStr(environment[wms["password"]["env"]])}))


def test_each_merchant_of_the_tenants_file_reaches_its_own_demo_data(sandboxes: Sandboxes) -> None:
    merchants = ensure_demo_merchants(sandboxes.erp, sandboxes.wms, 3)
    text = tenants_file(merchants, sandboxes.erp.url, sandboxes.wms.url)
    environment = password_environment(merchants)

    entries = yaml.safe_load(text)["merchants"]
    assert list(entries) == ["merchant_1", "merchant_2", "merchant_3"]
    assert not any(password in text for password in environment.values()), "passwords only by reference"
    for number, (key, entry) in enumerate(entries.items(), start=1):
        erp_connection, wms_connection = connections(entry, environment)
        with ErpClient(erp_connection) as erp:
            numbers = {product.No for product in erp.products_changed_since(None)}
            orders = sorted(erp.order_ids_changed_since(None))
        wms = WmsClient(wms_connection)
        assert wms.process_article({"ArticleNumber": f"M{number}-1003", "ArticleName": key}).success
        assert numbers == {f"M{number}-{1000 + i}" for i in range(1, 25)}, key
        assert orders == list(range(1000 * number + 1, 1000 * number + 11)), key
        assert {(line.ArticleNumber, line.NumberOfItems) for line in wms.inventory()} == {(f"M{number}-1003", 18)}


def test_a_restart_keeps_the_merchants_their_logins_and_what_was_written(tmp_path: Path) -> None:
    state = str(tmp_path / "sandboxes.sqlite")
    running = serve(state=state, seed_demo=True)
    sandboxes = next(running)
    before = tenants_file(ensure_demo_merchants(sandboxes.erp, sandboxes.wms, 2), "http://erp", "http://wms")
    sandboxes.admin("erp", "POST", "clients/merchant_2/products", [{"Id": 1, "Name": "Renamed by a run"}])
    running.close()

    running = serve(state=state)
    sandboxes = next(running)
    try:
        merchants = ensure_demo_merchants(sandboxes.erp, sandboxes.wms, 3)

        assert tenants_file(merchants[:2], "http://erp", "http://wms") == before, "same logins"
        products = {m.key: {p["Id"]: p["Name"] for p in m.erp.state()["products"]} for m in merchants}
        assert products["merchant_2"][1] == "Renamed by a run", "not seeded again"
        assert len(products["merchant_3"]) == 24, "a merchant added at the restart gets its demo data"
    finally:
        running.close()
