"""Extra field rows from configuration: they extend the tables, and bad ones are refused at start."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from sync_pipeline.mapping import MAPS, ExtraField, extend_map, map_article, map_order, map_supplier
from sync_pipeline.soap.errors import RecordError

from .records import company, order, product

CUSTOMS = (
    ExtraField(map="order_line", target="LinePrice", source="Price"),
    ExtraField(map="article", target="PurchasePrice", source="InPrice"),
    ExtraField(map="article", target="Price", source="Price"),
)


def test_customs_prices_extend_the_article_and_order_line_maps():
    article = map_article(product(), CUSTOMS)
    assert article["PurchasePrice"] == Decimal("21.50")
    assert article["Price"] == Decimal("49.90")
    lines = map_order(order(), extra=CUSTOMS)["CustomerOrderLines"]
    assert [line["LinePrice"] for line in lines] == [Decimal("49.90"), Decimal("10.00")]


def test_extra_rows_for_other_maps_do_not_leak():
    assert "LinePrice" not in map_article(product(), CUSTOMS)
    assert "PurchasePrice" not in map_order(order(), extra=CUSTOMS)["OrderInfo"]


def test_extra_rows_on_every_order_table_and_the_supplier():
    extra = (
        ExtraField(map="order_info", target="FreeText1", source="OrderStatus"),
        ExtraField(map="order_info", target="FreeText2", source="ExternalStatus"),
        ExtraField(map="invoice_address", target="Email", source="InvoiceEmailAddress"),
        ExtraField(map="supplier", target="Address.Name", source="Addresses.Post.Name"),
    )
    mapped = map_order(order(ExternalStatus=12), extra=extra)
    assert mapped["OrderInfo"]["FreeText1"] == "Confirmed"
    assert mapped["OrderInfo"]["FreeText2"] == "12"
    assert mapped["Customer"]["InvoiceAddress"]["Email"] == "faktura@smorbrod.no"
    supplier = map_supplier(company(Addresses={"Post": {"Name": "Lager Øst"}}), extra)
    assert supplier["Address"] == {"Name": "Lager Øst"}


def test_an_empty_extra_source_is_left_out():
    assert "PurchasePrice" not in map_article(product(InPrice=None), CUSTOMS)


def test_extend_map_appends_configured_rows():
    extended = extend_map(MAPS["order_line"], CUSTOMS)
    assert [row.target for row in extended.rows] == ["ProductCode", "ExternalOrderLineCode", "NumberOfItems", "LinePrice"]
    assert extended.rows[-1].configured and extended.rows[-1].converter == "decimal"
    assert MAPS["order_line"].row_for("LinePrice") is None  # the seed's table itself is unchanged


def test_a_value_that_does_not_convert_refuses_that_record_only():
    raw = {"OrderId": 5, "CustomerId": 1, "InvoiceRows": [{"ProductId": 1, "RowId": 1, "Quantity": 1, "Price": "abc"}]}
    result = map_order(raw, extra=CUSTOMS)
    assert isinstance(result, RecordError)
    assert (result.key, result.field) == ("5", "InvoiceRows[0].Price")
    assert "is not a number: 'abc'" in result.message


@pytest.mark.parametrize(
    "entry, words",
    [
        ({"map": "order_lines", "target": "LinePrice", "source": "Price"}, "unknown map 'order_lines'; use one of: article"),
        ({"map": "order_line", "target": "LinePrise", "source": "Price"}, "no element 'LinePrise' (did you mean LinePrice?)"),
        ({"map": "order_line", "target": "LinePrice", "source": "Prise"}, "source 'Prise' is not in the 24SevenOffice"),
        ({"map": "article", "target": "ArticleIdentification", "source": "No"}, "filled by the sync itself"),
        ({"map": "customer", "target": "CustomerOperation", "source": "CustomerName"}, "filled by the sync itself"),
        ({"map": "supplier", "target": "Address", "source": "Name"}, "not a single value"),
        ({"map": "article", "target": "ArticleName", "source": "Description"}, "already mapped from Product.Name"),
        ({"map": "order_line", "target": "LinePrice", "source": "Name"}, "source 'Name' is a string but target 'LinePrice' needs a decimal"),
        ({"map": "order_info", "target": "FreeText1", "source": "Addresses"}, "is a structure, not a single value"),
        ({"map": "order_info", "target": "FreeText1", "source": "DateChanged"}, "is a dateTime but target 'FreeText1' needs a string"),
        # In the ERP's service description, but the service's report of a refused record, not data.
        ({"map": "order_info", "target": "FreeText1", "source": "APIException.StackTrace"}, "error report"),
        ({"map": "article", "target": "CountryOfOriginCode", "source": "CountryOfOrigin"}, "Product has no element 'CountryOfOrigin'"),
        ({"map": "order_line", "target": "LinePrice.Amount", "source": "Price"}, "single value and has no element 'Amount'"),
    ],
)
def test_bad_extra_fields_are_refused_with_a_message_naming_the_entry(entry, words):
    with pytest.raises(ValidationError) as refused:
        ExtraField.model_validate(entry)
    message = str(refused.value)
    assert words in message
    assert f'"map": "{entry["map"]}", "target": "{entry["target"]}", "source": "{entry["source"]}"' in message


def test_unknown_keys_in_an_extra_field_are_refused():
    with pytest.raises(ValidationError, match="extra"):
        ExtraField.model_validate({"map": "article", "target": "Price", "source": "Price", "converter": "decimal"})
