"""PF2: how fast compare() diffs 1,000,000 articles, against a polars full join of the same frames.

Run: .venv/bin/python benchmarks/stock_diff.py [--articles N] [--hash-only] [--rehash]
Prints one line; each side is timed 3 times (taking turns) and the best run counts. Building the
frames is not timed: wms_frame()/erp_frame() also compute the key fingerprints compare() uses
(--rehash drops them, so compare() hashes every key itself). polars is only needed here (a test
extra); the pipeline itself uses pandas.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python benchmarks/stock_diff.py` from anywhere

from benchmarks.common import best_of  # noqa: E402
from sync_pipeline.stock.diff import compare  # noqa: E402
from sync_pipeline.stock.frames import FINGERPRINT_COLUMNS, erp_frame, wms_frame  # noqa: E402


def build_records(articles: int, seed: int = 2) -> tuple[list[dict], list[dict]]:
    """WMS lines and ERP products for the same articles; 1% of ERP quantities differ.

    Each side gets its own string objects, created in that side's order (as parsing each SOAP
    reply would), and the ERP lists the products in a different order than the WMS.
    """
    rng = random.Random(seed)
    numbers = rng.sample(range(10_000_000), articles)
    stock = [rng.randrange(0, 100_000) for _ in range(articles)]
    lines = [
        {
            "ArticleNumber": f"SKU-{numbers[index]:07d}",
            "ProductCode": str(index + 1),
            "NumberOfItems": Decimal(stock[index]) / 100,
        }
        for index in range(articles)
    ]
    differing = set(rng.sample(range(articles), articles // 100))
    erp_order = list(range(articles))
    rng.shuffle(erp_order)
    changed_at = datetime(2024, 1, 1, tzinfo=timezone.utc)
    products = [
        {
            "Id": index + 1,
            "No": f"SKU-{numbers[index]:07d}",
            "Stock": Decimal(stock[index] + (100 if index in differing else 0)) / 100,
            "DateChanged": changed_at + timedelta(seconds=index),
        }
        for index in erp_order
    ]
    return lines, products


def measure(articles: int, *, hash_only: bool = False, rehash: bool = False) -> tuple[float, float]:
    """Best seconds of compare() and of the polars full join on the same `articles`-row frames."""
    lines, products = build_records(articles)
    wms = wms_frame(lines, "physical")
    erp = erp_frame(products)
    del lines, products
    if rehash:
        wms = wms.drop(columns=list(FINGERPRINT_COLUMNS))
        erp = erp.drop(columns=list(FINGERPRINT_COLUMNS))

    # polars gets the very same columns (quantities as the same int64 units).
    wms_pl = pl.DataFrame(
        {
            "article_number": wms["article_number"].to_numpy(dtype=object).tolist(),
            "wms_quantity": wms["wms_quantity"].to_numpy(dtype=np.int64),
        }
    )
    erp_pl = pl.DataFrame(
        {
            "article_number": erp["article_number"].to_numpy(dtype=object).tolist(),
            "product_id": erp["product_id"].to_numpy(dtype=np.int64),
            "erp_quantity": erp["erp_quantity"].to_numpy(dtype=np.int64),
        }
    )

    def pandas_diff() -> None:
        compare(wms, erp, verify_keys=not hash_only)

    def polars_join() -> None:
        wms_pl.join(erp_pl, on="article_number", how="full")

    comparison = compare(wms, erp, verify_keys=not hash_only)
    assert comparison.changed == articles // 100, comparison.counts
    assert comparison.compared == articles, comparison.counts

    pandas_seconds, polars_seconds = best_of(3, pandas_diff, polars_join)
    return pandas_seconds, polars_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument(
        "--hash-only", action="store_true",
        help="compare(verify_keys=False): match keys by fingerprint only, skipping the exact string check",
    )
    parser.add_argument(
        "--rehash",
        action="store_true",
        help="drop the frames' key fingerprints, so compare() hashes every key itself",
    )
    args = parser.parse_args()

    pandas_seconds, polars_seconds = measure(args.articles, hash_only=args.hash_only, rehash=args.rehash)
    ratio = pandas_seconds / polars_seconds
    print(
        f"PF2 stock diff: pandas {pandas_seconds:.3f} s, polars full join {polars_seconds:.3f} s, "
        f"ratio {ratio:.2f} (target <= 2.0)"
    )


if __name__ == "__main__":
    main()
