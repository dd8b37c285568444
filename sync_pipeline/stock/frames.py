"""Both systems' stock as pandas frames, keyed by article number, ready to compare.

Keys: ERP `Product.No` == WMS `ArticleNumber`, kept as exact Python strings ("00123" and "123"
are different articles; nothing is stripped or case-folded). Quantities: nullable Int64 units of
one millionth (see quantity.py) — exact, and turned back into Decimal for writing.

A record that cannot take part (a WMS line without an article number, a quantity that is not an
exact decimal, a product without an Id) stays in the frame with <NA> quantity and the reason in
`error`; compare() reports it and leaves that article alone. ERP products without an article
number are left out: they are not warehouse articles (the article registry never sends them).

`key_hash` and `key_check` are the 128-bit fingerprint of article_number (keys.key_fingerprints),
computed once here so that compare() does not hash every key again. compare() spot-checks them
and hashes again if they do not fit, but do not edit article_number in place (build the frame
again, or drop both columns).

Frames are built from column lists in one pass over the records (about 1-2 s per million).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any, Callable, Iterable, Literal, Mapping, get_args

import numpy as np
import pandas as pd

from sync_pipeline.stock.keys import key_fingerprints
from sync_pipeline.stock.quantity import units_array

Basis = Literal["physical", "sellable"]
BASES: tuple[str, ...] = get_args(Basis)

FINGERPRINT_COLUMNS = ("key_hash", "key_check")
WMS_COLUMNS = ("article_number", "product_code", "wms_quantity", "error", *FINGERPRINT_COLUMNS)
ERP_COLUMNS = (
    "article_number",
    "product_id",
    "erp_quantity",
    "erp_changed",
    "error",
    *FINGERPRINT_COLUMNS,
)

# 24SevenOffice "not set" values (the ERP client already maps them to None; be safe anyway).
ERP_NOT_SET_INT = -2147483648
ERP_NOT_SET_DECIMAL = Decimal("-79228162514264337593543950335")

MISSING_PRODUCT_ID = -1


def wms_frame(lines: Iterable[Mapping[str, Any] | object], basis: Basis) -> pd.DataFrame:
    """WMS inventory lines -> article_number, product_code, wms_quantity (units), error.

    `basis` picks the quantity: "physical" is the stock on the shelves (NumberOfItemsDecimal when
    the line has it, else NumberOfItems); "sellable" is SellableNumberOfItems, which already
    excludes items booked for orders and may be negative. Lines may be flat (ArticleNumber,
    ProductCode on the line) or carry them in a nested `Article`, as the SOAP reply does.
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    article_numbers: list[str] = []
    product_codes: list[str | None] = []
    quantities: list[Any] = []
    for line in lines:
        get = _getter(line)
        article_number = get("ArticleNumber")
        product_code = get("ProductCode")
        if article_number is None and product_code is None:
            article = get("Article")
            if article is not None:
                get_article = _getter(article)
                article_number = get_article("ArticleNumber")
                product_code = get_article("ProductCode")
        if basis == "physical":
            quantity = get("NumberOfItemsDecimal")
            if quantity is None:
                quantity = get("NumberOfItems")
        else:
            quantity = get("SellableNumberOfItems")
        article_numbers.append(_key(article_number))
        product_codes.append(None if product_code is None else str(product_code))
        quantities.append(quantity)

    units, quantity_errors = units_array(quantities)
    errors: list[str | None] = [None] * len(article_numbers)
    for position, message in quantity_errors.items():
        errors[position] = f"quantity: {message}"
    for position in np.flatnonzero(units.isna()).tolist():
        if errors[position] is None:
            errors[position] = "inventory line without a quantity"
    for position, article_number in enumerate(article_numbers):
        if not article_number:
            errors[position] = "inventory line without an article number"

    keys = pd.array(article_numbers, dtype="str")
    frame = pd.DataFrame(
        {
            "article_number": keys,
            "product_code": pd.array(product_codes, dtype="str"),
            "wms_quantity": units,
            "error": pd.array(errors, dtype="str"),
            **_fingerprint_columns(keys),
        }
    )
    frame.attrs["basis"] = basis
    return frame


def erp_frame(products: Iterable[Mapping[str, Any] | object]) -> pd.DataFrame:
    """ERP products -> article_number, product_id, erp_quantity (units), erp_changed, error.

    `erp_quantity` is <NA> when the ERP has no stock figure (Stock None); compare() counts that
    as different from any warehouse quantity. `erp_changed` is DateChanged in UTC (naive values
    are taken as UTC, as everything in both systems is).
    """
    article_numbers: list[str] = []
    product_ids: list[int] = []
    stocks: list[Any] = []
    changed: list[Any] = []
    errors: dict[int, str] = {}
    for product in products:
        get = _getter(product)
        article_number = _key(get("No"))
        if not article_number:
            continue
        product_id = get("Id")
        if product_id is None or product_id == ERP_NOT_SET_INT:
            errors[len(product_ids)] = "product without an Id"
            product_id = MISSING_PRODUCT_ID
        date_changed = get("DateChanged")
        if isinstance(date_changed, datetime) and date_changed.year == 1:
            date_changed = None  # 0001-01-01: the ERP's "not set"
        article_numbers.append(article_number)
        product_ids.append(int(product_id))
        stocks.append(get("Stock"))
        changed.append(date_changed)

    units, quantity_errors = units_array(stocks, not_set=ERP_NOT_SET_DECIMAL)
    error_column: list[str | None] = [None] * len(article_numbers)
    for position, message in quantity_errors.items():
        error_column[position] = f"stock: {message}"
    for position, message in errors.items():
        error_column[position] = message

    keys = pd.array(article_numbers, dtype="str")
    return pd.DataFrame(
        {
            "article_number": keys,
            "product_id": np.array(product_ids, dtype=np.int64),
            "erp_quantity": units,
            "erp_changed": _utc_times(changed),
            "error": pd.array(error_column, dtype="str"),
            **_fingerprint_columns(keys),
        }
    )


def _getter(record: Any) -> Callable[[str], Any]:
    if isinstance(record, Mapping):
        return record.get
    return partial(_attribute, record)


def _attribute(record: Any, name: str) -> Any:
    return getattr(record, name, None)


def _key(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _fingerprint_columns(keys: pd.api.extensions.ExtensionArray) -> dict[str, np.ndarray]:
    return dict(zip(FINGERPRINT_COLUMNS, key_fingerprints(keys.to_numpy(dtype=object))))


def _utc_times(values: list[Any]) -> pd.DatetimeIndex:
    times = pd.to_datetime(values, utc=True) if values else pd.DatetimeIndex([], tz="UTC")
    return times.as_unit("us")
