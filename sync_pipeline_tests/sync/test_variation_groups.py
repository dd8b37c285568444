"""SYNC_VARIATIONS through both sandboxes: each family is one ArticleGroup in the warehouse (the root's
number and name), colour and size come from the number's parts when SYNC_VARIANT_PARTS says so, and
every article keeps its own name (mapping/variants.py, docs/field-maps.md). Read back from the WMS
sandbox's GET /_sandbox/state, which keeps what ProcessArticle sent."""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_articles

CATALOGUE = [
    {"Id": 1, "No": "TS", "Name": "T-skjorte Ærlig"},
    {"Id": 2, "No": "TS-RED", "Name": "T-skjorte rød"},
    {"Id": 3, "No": "TS-RED-L", "Name": "T-skjorte rød L"},
    {"Id": 4, "No": "TS-BLÅ-M", "Name": "T-skjorte blå M"},
    {"Id": 5, "No": "KAFFE", "Name": "Kaffe"},
]


def grouping(wms_admin: Admin) -> dict[str, tuple]:
    """Article number -> (name, group code, group name, colour code, size code) as the warehouse holds them."""
    def code(article: dict, structure: str, element: str) -> str | None:
        return (article.get(structure) or {}).get(element)

    return {number: (a["ArticleName"], code(a, "ArticleGroup", "ArticleGroupCode"),
                     code(a, "ArticleGroup", "ArticleGroupName"), code(a, "ArticleColor", "ColorCode"),
                     code(a, "ArticleSize", "SizeCode"))
            for number, a in wms_articles(wms_admin).items()}


def test_a_family_is_one_article_group_with_colours_and_sizes(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                              wms_admin: Admin) -> None:
    erp_admin.post("products", CATALOGUE)

    report = sync_articles(erp, wms, None, variants=VariantRule(parts=("color", "size")))

    assert (report.created, report.failures) == (len(CATALOGUE), [])
    assert grouping(wms_admin) == {
        "TS": ("T-skjorte Ærlig", "TS", "T-skjorte Ærlig", None, None),
        "TS-RED": ("T-skjorte rød", "TS", "T-skjorte Ærlig", "RED", None),
        "TS-RED-L": ("T-skjorte rød L", "TS", "T-skjorte Ærlig", "RED", "L"),
        "TS-BLÅ-M": ("T-skjorte blå M", "TS", "T-skjorte Ærlig", "BLÅ", "M"),
        "KAFFE": ("Kaffe", None, None, None, None),
    }


def test_without_variations_nothing_is_grouped(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                               wms_admin: Admin) -> None:
    erp_admin.post("products", CATALOGUE)
    assert sync_articles(erp, wms, None).failures == []
    assert {number: row[1:] for number, row in grouping(wms_admin).items()} == dict.fromkeys(
        (p["No"] for p in CATALOGUE), (None, None, None, None))


def test_a_renamed_root_renames_its_familys_group(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                  wms_admin: Admin) -> None:
    erp_admin.post("products", CATALOGUE)
    first = sync_articles(erp, wms, None, variants=VariantRule())
    erp_admin.post("products", [{"Id": 1, "Name": "Tee"}])

    second = sync_articles(erp, wms, first.cursor, variants=VariantRule())

    assert (second.updated, second.failures) == (4, [])
    groups = {number: row[2] for number, row in grouping(wms_admin).items()}
    assert groups == {"TS": "Tee", "TS-RED": "Tee", "TS-RED-L": "Tee", "TS-BLÅ-M": "Tee", "KAFFE": None}


def test_a_first_variant_puts_its_root_in_the_group(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                    wms_admin: Admin) -> None:
    erp_admin.post("products", [CATALOGUE[0], CATALOGUE[4]])
    first = sync_articles(erp, wms, None, variants=VariantRule())
    assert grouping(wms_admin)["TS"][1] is None, "no variants yet: no group"
    erp_admin.post("products", [CATALOGUE[1]])

    second = sync_articles(erp, wms, first.cursor, variants=VariantRule())

    assert (second.created, second.updated, second.failures) == (1, 1, [])
    assert (grouping(wms_admin)["TS"][1], grouping(wms_admin)["TS-RED"][1]) == ("TS", "TS")


def test_the_articles_asset_groups_by_the_settings(erp_server, wms_server, erp_admin: Admin, wms_admin: Admin,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from sync_pipeline.assets.process_assets import PROCESS_ASSETS

    articles_asset = PROCESS_ASSETS["wms_articles"]
    from sync_pipeline.resources import resources_from_env

    for name, value in sandbox_environment(erp_server.url, wms_server.url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SYNC_VARIATIONS", "on")
    monkeypatch.setenv("SYNC_VARIANT_PARTS", "size")
    for name in ("SYNC_SUPPLIERS", "SYNC_EXTRA_FIELDS", "SYNC_VARIANT_SEPARATOR"):
        monkeypatch.delenv(name, raising=False)
    erp_admin.post("products", CATALOGUE)

    with dg.instance_for_test() as instance:
        result = dg.materialize([articles_asset], resources=resources_from_env(load_settings()), instance=instance)

    assert result.success
    assert grouping(wms_admin)["TS-RED-L"] == ("T-skjorte rød L", "TS", "T-skjorte Ærlig", None, "RED-L")
