"""Compare WMS stock with ERP stock: what to write, what to report, what to leave alone.

Rules:
- An article is compared when both sides have it exactly once (key: ERP No == WMS ArticleNumber).
  It is changed when the quantities differ, or when the ERP has no stock figure (Stock None).
- only_in_wms: the ERP has no such product. Never written (stock cannot be set on a product that
  does not exist); reported, since it usually means a renamed or deleted product.
- only_in_erp: the warehouse has no line for the product. Not written: a missing line is not a
  zero (the article may not be stocked in this warehouse, or the read may have been partial).
- duplicates: an article number appearing more than once on either side is a per-record error;
  none of its rows on either side is written.
- invalid: rows the frames could not read (see frames.py, column `error`); their article is not
  written either.
- renamed: a WMS-only line whose ProductCode is the Id of an ERP-only product — most likely the
  product's No was changed in the ERP after the article was created in the warehouse.

All tables are sorted by article_number (Python string order), so output is deterministic.
Keys are matched by 128-bit fingerprints computed when the frames are built (keys.py explains
why that is fast); by default compare() also compares the strings of matched keys, so a
fingerprint collision can never join two different articles (verify_keys=False skips that check).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sync_pipeline.stock.frames import FINGERPRINT_COLUMNS
from sync_pipeline.stock.keys import Fingerprints, key_fingerprints, match_keys

CHANGES_COLUMNS = (
    "article_number",
    "product_id",
    "erp_quantity",
    "wms_quantity",
    "delta",
    "erp_changed",
)


@dataclass(frozen=True)
class StockComparison:
    """Result of compare(); quantities are Int64 units of 1/QUANTITY_SCALE (see quantity.py)."""

    changes: pd.DataFrame  # CHANGES_COLUMNS; delta = wms - erp (<NA> when the ERP has no stock)
    only_in_wms: pd.DataFrame  # article_number, product_code, wms_quantity
    only_in_erp: pd.DataFrame  # article_number, product_id, erp_quantity
    duplicates: pd.DataFrame  # article_number, wms_count, erp_count
    invalid: pd.DataFrame  # article_number, side ("wms" | "erp"), error
    renamed: pd.DataFrame  # product_id, erp_article_number, wms_article_number
    compared: int  # articles present exactly once on both sides
    basis: str | None = None  # the WMS quantity the frame was built from

    @property
    def changed(self) -> int:
        return len(self.changes)

    @property
    def unchanged(self) -> int:
        return self.compared - self.changed

    @property
    def counts(self) -> dict[str, int]:
        return {
            "compared": self.compared,
            "unchanged": self.unchanged,
            "changed": self.changed,
            "only_in_wms": len(self.only_in_wms),
            "only_in_erp": len(self.only_in_erp),
            "duplicates": len(self.duplicates),
            "invalid": len(self.invalid),
            "renamed": len(self.renamed),
        }


def compare(wms: pd.DataFrame, erp: pd.DataFrame, *, verify_keys: bool = True) -> StockComparison:
    """Compare frames from wms_frame() and erp_frame().

    Keys are matched by their 128-bit fingerprints (see keys.py); `verify_keys` also compares the
    strings of every matched pair, which makes matching exact at about twice the cost.
    """
    wms_keys = _keys(wms)
    erp_keys = _keys(erp)
    wms_units, wms_missing = _units(wms["wms_quantity"])
    erp_units, erp_missing = _units(erp["erp_quantity"])
    # A WMS line without a quantity cannot be written (a missing ERP stock can be overwritten).
    wms_bad = _unusable(wms, wms_keys) | wms_missing
    erp_bad = _unusable(erp, erp_keys)
    match = match_keys(
        wms_keys,
        erp_keys,
        left_fingerprints=_known_fingerprints(wms, wms_keys),
        right_fingerprints=_known_fingerprints(erp, erp_keys),
        left_skip=wms_bad,
        right_skip=erp_bad,
        verify_strings=verify_keys,
    )

    w, e = match.left_pairs, match.right_pairs
    differs = erp_missing[e] | (wms_units[w] != erp_units[e])
    w, e = w[differs], e[differs]

    missing = erp_missing[e]
    changes = pd.DataFrame(
        {
            "article_number": _str(wms_keys[w]),
            "product_id": erp["product_id"].to_numpy(dtype=np.int64)[e],
            "erp_quantity": pd.arrays.IntegerArray(erp_units[e], missing.copy()),
            "wms_quantity": pd.arrays.IntegerArray(wms_units[w], np.zeros(len(w), bool)),
            "delta": pd.arrays.IntegerArray(wms_units[w] - erp_units[e], missing.copy()),
            "erp_changed": _column(erp, "erp_changed", e),
        }
    )
    wms_only = match.left_only
    erp_only = match.right_only
    only_in_wms = pd.DataFrame(
        {
            "article_number": _str(wms_keys[wms_only]),
            "product_code": _column(wms, "product_code", wms_only),
            "wms_quantity": wms["wms_quantity"].array[wms_only],
        }
    )
    only_in_erp = pd.DataFrame(
        {
            "article_number": _str(erp_keys[erp_only]),
            "product_id": erp["product_id"].to_numpy(dtype=np.int64)[erp_only],
            "erp_quantity": erp["erp_quantity"].array[erp_only],
        }
    )
    return StockComparison(
        changes=_sorted(changes),
        only_in_wms=_sorted(only_in_wms),
        only_in_erp=_sorted(only_in_erp),
        duplicates=_duplicates(wms_keys[match.left_repeated], erp_keys[match.right_repeated]),
        invalid=_invalid(wms, erp, wms_keys, erp_keys, wms_bad, erp_bad),
        renamed=_renamed(only_in_wms, only_in_erp),
        compared=len(match.left_pairs),
        basis=wms.attrs.get("basis"),
    )


def _keys(frame: pd.DataFrame) -> np.ndarray:
    """Article numbers as an object array of str, "" where missing."""
    column = frame["article_number"]
    if not isinstance(column.dtype, pd.StringDtype):
        column = column.astype("str")
    keys: np.ndarray = column.to_numpy(dtype=object)
    if "error" not in frame:  # frames.py never leaves a key missing; other frames may
        missing = column.isna().to_numpy()
        if missing.any():
            keys = keys.copy()
            keys[missing] = ""
    return keys


def _unusable(frame: pd.DataFrame, keys: np.ndarray) -> np.ndarray:
    """Rows that cannot take part: an error from the frame builder, or no article number."""
    unusable: np.ndarray
    if "error" in frame:  # frames.py gives every row without an article number an error
        unusable = frame["error"].notna().to_numpy()
    else:
        unusable = keys == ""
    return unusable


def _known_fingerprints(frame: pd.DataFrame, keys: np.ndarray) -> Fingerprints | None:
    """The frame's fingerprint columns, if present and consistent with its keys (spot-checked)."""
    if not all(name in frame for name in FINGERPRINT_COLUMNS) or not len(frame):
        return None
    hashes, checks = (frame[name].to_numpy(dtype=np.uint64) for name in FINGERPRINT_COLUMNS)
    sample = np.unique(np.linspace(0, len(keys) - 1, num=min(len(keys), 64)).astype(np.intp))
    sample_hashes, sample_checks = key_fingerprints(keys[sample])
    if not (
        np.array_equal(sample_hashes, hashes[sample])
        and np.array_equal(sample_checks, checks[sample])
    ):
        return None  # built by another pandas version, or keys edited since: hash again
    return hashes, checks


def _units(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """int64 values (0 where missing) and the missing mask of a quantity column."""
    array = column.array
    if not isinstance(array, pd.arrays.IntegerArray):
        array = pd.array(column, dtype="Int64")
    return array.to_numpy(dtype=np.int64, na_value=0), array.isna()


def _str(values: np.ndarray) -> pd.arrays.StringArray:
    return pd.array(values, dtype="str")


def _column(frame: pd.DataFrame, name: str, rows: np.ndarray) -> Any:
    if name not in frame:
        return pd.array([None] * len(rows), dtype="str")
    return frame[name].array[rows]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    order = np.argsort(frame["article_number"].to_numpy(dtype=object), kind="stable")
    return frame.take(order).reset_index(drop=True)


def _duplicates(wms_keys: np.ndarray, erp_keys: np.ndarray) -> pd.DataFrame:
    wms_counts = pd.Series(wms_keys, dtype="str").value_counts()
    erp_counts = pd.Series(erp_keys, dtype="str").value_counts()
    counts = pd.DataFrame({"wms_count": wms_counts, "erp_count": erp_counts}).fillna(0)
    frame = pd.DataFrame(
        {
            "article_number": pd.array(counts.index.to_numpy(dtype=object), dtype="str"),
            "wms_count": counts["wms_count"].to_numpy(dtype=np.int64),
            "erp_count": counts["erp_count"].to_numpy(dtype=np.int64),
        }
    )
    return _sorted(frame)


def _invalid(
    wms: pd.DataFrame,
    erp: pd.DataFrame,
    wms_keys: np.ndarray,
    erp_keys: np.ndarray,
    wms_bad: np.ndarray,
    erp_bad: np.ndarray,
) -> pd.DataFrame:
    parts = []
    sides = (("wms", wms, wms_keys, wms_bad), ("erp", erp, erp_keys, erp_bad))
    for side, frame, keys, bad in sides:
        rows = np.flatnonzero(bad)
        errors = [
            error or ("no quantity" if key else "no article number")
            for error, key in zip(
                _column(frame, "error", rows).to_numpy(dtype=object, na_value=None), keys[rows]
            )
        ]
        parts.append(
            pd.DataFrame(
                {
                    "article_number": _str(keys[rows]),
                    "side": pd.array([side] * len(rows), dtype="str"),
                    "error": pd.array(errors, dtype="str"),
                }
            )
        )
    return _sorted(pd.concat(parts, ignore_index=True))


def _renamed(only_in_wms: pd.DataFrame, only_in_erp: pd.DataFrame) -> pd.DataFrame:
    with_code = only_in_wms["product_code"].notna()
    wms_side = only_in_wms.loc[with_code, ["article_number", "product_code"]]
    erp_side = pd.DataFrame(
        {
            "product_code": pd.array(only_in_erp["product_id"].astype(str), dtype="str"),
            "product_id": only_in_erp["product_id"],
            "erp_article_number": only_in_erp["article_number"],
        }
    )
    joined = erp_side.merge(
        wms_side.rename(columns={"article_number": "wms_article_number"}), on="product_code"
    )
    frame = joined[["product_id", "erp_article_number", "wms_article_number"]]
    frame = frame.sort_values(["erp_article_number", "wms_article_number"], kind="stable")
    return frame.reset_index(drop=True)
