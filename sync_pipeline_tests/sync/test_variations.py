"""SYNC_VARIATIONS: off, one WMS article per ERP product; on, variants are their own articles, keep their
own names and are grouped by family (the rule is in sync_pipeline/mapping/variants.py and docs/field-maps.md)."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.settings import SettingsError, load_settings
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.suppliers import sync_suppliers
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_articles

CATALOGUE = [
    {"Id": 1, "No": "TS", "Name": "T-skjorte Ærlig", "SupplierId": 9},
    {"Id": 2, "No": "TS-RED", "Name": "T-skjorte rød", "SupplierId": 9},
    {"Id": 3, "No": "TS-RED-L", "Name": "T-skjorte rød L", "SupplierId": 9},
    {"Id": 4, "No": "TS-BLÅ-M", "Name": "T-skjorte blå M", "SupplierId": 9},
    {"Id": 5, "No": "SKU-1001", "Name": "Kaffe"},
    {"Id": 6, "No": "ts-GREEN", "Name": "Grønn"},
]


def names(wms: WmsClient) -> dict[str, tuple[str | None, str | None]]:
    return {line.ArticleNumber: (line.ProductCode, line.ArticleName) for line in wms.inventory()}


# -- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize("number, numbers, base", [
    ("TS-RED-L", {"TS", "TS-RED"}, "TS-RED"),  # the longest existing prefix
    ("TS-RED-L", {"TS"}, "TS"),  # not only the part before the last separator
    ("TS-RED", {"TS-RED"}, None),  # not its own base
    ("TS-", {"TS"}, None),  # an empty variant part is no variant
    ("-TS", {""}, None),
    ("ts-GREEN", {"TS"}, None),  # numbers compare exactly
    ("SKU-1001", {"TS"}, None),
])
def test_the_base_is_the_longest_existing_prefix(number: str, numbers: set[str], base: str | None) -> None:
    assert VariantRule().base_number(number, numbers) == base


def test_the_separator_is_configurable() -> None:
    rule = VariantRule("/")
    assert rule.base_number("TS/RED/L", {"TS", "TS/RED"}) == "TS/RED"
    assert rule.base_number("TS/RED-L", {"TS", "TS/RED"}) == "TS"
    assert rule.base_number("TS-RED", {"TS"}) is None
    assert VariantRule("--").base_number("TS--RED", {"TS"}) == "TS"
    for bad in ("", " ", "- "):
        with pytest.raises(ValueError):
            VariantRule(bad)


def test_variant_names_stay_their_own() -> None:
    catalogue = VariantRule().catalogue([{"No": "TS", "Name": "Tee"}, {"No": "TS-RED", "Name": "Rød"}])
    assert catalogue.article({"No": "TS-RED"}, {"ArticleName": "Rød"})["ArticleName"] == "Rød"


# -- through the sync -----------------------------------------------------------------------------


def test_off_every_product_is_one_article_with_its_own_name(erp: ErpClient, wms: WmsClient,
                                                            erp_admin: Admin) -> None:
    erp_admin.post("products", CATALOGUE)
    erp_admin.post("calls/reset")

    report = sync_articles(erp, wms, None)

    assert (report.created, report.failures) == (len(CATALOGUE), [])
    assert names(wms) == {p["No"]: (str(p["Id"]), p["Name"]) for p in CATALOGUE}
    reads = [entry["detail"] for entry in erp_admin.get("calls")["log"] if entry["operation"] == "GetProducts"]
    assert reads == ["search", "by id"], "off: the catalogue listed and read in one page, nothing beyond"


def test_on_variants_are_own_articles_with_their_own_names(erp: ErpClient, wms: WmsClient,
                                                           erp_admin: Admin) -> None:
    erp_admin.post("products", CATALOGUE)

    report = sync_articles(erp, wms, None, variants=VariantRule())

    assert (report.created, report.failures) == (len(CATALOGUE), [])
    assert names(wms) == {p["No"]: (str(p["Id"]), p["Name"]) for p in CATALOGUE}


def test_on_a_renamed_root_sends_its_family_again(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                 wms_admin: Admin) -> None:
    erp_admin.post("products", CATALOGUE)
    first = sync_articles(erp, wms, None, variants=VariantRule())
    erp_admin.post("products", [{"Id": 1, "Name": "Tee"}])
    wms_admin.post("calls/reset")

    second = sync_articles(erp, wms, first.cursor, variants=VariantRule())

    pushed = sorted(c["key"] for c in wms_admin.get("calls")["log"] if c["operation"] == "ProcessArticle")
    assert pushed == ["TS", "TS-BLÅ-M", "TS-RED", "TS-RED-L"], "the root and its family (its group's name), nothing else"
    assert (second.updated, second.failures) == (4, [])
    current = names(wms)
    assert (current["TS"][1], current["TS-RED"][1], current["TS-RED-L"][1]) == ("Tee", "T-skjorte rød", "T-skjorte rød L")


def test_on_the_supplier_process_keeps_the_variant_articles(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                        wms_admin: Admin) -> None:
    erp_admin.post("products", CATALOGUE)
    assert sync_articles(erp, wms, None, variants=VariantRule()).failures == []
    erp_admin.post("companies", [{"Id": 9, "Name": "Klær AS", "Type": "Supplier"}])

    report = sync_suppliers(erp, wms, None, variants=VariantRule())

    assert (report.updated, report.failures) == (1, [])
    stored = wms_articles(wms_admin)
    assert {n: stored[n]["MainSupplierNumber"] for n in ("TS", "TS-RED", "TS-RED-L", "TS-BLÅ-M")} == dict.fromkeys(
        ("TS", "TS-RED", "TS-RED-L", "TS-BLÅ-M"), "9")
    assert stored["TS-RED"]["ArticleName"] == "T-skjorte rød"


# -- from the settings ----------------------------------------------------------------------------


def test_settings_default_off_with_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in sandbox_environment("http://127.0.0.1:1", "http://127.0.0.1:2").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SYNC_VARIATIONS", raising=False)
    monkeypatch.delenv("SYNC_VARIANT_SEPARATOR", raising=False)
    settings = load_settings(env_file=None)
    assert (settings.sync_variations, settings.sync_variant_separator) == (False, "-")
    monkeypatch.setenv("SYNC_VARIANT_SEPARATOR", " / ")
    with pytest.raises(SettingsError, match="SYNC_VARIANT_SEPARATOR"):
        load_settings(env_file=None)


def test_the_articles_asset_takes_variations_from_the_settings(erp_server, wms_server, erp_admin: Admin,
                                                               wms_admin: Admin,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from sync_pipeline.assets.process_assets import PROCESS_ASSETS

    articles_asset = PROCESS_ASSETS["wms_articles"]
    from sync_pipeline.resources import resources_from_env

    for name, value in sandbox_environment(erp_server.url, wms_server.url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SYNC_VARIATIONS", "on")
    monkeypatch.setenv("SYNC_VARIANT_SEPARATOR", "/")
    for name in ("SYNC_SUPPLIERS", "SYNC_EXTRA_FIELDS"):
        monkeypatch.delenv(name, raising=False)
    erp_admin.post("products", [{"Id": 1, "No": "TS", "Name": "Tee"}, {"Id": 2, "No": "TS/RED", "Name": "Rød"},
                                {"Id": 3, "No": "TS-RED", "Name": "Ikke variant"}])

    with dg.instance_for_test() as instance:
        result = dg.materialize([articles_asset], resources=resources_from_env(load_settings()), instance=instance)

    assert result.success
    stored = {number: article["ArticleName"] for number, article in wms_articles(wms_admin).items()}
    assert stored == {"TS": "Tee", "TS/RED": "Rød", "TS-RED": "Ikke variant"}
