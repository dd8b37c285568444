"""The tenants file: each merchant's logins by reference and its own settings, every wrong value named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sync_pipeline.tenants import TenantsError, load_tenants
from sync_pipeline.tenants.deployment import load_deployment
from sync_pipeline_tests.settings_environment import clear_settings

APP = "11111111-1111-1111-1111-111111111111"


def merchant(code: str = "ACME", **settings: object) -> dict:
    entry: dict = {
        "erp": {"application_id": APP, "username": f"api@{code.lower()}.example",
                "password": {"env": f"{code}_SO24_PASSWORD"}},
        "wms": {"base_url": "https://api.ongoingsystems.se/Lager1", "goods_owner_code": code,
                "username": f"{code.lower()}-api", "password": {"env": f"{code}_ONGOING_PASSWORD"}},
    }
    if settings:
        entry["settings"] = settings
    return entry


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    clear_settings(monkeypatch, tmp_path)
    values = {"ACME_SO24_PASSWORD": "acme-erp-secret", "ACME_ONGOING_PASSWORD": "acme-wms-secret",
              "BETA_SO24_PASSWORD": "beta-erp-secret", "BETA_ONGOING_PASSWORD": "beta-wms-secret"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "tenants.yaml"
    path.write_text(yaml.safe_dump(document) if not isinstance(document, str) else document, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(TenantsError) as raised:
        load_tenants(path, env_file=None)
    return raised.value.problems


def test_each_merchant_gets_its_logins_and_its_own_settings(tmp_path: Path, environment) -> None:
    path = write(tmp_path, {"defaults": {"SYNC_INTERVAL_MINUTES": 30},
                            "merchants": {"acme": merchant("ACME", SYNC_SUPPLIERS="on"),
                                          "beta": merchant("BETA", sync_interval_minutes=5)}})
    tenants = load_tenants(path, env_file=None)
    assert list(tenants) == ["acme", "beta"]
    acme, beta = tenants["acme"], tenants["beta"]
    assert acme.ongoing_goods_owner_code == "ACME" and acme.so24_password.get_secret_value() == "acme-erp-secret"
    assert beta.ongoing_password.get_secret_value() == "beta-wms-secret"
    assert acme.sync_suppliers and not beta.sync_suppliers
    assert (acme.sync_interval_minutes, beta.sync_interval_minutes) == (30, 5)
    assert "secret" not in repr(acme)


def test_a_password_may_be_a_file(tmp_path: Path, environment) -> None:
    secret = tmp_path / "acme-wms"
    secret.write_text("from-a-file\n", encoding="utf-8")
    entry = merchant("ACME")
    entry["wms"]["password"] = {"file": str(secret)}
    tenants = load_tenants(write(tmp_path, {"merchants": {"acme": entry}}), env_file=None)
    assert tenants["acme"].ongoing_password.get_secret_value() == "from-a-file"


def test_every_wrong_value_is_named_by_merchant_and_place(tmp_path: Path, environment) -> None:
    inline = merchant("ACME", SYNC_SUPPLIERS="maybe", SYNC_SLACK_TOKEN="x", SYNC_ARTICELS="on")
    inline["erp"]["password"] = "hunter2"
    inline["erp"]["application_id"] = "not-a-uuid"
    missing = merchant("BETA")
    missing["wms"]["password"] = {"env": "NOT_SET_ANYWHERE"}
    del missing["wms"]["username"]
    twin = merchant("ACME")
    found = problems(write(tmp_path, {"merchants": {"acme": inline, "beta": missing, "Bad-Key": twin}}))
    assert "merchants.acme.erp.password: write {env: VARIABLE} or {file: PATH}; the file never holds the secret " \
           "itself" in found
    assert "merchants.acme.settings.SYNC_SLACK_TOKEN: is one per deployment: set it in the environment, not per " \
           "merchant" in found
    assert "merchants.acme.settings.SYNC_ARTICELS: not a setting a merchant can set (did you mean SYNC_ARTICLES?)" \
           in found
    assert "merchants.beta.wms.password: the environment variable NOT_SET_ANYWHERE is not set" in found
    assert "merchants.beta.wms.username: not set (required)" in found
    assert any(line.startswith("merchants.Bad-Key: a merchant's key is lower-case letters") for line in found)
    assert not any("hunter2" in line for line in found), "the file's secret is never echoed"


def test_settings_checks_name_the_merchant(tmp_path: Path, environment) -> None:
    entry = merchant("ACME", SYNC_SUPPLIERS="maybe")
    entry["erp"]["application_id"] = "not-a-uuid"
    found = problems(write(tmp_path, {"merchants": {"acme": entry}}))
    assert any(line.startswith("merchants.acme: erp.application_id: ") for line in found), found
    assert "merchants.acme: settings.SYNC_SUPPLIERS: must be on or off, got 'maybe'" in found


def test_one_goods_owner_is_one_merchants(tmp_path: Path, environment) -> None:
    found = problems(write(tmp_path, {"merchants": {"acme": merchant("ACME"), "acme2": merchant("ACME")}}))
    assert found == ["merchants.acme2.wms: goods owner ACME at https://api.ongoingsystems.se/lager1 is merchant "
                     "acme's already (one merchant per goods owner)"]


def test_a_file_that_is_no_tenants_file_says_so(tmp_path: Path, environment) -> None:
    assert problems(write(tmp_path, "merchants: [a")) [0].startswith("is not YAML (line 1")
    assert problems(write(tmp_path, {"merchant": {}})) == [
        "merchant: not known here (did you mean merchants?); expected merchants, defaults",
        "merchants: list at least one merchant, as `<key>: {erp: ..., wms: ...}`"]
    assert problems(tmp_path / "absent.yaml") == ["cannot be read: No such file or directory"]


def test_without_a_tenants_file_the_environment_is_the_one_merchant(tmp_path: Path, monkeypatch,
                                                                     environment) -> None:
    from sync_pipeline_tests.settings_environment import REQUIRED

    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    settings, merchants = load_deployment(env_file=None)
    assert not merchants.partitioned and [m.key for m in merchants] == [None]
    monkeypatch.setenv("SYNC_TENANTS_FILE", str(write(tmp_path, {"merchants": {"acme": merchant("ACME")}})))
    for name in REQUIRED:
        monkeypatch.delenv(name)
    settings, merchants = load_deployment(env_file=None)
    assert merchants.keys == ["acme"] and settings.ongoing_goods_owner_code == "ACME"
