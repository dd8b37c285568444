"""ProcessArticle: articles and their main supplier, read back through GetInventoryByQuery."""

from __future__ import annotations

from decimal import Decimal

from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, article, supplier


def test_an_article_with_its_supplier_is_created_and_read_back(ongoing: Ongoing, wms_admin: Admin) -> None:
    result = ongoing.process_article(
        "SKU-1001", ArticleName="Ullpledd Fjellrype", ProductCode="7040001", BarCode="7040000000017",
        ArticleDescription="Wool blanket", Weight=Decimal("1.250"), PurchasePrice=Decimal("199.00"),
        MainSupplier=supplier("7", "Norsk Ull AS", Name="Norsk Ull AS", Address="Fabrikkveien 1", PostCode="2600",
                              City="Lillehammer", CountryCode="NO"))

    assert result.Success is True
    assert result.ArticleDefId > 0
    found = ongoing.inventory_of("SKU-1001").Article
    assert (found.SystemId, found.Name, found.ProductCode, found.BarCode, found.Description, found.Weight) == (
        result.ArticleDefId, "Ullpledd Fjellrype", "7040001", "7040000000017", "Wool blanket", Decimal("1.250"))
    assert (found.MainSupplierNumber, found.MainSupplierName) == ("7", "Norsk Ull AS")
    (stored,) = wms_admin.get("state")["suppliers"]
    assert stored["Address"] == {"Name": "Norsk Ull AS", "Address": "Fabrikkveien 1", "PostCode": "2600",
                                 "City": "Lillehammer", "CountryCode": "NO"}


def test_an_update_overwrites_the_fields_sent_and_keeps_the_others(ongoing: Ongoing) -> None:
    created = ongoing.process_article("SKU-1", ArticleName="Tent", BarCode="111", Weight=Decimal("2"))

    updated = ongoing.process_article("SKU-1", ArticleName="Tent, 2 persons", Weight=Decimal("2.4"))

    assert updated.Success is True and updated.ArticleDefId == created.ArticleDefId
    assert "updated" in updated.Message
    found = ongoing.inventory_of("SKU-1").Article
    assert (found.Name, found.Weight, found.BarCode) == ("Tent, 2 persons", Decimal("2.4"), "111")
    assert len(ongoing.inventory()) == 1


def test_a_supplier_update_shows_on_every_article_of_that_supplier(ongoing: Ongoing) -> None:
    ongoing.process_article("SKU-1", MainSupplier=supplier("7", "Norsk Ull"))
    ongoing.process_article("SKU-2", MainSupplier=supplier("7", operation="Find"))

    ongoing.process_article("SKU-3", MainSupplier=supplier("7", "Norsk Ull AS"))

    assert {line.Article.MainSupplierName for line in ongoing.inventory()} == {"Norsk Ull AS"}


def test_supplier_find_does_not_create_a_supplier(ongoing: Ongoing, wms_admin: Admin) -> None:
    result = ongoing.process_article("SKU-1", ArticleName="Tent", MainSupplier=supplier("99", operation="Find"))

    assert result.Success is False
    assert "99" in result.ErrorMessage and "does not exist" in result.ErrorMessage
    state = wms_admin.get("state")
    assert state["articles"] == [] and state["suppliers"] == []


def test_invalid_articles_are_refused_records_not_faults(ongoing: Ongoing, wms_admin: Admin) -> None:
    refusals = {
        "missing number": (None, {"ArticleName": "Tent"}, "ArticleNumber is missing"),
        "long name": ("SKU-1", {"ArticleName": "x" * 101}, "at most 100"),
        "negative weight": ("SKU-2", {"Weight": Decimal("-0.1")}, "Weight must not be negative"),
    }
    for case, (number, fields, expected) in refusals.items():
        result = ongoing.process_article(number, **fields)
        assert result.Success is False, case
        assert expected in result.ErrorMessage, case

    assert ongoing.process_article("SKU-3", ArticleName="x" * 100).Success is True
    assert [a["ArticleNumber"] for a in wms_admin.get("state")["articles"]] == ["SKU-3"]


def test_an_article_found_by_product_code_can_be_renamed_and_keeps_its_stock(ongoing: Ongoing,
                                                                            wms_admin: Admin) -> None:
    ongoing.process_article("OLD-1", ArticleName="Lamp", ProductCode="P-1")
    wms_admin.post("stock", {"ArticleNumber": "OLD-1", "NumberOfItems": 4})

    result = ongoing.call("ProcessArticle", art=article("NEW-1", ArticleIdentification="ProductCode",
                                                         ProductCode="P-1"))

    assert result.Success is True
    (renamed,) = ongoing.inventory()
    assert (renamed.Article.ArticleNumber, renamed.Article.Name, renamed.NumberOfItems) == ("NEW-1", "Lamp", 4)


def test_an_article_number_or_product_code_belongs_to_one_article(ongoing: Ongoing) -> None:
    ongoing.process_article("SKU-1", ProductCode="P-1")
    ongoing.process_article("SKU-2", ProductCode="P-2")

    taken_code = ongoing.process_article("SKU-3", ProductCode="P-1")
    taken_number = ongoing.call("ProcessArticle", art=article("SKU-2", ArticleIdentification="ProductCode",
                                                               ProductCode="P-1"))

    assert taken_code.Success is False and "P-1" in taken_code.ErrorMessage
    assert taken_number.Success is False and "SKU-2" in taken_number.ErrorMessage
    assert sorted(line.Article.ArticleNumber for line in ongoing.inventory()) == ["SKU-1", "SKU-2"]
