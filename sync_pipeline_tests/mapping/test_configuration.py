"""SYNC_EXTRA_FIELDS and SYNC_VARIATIONS / SYNC_VARIANT_PARTS as an operator writes them: every refused
entry is named with its reason, and variations keep the article elements they fill to themselves."""

from __future__ import annotations

import json

import pytest

from sync_pipeline_tests.settings_environment import clear_settings, load, problems


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    clear_settings(monkeypatch, tmp_path)


def test_real_only_extra_fields_are_accepted(monkeypatch):
    entries = [{"map": "article", "target": "StatisticsNumber", "source": "ProductCode"},
               {"map": "article", "target": "ArticleGroup.ArticleGroupCode", "source": "CategoryId"},
               {"map": "order_line", "target": "Discount", "source": "DiscountRate"},
               {"map": "customer", "target": "Address2", "source": "Addresses.Delivery.Name"}]
    settings = load(monkeypatch, SYNC_EXTRA_FIELDS=json.dumps(entries))
    assert [f.target for f in settings.extra_fields_for("article")] == ["StatisticsNumber", "ArticleGroup.ArticleGroupCode"]


def test_every_wrong_entry_is_reported_with_its_position_field_and_reason(monkeypatch):
    entries = [{"map": "article", "target": "StatisticsNumber", "source": "ProductCode"},
               {"map": "article", "target": "CountryOfOrigin", "source": "StockLocation"},
               {"map": "article", "target": "StatisticsNumber", "source": "HsCode"},
               {"map": "order_line", "target": "NumberOfItems", "source": "QuantityOrdered"},
               {"map": "article", "target": "OrderPoint", "source": "MinimumStock"},
               {"map": "article", "target": "ArticleSystemId", "source": "Id"}]
    [line] = problems(monkeypatch, SYNC_EXTRA_FIELDS=json.dumps(entries))
    assert line.startswith("SYNC_EXTRA_FIELDS: entry 2: ")
    assert "entry 2: extra field {\"map\": \"article\", \"target\": \"CountryOfOrigin\"" in line
    assert "target 'CountryOfOrigin' is not in the WMS service description" in line and "did you mean CountryOfOriginCode?" in line
    assert "entry 3: " in line and "source 'HsCode' is not in the 24SevenOffice service description: Product has no element 'HsCode'" in line
    assert "entry 4: " in line and "already mapped from InvoiceRow.Quantity" in line
    assert "entry 5: " in line and "source 'MinimumStock' is a decimal but target 'OrderPoint' needs a int" in line
    assert "entry 6: " in line and "filled by the sync itself" in line


def test_variant_parts_are_read_as_a_list(monkeypatch):
    settings = load(monkeypatch, SYNC_VARIATIONS="on", SYNC_VARIANT_PARTS=" Color , size ")
    assert settings.sync_variant_parts == ("color", "size")
    assert load(monkeypatch, SYNC_VARIANT_PARTS="").sync_variant_parts == ()


@pytest.mark.parametrize("value, words", [("colour", "unknown variant part 'colour'"), ("size,size", "named once")])
def test_wrong_variant_parts_are_refused(monkeypatch, value, words):
    [line] = problems(monkeypatch, SYNC_VARIANT_PARTS=value)
    assert line.startswith("SYNC_VARIANT_PARTS: must be color and/or size") and words in line


def test_with_variations_on_extra_fields_may_not_fill_the_family_group_or_the_parts(monkeypatch):
    entries = [{"map": "article", "target": "ArticleGroup.ArticleGroupName", "source": "SupplierProductName"},
               {"map": "article", "target": "ArticleSize.SizeCode", "source": "StockLocation"},
               {"map": "article", "target": "ArticleColor.ColorCode", "source": "DescriptionLong"}]
    [line] = problems(monkeypatch, SYNC_VARIATIONS="on", SYNC_VARIANT_PARTS="size", SYNC_EXTRA_FIELDS=json.dumps(entries))
    assert "SYNC_VARIATIONS is on and fills the articles' ArticleGroup, ArticleSize itself" in line
    assert "ArticleGroup.ArticleGroupName" in line and "ArticleSize.SizeCode" in line
    assert "ArticleColor" not in line.split("itself", 1)[1], "colour is not a configured part: extra fields may fill it"
    assert load(monkeypatch, SYNC_VARIATIONS="off", SYNC_VARIANT_PARTS="size",
                SYNC_EXTRA_FIELDS=json.dumps(entries)).sync_extra_fields
