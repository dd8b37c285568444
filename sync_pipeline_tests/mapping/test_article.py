"""Article registry: Product -> ArticleDefinition business fields and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sync_pipeline.mapping import article_key, map_article
from sync_pipeline.soap.errors import RecordError

from .records import product


def test_every_row_of_the_article_table_is_mapped():
    assert map_article(product()) == {
        "ProductCode": "17",
        "ArticleNumber": "SKU-1017",
        "ArticleName": "Brød med smør",
        "ArticleDescription": "Grovt brød, 750 g",
        "BarCode": "7031234567897",
        "Weight": Decimal("0.750"),
    }


def test_empty_optional_fields_are_left_out():
    mapped = map_article(product(Name="", Description=None, EAN1="  ", Weight=None))
    assert mapped == {"ProductCode": "17", "ArticleNumber": "SKU-1017"}


def test_unicode_names_and_stripped_control_characters():
    mapped = map_article(product(Name="Ærlig Øl & Smørbrød AB\x0b", Description="Linje 1\nLinje 2\x00"))
    assert mapped["ArticleName"] == "Ærlig Øl & Smørbrød AB"
    assert mapped["ArticleDescription"] == "Linje 1\nLinje 2"


@pytest.mark.parametrize("number", [None, "", "   "])
def test_a_product_without_article_number_is_refused(number):
    result = map_article(product(No=number))
    assert result == RecordError(
        "Product Id 17", "Product ⇒ No is missing; Ongoing WMS needs it for ArticleDefinition ⇒ ArticleNumber", "No"
    )


@pytest.mark.parametrize("number", ["SKU\t1017", "SKU-1017\n", "SKU\x001017"])
def test_control_characters_in_the_article_number_are_refused_not_stripped(number):
    result = map_article(product(No=number))
    assert isinstance(result, RecordError)
    assert (result.key, result.field) == ("Product Id 17", "No")
    assert "control characters" in result.message


@pytest.mark.parametrize(
    "field, limit",
    [("No", 100), ("Name", 125), ("Description", 500), ("EAN1", 50)],
)
def test_text_over_the_erp_limits_is_refused_and_at_the_limit_accepted(field, limit):
    assert not isinstance(map_article(product(**{field: "x" * limit})), RecordError)
    result = map_article(product(**{field: "x" * (limit + 1)}))
    assert isinstance(result, RecordError)
    assert result.field == field
    assert f"has {limit + 1} characters; 24SevenOffice allows at most {limit}" in result.message


def test_errors_name_the_product_by_article_number_when_it_has_one():
    result = map_article(product(Name="n" * 126))
    assert result.key == "SKU-1017"
    assert str(result).startswith("SKU-1017.Name: ")


def test_article_key():
    assert article_key(product()) == "SKU-1017"
    assert article_key(product(No=None)) == "Product Id 17"
    assert article_key({"No": None, "Id": None}) == "Product (no Id)"


def test_a_product_without_id_is_refused_as_lines_find_articles_by_it():
    result = map_article(product(Id=None))
    assert isinstance(result, RecordError)
    assert (result.key, result.field) == ("SKU-1017", "Id")
    assert "ProductCode" in result.message
