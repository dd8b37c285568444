from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pandas as pd
import pytest

from sync_pipeline.erp.models import Product
from sync_pipeline.stock.frames import erp_frame, wms_frame
from sync_pipeline.stock.quantity import to_units
from sync_pipeline.wms.models import InventoryLine
from sync_pipeline_tests.stock.records import line, product


def test_basis_picks_physical_or_sellable_stock():
    lines = [line("SKU-1", physical=10, sellable=-2)]
    assert wms_frame(lines, "physical")["wms_quantity"].tolist() == [to_units(10)]
    assert wms_frame(lines, "sellable")["wms_quantity"].tolist() == [to_units(-2)]


def test_unknown_basis_is_refused():
    with pytest.raises(ValueError, match="basis"):
        wms_frame([line("SKU-1", 1)], "booked")


def test_article_numbers_stay_exact_strings():
    frame = wms_frame([line("00123", 1), line("123", 2), line("Ærø-ñ-✓", 3)], "physical")
    assert frame["article_number"].tolist() == ["00123", "123", "Ærø-ñ-✓"]
    assert isinstance(frame["article_number"].dtype, pd.StringDtype)


def test_line_without_article_number_is_kept_with_an_error():
    frame = wms_frame([line(None, 5), line("", 6), line("SKU-1", 7)], "physical")
    assert frame["error"].notna().tolist() == [True, True, False]
    assert "article number" in frame["error"].iloc[0]


def test_quantity_that_is_not_exact_is_kept_with_an_error():
    frame = wms_frame([line("SKU-1", Decimal("1.0000001")), line("SKU-2", 2)], "physical")
    assert frame["wms_quantity"].isna().tolist() == [True, False]
    assert "decimal places" in frame["error"].iloc[0]


def test_nested_article_as_in_the_soap_reply():
    raw = {
        "Article": {"ArticleNumber": "SKU-9", "ProductCode": "9", "SystemId": 1},
        "NumberOfItems": 4,
        "NumberOfItemsDecimal": Decimal("4.5"),
        "SellableNumberOfItems": Decimal("3.5"),
    }
    frame = wms_frame([raw], "physical")
    assert frame["article_number"].tolist() == ["SKU-9"]
    assert frame["product_code"].tolist() == ["9"]
    # the decimal physical stock wins over the int one
    assert frame["wms_quantity"].tolist() == [to_units("4.5")]


def test_wms_client_models_are_read_by_attribute():
    model = InventoryLine.from_reply(
        {
            "Article": {"SystemId": 7, "ArticleNumber": "SKU-7", "ProductCode": "7"},
            "NumberOfItemsDecimal": Decimal("12.25"),
            "NumberOfBookedItemsDecimal": Decimal("2"),
            "SellableNumberOfItems": Decimal("10.25"),
        }
    )
    frame = wms_frame([model], "sellable")
    assert frame["article_number"].tolist() == ["SKU-7"]
    assert frame["wms_quantity"].tolist() == [to_units("10.25")]
    assert wms_frame([model], "physical")["wms_quantity"].tolist() == [to_units("12.25")]


def test_erp_frame_columns_and_types():
    changed = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    frame = erp_frame([product(5, "SKU-5", "1.25", changed), product(6, "SKU-6", None, None)])
    assert frame["product_id"].dtype == "int64"
    assert frame["erp_quantity"].tolist()[0] == to_units("1.25")
    assert frame["erp_quantity"].isna().tolist() == [False, True]
    assert str(frame["erp_changed"].dtype) == "datetime64[us, UTC]"
    assert frame["erp_changed"].iloc[0] == pd.Timestamp("2024-01-02T01:04:05Z")
    assert frame["erp_changed"].isna().tolist() == [False, True]
    assert frame["error"].isna().all()


def test_erp_client_models_are_read_by_attribute():
    model = Product.model_validate(
        {"Id": 3, "No": "SKU-3", "Stock": Decimal("8"), "DateChanged": datetime(2024, 1, 1)}
    )
    frame = erp_frame([model])
    assert frame["product_id"].tolist() == [3]
    assert frame["erp_quantity"].tolist() == [to_units(8)]
    assert frame["erp_changed"].iloc[0] == pd.Timestamp("2024-01-01T00:00:00Z")


def test_products_without_article_number_take_no_part():
    frame = erp_frame([product(1, None, 1), product(2, "", 1), product(3, "SKU-3", 1)])
    assert frame["product_id"].tolist() == [3]


def test_erp_not_set_values_mean_missing():
    frame = erp_frame(
        [
            product(1, "SKU-1", Decimal("-79228162514264337593543950335"), datetime(1, 1, 1)),
            product(-2147483648, "SKU-2", 1),
        ]
    )
    assert frame["erp_quantity"].isna().tolist() == [True, False]
    assert frame["erp_changed"].isna().tolist() == [True, False]
    assert frame["error"].isna().tolist() == [True, False]
    assert "Id" in frame["error"].iloc[1]


def test_empty_inputs_give_empty_frames_with_all_columns():
    assert len(wms_frame([], "physical")) == 0
    assert {"article_number", "wms_quantity"} <= set(wms_frame([], "physical").columns)
    assert {"article_number", "product_id", "erp_quantity", "erp_changed"} <= set(
        erp_frame([]).columns
    )
