"""compare() agrees with a plain dict-based reference on 200,000 random articles."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest

from sync_pipeline.stock.diff import compare
from sync_pipeline.stock.frames import erp_frame, wms_frame
from sync_pipeline.stock.quantity import from_units
from sync_pipeline.stock.writes import planned_writes

ARTICLES = 200_000


def random_key(rng: random.Random, index: int) -> str:
    style = index % 5
    if style == 0:
        return f"{index:08d}"  # numeric-looking with leading zeros
    if style == 1:
        return str(index - 1)  # the previous key without its leading zeros: another article
    if style == 2:
        return f"Å-{index}-ü"
    return f"SKU-{index}-{rng.choice('ABCDEFGH')}"


def random_quantity(rng: random.Random) -> Decimal:
    # 0 to 3 decimals, written with a random number of trailing zeros
    value = Decimal(rng.randrange(-500, 100_000)) / Decimal(10) ** rng.randrange(0, 4)
    return value.quantize(Decimal(1).scaleb(-rng.randrange(3, 6)))


def build(seed: int):
    rng = random.Random(seed)
    keys = [random_key(rng, index) for index in range(ARTICLES)]
    lines, products = [], []
    for product_id, key in enumerate(keys, start=1):
        quantity = random_quantity(rng)
        roll = rng.random()
        if roll < 0.005:  # only in the WMS
            lines.append({"ArticleNumber": key, "NumberOfItems": quantity})
            continue
        if roll < 0.010:  # only in the ERP
            products.append({"Id": product_id, "No": key, "Stock": quantity})
            continue
        lines.append({"ArticleNumber": key, "NumberOfItems": quantity})
        if roll < 0.020:  # changed
            stock = quantity + Decimal(rng.choice([-1, 1])) * Decimal("0.001") * rng.randrange(1, 9)
        elif roll < 0.021:  # ERP has no stock figure
            stock = None
        else:  # same value, often written differently
            stock = quantity.normalize() if rng.random() < 0.5 else quantity
        products.append({"Id": product_id, "No": key, "Stock": stock})
        if roll > 0.9995:  # a duplicate line on one side or the other
            target = lines if rng.random() < 0.5 else products
            target.append(dict(target[-1]))
    rng.shuffle(products)
    return lines, products


def reference(lines, products):
    wms_count = Counter(row["ArticleNumber"] for row in lines)
    erp_count = Counter(row["No"] for row in products)
    repeated = {key for key, n in wms_count.items() if n > 1}
    repeated |= {key for key, n in erp_count.items() if n > 1}
    wms = {row["ArticleNumber"]: row["NumberOfItems"] for row in lines}
    erp = {row["No"]: row for row in products}
    wms = {key: value for key, value in wms.items() if key not in repeated}
    erp = {key: value for key, value in erp.items() if key not in repeated}
    changes = sorted(
        (key, erp[key]["Id"], erp[key]["Stock"], wms[key])
        for key in wms.keys() & erp.keys()
        if erp[key]["Stock"] is None or erp[key]["Stock"] != wms[key]
    )
    return {
        "changes": changes,
        "only_in_wms": sorted(wms.keys() - erp.keys()),
        "only_in_erp": sorted(erp.keys() - wms.keys()),
        "duplicates": sorted(repeated),
        "compared": len(wms.keys() & erp.keys()),
    }


@pytest.mark.parametrize("seed", [11])
def test_compare_agrees_with_a_dict_based_reference(seed):
    lines, products = build(seed)
    expected = reference(lines, products)
    result = compare(wms_frame(lines, "physical"), erp_frame(products))

    got_changes = [
        (w.article_number, w.product_id, w.expected_erp_quantity, w.quantity)
        for w in planned_writes(result)
    ]
    assert got_changes == expected["changes"]  # Decimal == compares values: 1.0 == 1.000
    assert result.changes["article_number"].tolist() == [row[0] for row in expected["changes"]]
    assert result.only_in_wms["article_number"].tolist() == expected["only_in_wms"]
    assert result.only_in_erp["article_number"].tolist() == expected["only_in_erp"]
    assert result.duplicates["article_number"].tolist() == expected["duplicates"]
    assert result.compared == expected["compared"]
    assert result.unchanged == expected["compared"] - len(expected["changes"])
    # the data really exercises every branch, with about 1% changes
    assert 0.008 < len(expected["changes"]) / ARTICLES < 0.015
    assert expected["duplicates"] and expected["only_in_wms"] and expected["only_in_erp"]
    assert any(stock is None for _, _, stock, _ in expected["changes"])
    assert result.invalid.empty
    # quantities survive the trip through integer units exactly
    first = result.changes.iloc[0]
    assert from_units(first["wms_quantity"]) == expected["changes"][0][3]
