"""Variations: families from the numbers, grouped by Ongoing's ArticleGroup, names kept (mapping/variants.py)."""

from __future__ import annotations

import pytest

from sync_pipeline.mapping.variants import VariantRule

CATALOGUE = [
    {"No": "TS", "Name": "T-skjorte"},
    {"No": "TS-RED", "Name": "T-skjorte rød"},
    {"No": "TS-RED-L", "Name": "T-skjorte rød L"},
    {"No": "TS-BLÅ-M-XL", "Name": "T-skjorte blå"},
    {"No": "KAFFE", "Name": "Kaffe"},
    {"No": "SOLO-1"},
]


def by_number(number: str) -> dict:
    return next(p for p in CATALOGUE if p["No"] == number)


def test_every_member_of_a_family_is_grouped_under_its_root_and_keeps_its_name():
    catalogue = VariantRule().catalogue(CATALOGUE)
    for number in ("TS", "TS-RED", "TS-RED-L", "TS-BLÅ-M-XL"):
        article = catalogue.article(by_number(number), {"ArticleNumber": number, "ArticleName": by_number(number)["Name"]})
        assert article["ArticleName"] == by_number(number)["Name"], "ArticleName ← Product.Name, as the seed says"
        assert article["ArticleGroup"] == {"ArticleGroupOperation": "CreateOrUpdate",
                                           "ArticleGroupIdentification": "ArticleGroupCode",
                                           "ArticleGroupCode": "TS", "ArticleGroupName": "T-skjorte"}
        assert "ArticleColor" not in article and "ArticleSize" not in article, "parts only when configured"
    assert catalogue.variant(by_number("TS-RED-L")).base_number == "TS-RED"
    assert catalogue.variant(by_number("TS-RED-L")).root_number == "TS"


def test_products_outside_any_family_are_left_ungrouped():
    catalogue = VariantRule().catalogue(CATALOGUE)
    for number in ("KAFFE", "SOLO-1"):
        assert catalogue.article(by_number(number), {"ArticleNumber": number}) == {"ArticleNumber": number}


def test_a_root_without_a_name_groups_by_code_only():
    catalogue = VariantRule().catalogue([{"No": "TS", "Name": " "}, {"No": "TS-RED", "Name": "Rød"}])
    assert catalogue.article({"No": "TS-RED"}, {})["ArticleGroup"] == {
        "ArticleGroupOperation": "CreateOrUpdate", "ArticleGroupIdentification": "ArticleGroupCode",
        "ArticleGroupCode": "TS"}


@pytest.mark.parametrize("parts, number, color, size", [
    (("color", "size"), "TS-RED-L", "RED", "L"),
    (("color", "size"), "TS-RED", "RED", None),
    (("color", "size"), "TS-BLÅ-M-XL", "BLÅ", "M-XL"),  # the last named part takes the rest
    (("size",), "TS-RED-L", None, "RED-L"),
    (("size", "color"), "TS-RED-L", "L", "RED"),
    ((), "TS-RED-L", None, None),
])
def test_configured_parts_fill_colour_and_size_from_the_number_after_the_root(parts, number, color, size):
    article = VariantRule(parts=parts).catalogue(CATALOGUE).article(by_number(number), {})
    assert article.get("ArticleColor") == (
        {"ColorCode": color, "ColorName": color, "ArticleColorOperation": "FindOrCreate"} if color else None)
    assert article.get("ArticleSize") == (
        {"SizeCode": size, "SizeName": size, "ArticleSizeOperation": "FindOrCreate"} if size else None)


def test_the_root_itself_has_no_parts():
    article = VariantRule(parts=("color", "size")).catalogue(CATALOGUE).article(by_number("TS"), {})
    assert set(article) == {"ArticleGroup"}


@pytest.mark.parametrize("parts, words", [(("colour",), "unknown variant part 'colour'"),
                                          (("size", "size"), "named once")])
def test_bad_parts_are_refused(parts, words):
    with pytest.raises(ValueError, match=words):
        VariantRule(parts=parts)


def numbers(products: list[dict]) -> list[str]:
    return [p["No"] for p in products]


def test_a_changed_root_brings_its_whole_family_and_a_changed_variant_its_root():
    catalogue = VariantRule().catalogue(CATALOGUE)
    assert numbers(catalogue.with_variants_of_changed([by_number("TS")])) == [
        "TS", "TS-RED", "TS-RED-L", "TS-BLÅ-M-XL"]
    assert numbers(catalogue.with_variants_of_changed([by_number("TS-RED-L")])) == ["TS-RED-L", "TS"]
    assert numbers(catalogue.with_variants_of_changed([by_number("KAFFE")])) == ["KAFFE"]
    both = catalogue.with_variants_of_changed([by_number("TS-RED"), by_number("TS")])
    assert sorted(numbers(both)) == sorted(["TS", "TS-RED", "TS-RED-L", "TS-BLÅ-M-XL"]), "each article once"


def test_the_rule_names_the_elements_it_owns():
    assert VariantRule().elements() == ("ArticleGroup",)
    assert VariantRule(parts=("size", "color")).elements() == ("ArticleGroup", "ArticleSize", "ArticleColor")
