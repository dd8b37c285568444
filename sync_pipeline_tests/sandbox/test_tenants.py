"""Many ERP clients and goods owners in one sandbox process: each its own data, sessions, faults and
rate limit, over real HTTP SOAP through the project's own ErpClient and WmsClient."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sync_pipeline.soap.errors import AuthenticationError, QuarantineError, SyncError
from sync_pipeline.wms.client import WmsClient
from sync_pipeline_tests.sandbox.tenants import Sandboxes, serve

DEFAULT_ERP = {"application_id": "11111111-1111-1111-1111-111111111111", "username": "demo@example.com",
               "password": "demo-password"}
DEFAULT_WMS = {"goods_owner_code": "DEMO", "username": "demo", "password": "demo-password"}


def article_numbers(client: WmsClient) -> set[str]:
    return {line.ArticleNumber for line in client.inventory()}


def test_each_client_reads_and_writes_its_own_data_only(sandboxes: Sandboxes) -> None:
    acme = sandboxes.new_client("acme", demo={"article_prefix": "ACME", "first_order_id": 1001})
    bolt = sandboxes.new_client("bolt", demo={"article_prefix": "BOLT", "first_order_id": 2001})
    for name in ("acme", "bolt"):
        sandboxes.admin("erp", "POST", f"clients/{name}/demo")

    with sandboxes.erp_client(acme) as erp_acme, sandboxes.erp_client(bolt) as erp_bolt, \
            sandboxes.erp_client(DEFAULT_ERP) as erp_default:
        assert {p.No for p in erp_acme.products_changed_since(None)} == {f"ACME-{1000 + i}" for i in range(1, 25)}
        assert {p.No for p in erp_bolt.products_changed_since(None)} == {f"BOLT-{1000 + i}" for i in range(1, 25)}
        assert {p.No for p in erp_default.products_changed_since(None)} == {f"SKU-{1000 + i}" for i in range(1, 25)}
        assert sorted(erp_acme.order_ids_changed_since(None)) == list(range(1001, 1011))
        assert sorted(erp_bolt.order_ids_changed_since(None)) == list(range(2001, 2011))

        assert erp_acme.set_stock_quantity(3, Decimal(777)) is None

        assert [p.Stock for p in erp_acme.products([3])] == [Decimal(777)]
        assert [p.Stock for p in erp_bolt.products([3])] == [Decimal(15)]
        assert [p.Stock for p in erp_default.products([3])] == [Decimal(15)]
    stock_of_3 = {name: next(p["Stock"] for p in sandboxes.admin("erp", "GET", f"clients/{name}/state")["products"]
                             if p["Id"] == 3) for name in ("acme", "bolt")}
    assert stock_of_3 == {"acme": "777", "bolt": "15"}


def test_a_session_belongs_to_its_client_and_expires_with_it(sandboxes: Sandboxes) -> None:
    acme, bolt = sandboxes.new_client("acme"), sandboxes.new_client("bolt")
    sandboxes.admin("erp", "POST", "clients/bolt/products", [{"Id": 1, "No": "B-1", "Name": "Bolt's"}])

    with sandboxes.erp_client(acme) as erp_acme, sandboxes.erp_client(bolt) as erp_bolt:
        assert erp_acme.products([1]) == []  # acme's session reads acme's (empty) catalogue
        assert [p.No for p in erp_bolt.products([1])] == ["B-1"]
        sandboxes.admin("erp", "POST", "clients/acme/faults", {"expire_sessions": True})

        assert not erp_acme.has_session()
        assert erp_bolt.has_session()
        assert erp_acme.products([1]) == []  # logged in again, as the client does when its session died
    acme_state = sandboxes.admin("erp", "GET", "clients/acme/state")
    bolt_state = sandboxes.admin("erp", "GET", "clients/bolt/state")
    assert (acme_state["logins"], bolt_state["logins"]) == (2, 1)
    assert sandboxes.admin("erp", "GET", "state")["logins"] == 0, "the default client saw no login"


def test_a_client_is_logged_in_by_its_own_password_only(sandboxes: Sandboxes) -> None:
    acme = sandboxes.new_client("acme")
    bolt = sandboxes.new_client("bolt")

    with sandboxes.erp_client({**acme, "password": bolt["password"]}) as wrong, pytest.raises(AuthenticationError):
        wrong.products([1])
    assert sandboxes.admin("erp", "GET", "clients/acme/state")["logins"] == 0


def test_faults_and_rate_limits_are_each_clients_own(sandboxes: Sandboxes) -> None:
    acme, bolt = sandboxes.new_client("acme"), sandboxes.new_client("bolt")
    sandboxes.admin("erp", "POST", "clients/acme/faults", {"error_rate": 1.0})
    sandboxes.admin("erp", "POST", "clients/bolt/faults", {"rate_limit_per_hour": 2})

    with sandboxes.erp_client(acme) as erp_acme, sandboxes.erp_client(bolt) as erp_bolt, \
            sandboxes.erp_client(DEFAULT_ERP) as erp_default:
        with pytest.raises(SyncError, match="temporarily unavailable"):
            erp_acme.products([1])
        erp_bolt.products([1])  # the login and this call: bolt's two an hour
        with pytest.raises(QuarantineError):
            erp_bolt.products([1])
        for _ in range(3):
            assert [p.No for p in erp_default.products([1])] == ["SKU-1001"]

    acme_log = sandboxes.admin("erp", "GET", "clients/acme/calls")["log"]
    bolt_log = sandboxes.admin("erp", "GET", "clients/bolt/calls")["log"]
    default_log = sandboxes.admin("erp", "GET", "calls")["log"]
    assert {entry["outcome"] for entry in acme_log} == {"injected: error"}
    assert [entry["outcome"] for entry in bolt_log] == ["ok", "ok", "quarantined"]
    assert {entry["outcome"] for entry in default_log} == {"ok"}


def test_goods_owners_of_one_warehouse_keep_their_own_articles_and_stock(sandboxes: Sandboxes) -> None:
    acme = sandboxes.new_goods_owner("ACME")
    bolt = sandboxes.new_goods_owner("BOLT", demo={"article_prefix": "BLT"})
    sandboxes.admin("wms", "POST", "goods-owners/ACME/demo")
    sandboxes.admin("wms", "POST", "goods-owners/BOLT/demo")
    wms_acme, wms_bolt = sandboxes.wms_client(acme), sandboxes.wms_client(bolt)

    assert wms_acme.process_article({"ArticleNumber": "ACME-1003", "ArticleName": "Acme's"}).success
    assert wms_bolt.process_article({"ArticleNumber": "BLT-1003", "ArticleName": "Bolt's"}).success

    assert {(line.ArticleNumber, line.NumberOfItems) for line in wms_acme.inventory()} == {("ACME-1003", 18)}
    assert {(line.ArticleNumber, line.NumberOfItems) for line in wms_bolt.inventory()} == {("BLT-1003", 18)}
    assert article_numbers(sandboxes.wms_client(DEFAULT_WMS)) == set()
    stock = {code: {s["ArticleNumber"] for s in sandboxes.admin("wms", "GET", f"goods-owners/{code}/state")["stock"]}
             for code in ("ACME", "BOLT")}
    assert stock == {"ACME": {f"ACME-{1000 + i}" for i in range(1, 25)}, "BOLT": {f"BLT-{1000 + i}" for i in range(1, 25)}}
    assert {s["ArticleNumber"] for s in sandboxes.admin("wms", "GET", "state")["stock"]} == {
        f"SKU-{1000 + i}" for i in range(1, 25)}


@pytest.mark.parametrize("password_of", ["other goods owner", "default goods owner"])
def test_a_goods_owners_code_with_another_ones_password_is_refused_as_a_wrong_login(
        sandboxes: Sandboxes, password_of: str) -> None:
    acme, bolt = sandboxes.new_goods_owner("ACME"), sandboxes.new_goods_owner("BOLT")
    password = bolt["password"] if password_of == "other goods owner" else DEFAULT_WMS["password"]

    with pytest.raises(AuthenticationError, match="Wrong UserName, Password or GoodsOwnerCode"):
        list(sandboxes.wms_client(acme, password=password).inventory())
    with pytest.raises(AuthenticationError):
        sandboxes.wms_client(acme, password=password).process_article({"ArticleNumber": "X-1", "ArticleName": "X"})
    assert sandboxes.admin("wms", "GET", "goods-owners/ACME/state")["articles"] == []


def test_faults_and_rate_limits_are_each_goods_owners_own(sandboxes: Sandboxes) -> None:
    acme, bolt = sandboxes.new_goods_owner("ACME"), sandboxes.new_goods_owner("BOLT")
    sandboxes.admin("wms", "POST", "goods-owners/ACME/faults", {"rate_limit_per_hour": 1})
    sandboxes.admin("wms", "POST", "goods-owners/BOLT/faults", {"error_rate": 1.0})
    wms_acme, wms_bolt, wms_default = (sandboxes.wms_client(acme), sandboxes.wms_client(bolt),
                                       sandboxes.wms_client(DEFAULT_WMS))

    assert wms_acme.process_article({"ArticleNumber": "ACME-1", "ArticleName": "A"}).success
    with pytest.raises(QuarantineError):
        wms_acme.process_article({"ArticleNumber": "ACME-2", "ArticleName": "A"})
    with pytest.raises(SyncError, match="temporarily unavailable"):
        list(wms_bolt.inventory())
    assert article_numbers(wms_default) == set()

    assert [a["ArticleNumber"] for a in sandboxes.admin("wms", "GET", "goods-owners/ACME/state")["articles"]] == ["ACME-1"]
    assert {e["outcome"] for e in sandboxes.admin("wms", "GET", "calls")["log"]} == {"ok"}


def test_admin_api_makes_lists_and_refuses_tenants(sandboxes: Sandboxes) -> None:
    made = sandboxes.new_client("acme", username="api@acme.example", password="s3cret")
    owner = sandboxes.new_goods_owner("ACME")

    assert made["name"] == "acme" and made["password"] == "s3cret" and made["username"] == "api@acme.example"
    assert len(made["application_id"]) == 36 and len(made["identity_id"]) == 36
    assert owner["username"] == "acme-api" and len(owner["password"]) >= 16
    clients = sandboxes.admin("erp", "GET", "clients")
    assert [(c["name"], c["username"]) for c in clients] == [("acme", "api@acme.example")]
    assert "password" not in clients[0]
    assert [o["goods_owner_code"] for o in sandboxes.admin("wms", "GET", "goods-owners")] == ["ACME"]
    assert "password" not in sandboxes.admin("wms", "GET", "goods-owners")[0]

    assert "exists already" in sandboxes.admin("erp", "POST", "clients", {"name": "acme"}, expect=409)["error"]
    assert "exists already" in sandboxes.admin("wms", "POST", "goods-owners", {"goods_owner_code": "DEMO"}, expect=409)["error"]
    assert "the default client" in sandboxes.admin("erp", "POST", "clients", {
        "name": "copy", "application_id": DEFAULT_ERP["application_id"], "username": "DEMO@example.com"}, expect=409)["error"]
    assert "application_id: expected a UUID" in sandboxes.admin("erp", "POST", "clients", {
        "name": "bad", "application_id": "nope"}, expect=400)["error"]
    assert "name: expected" in sandboxes.admin("erp", "POST", "clients", {"name": "no/slash"}, expect=400)["error"]
    assert "unknown fields ['colour']" in sandboxes.admin("wms", "POST", "goods-owners", {
        "goods_owner_code": "X", "colour": "red"}, expect=400)["error"]
    assert "article_prefix" in sandboxes.admin("wms", "POST", "goods-owners", {
        "goods_owner_code": "Y", "demo": {"article_prefix": "lower"}}, expect=400)["error"]
    assert "no tenant 'nobody'" in sandboxes.admin("erp", "GET", "clients/nobody/state", expect=404)["error"]
    assert [c["name"] for c in sandboxes.admin("erp", "GET", "clients")] == ["acme"], "nothing made by a refusal"
    # The unprefixed routes stay the default client's.
    assert len(sandboxes.admin("erp", "GET", "state")["products"]) == 24
    assert sandboxes.admin("erp", "GET", "clients/acme/state")["products"] == []


def test_resetting_one_client_leaves_the_others_in_the_state_file(tmp_path: Path) -> None:
    running = serve(state=str(tmp_path / "sandboxes.sqlite"), seed_demo=True)
    sandboxes = next(running)
    try:
        # "a_1" as a LIKE pattern matches "ab1": a namespace compared that way would take ab1's data along.
        for name in ("a_1", "ab1"):
            sandboxes.new_client(name)
            sandboxes.admin("erp", "POST", f"clients/{name}/demo")

        sandboxes.admin("erp", "POST", "clients/a_1/reset")

        assert sandboxes.admin("erp", "GET", "clients/a_1/state")["products"] == []
        with sandboxes.erp_client(sandboxes.credentials_of("ab1")) as erp:
            assert len(erp.products_changed_since(None)) == 24
        assert len(sandboxes.admin("erp", "GET", "state")["products"]) == 24
    finally:
        running.close()


def test_the_state_file_keeps_every_tenant_across_a_restart(tmp_path: Path) -> None:
    state = str(tmp_path / "sandboxes.sqlite")
    first = serve(state=state)
    sandboxes = next(first)
    acme = sandboxes.new_client("acme")
    owner = sandboxes.new_goods_owner("ACME")
    sandboxes.admin("erp", "POST", "clients/acme/demo")
    assert sandboxes.wms_client(owner).process_article({"ArticleNumber": "ACME-1", "ArticleName": "Kept"}).success
    first.close()

    again = serve(state=state)
    sandboxes = next(again)
    try:
        assert [c["name"] for c in sandboxes.admin("erp", "GET", "clients")] == ["acme"]
        with sandboxes.erp_client(acme) as erp:
            assert len(erp.products_changed_since(None)) == 24
        assert article_numbers(sandboxes.wms_client(owner)) == {"ACME-1"}
        assert sandboxes.admin("erp", "GET", "state")["products"] == [], "the default client's data stays its own"
    finally:
        again.close()
