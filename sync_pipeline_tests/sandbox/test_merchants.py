"""The demo's merchants: tenants of the sandboxes with their own demo data, and the tenants file that
points the pipeline at them, loaded as the pipeline loads it (passwords from the environment)."""

from __future__ import annotations

from pathlib import Path

from sync_pipeline.sandbox.merchants import ensure_demo_merchants, password_environment, tenants_file
from sync_pipeline.tenants.file import load_tenants
from sync_pipeline.tenants.merchant import Merchants
from sync_pipeline_tests.sandbox.tenants import Sandboxes, serve


def test_each_merchant_of_the_tenants_file_reaches_its_own_demo_data(sandboxes: Sandboxes, tmp_path: Path) -> None:
    demo_merchants = ensure_demo_merchants(sandboxes.erp, sandboxes.wms, 3)
    text = tenants_file(demo_merchants, sandboxes.erp.url, sandboxes.wms.url)
    environment = password_environment(demo_merchants)
    (tmp_path / "tenants.yaml").write_text(text)

    merchants = Merchants.from_file(load_tenants(tmp_path / "tenants.yaml", environ=environment, env_file=None))

    assert merchants.keys == ["merchant_1", "merchant_2", "merchant_3"]
    assert not any(password in text for password in environment.values()), "passwords only by reference"
    for number, merchant in enumerate(merchants, start=1):
        with merchant.erp() as erp:
            numbers = {product.No for product in erp.products_changed_since(None)}
            orders = sorted(erp.order_ids_changed_since(None))
        wms = merchant.wms()
        assert wms.process_article({"ArticleNumber": f"M{number}-1003", "ArticleName": merchant.name}).success
        assert numbers == {f"M{number}-{1000 + i}" for i in range(1, 25)}, merchant.name
        assert orders == list(range(1000 * number + 1, 1000 * number + 11)), merchant.name
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
