"""A large GetProducts reply costs its records and its bytes, not a tree of every element (PF7).

A child process (its peak RSS is its own) reads 20,000 products over HTTP as the client does
(measured 2026-12-07): read as a whole document into the records, +87 MB at the peak (the tree alone
is about 58 MB); streamed, +27 MB (the 8 MB reply, its chunks while they are joined, the records).
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Iterator

import pytest

from sync_pipeline_tests.canned_server import Canned, canned_server
from sync_pipeline_tests.erp.test_fast_decode import envelope, product

PRODUCTS = 20_000
LIMIT_MB = 50

CHILD = """
import json, sys
from sync_pipeline.erp.fast_decode import FastReader
from sync_pipeline.erp.models import Product
from sync_pipeline.erp.services import ErpService
from sync_pipeline.soap.client import build_client

def rss(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith(field))

_, proxy = build_client(ErpService.PRODUCT.wsdl, sys.argv[1], timeout=120)
reader = FastReader(proxy, "GetProducts", Product, "Product")
before = rss("VmRSS:")
records = reader(searchParams={"Id": 1}, returnProperties={"string": ["Id"]})
print(json.dumps({"before": before, "peak": rss("VmHWM:"), "records": len(records),
                  "last": [records[-1].No, str(records[-1].Price)]}))
"""


@pytest.fixture
def canned() -> Iterator[Canned]:
    yield from canned_server("/ProductService.asmx")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the child's peak RSS from /proc")
def test_reading_20000_products_costs_their_records_not_a_tree_of_the_reply(canned):
    canned.body = envelope("GetProducts", "".join(
        product(Id=str(n), No=f"SKU-{n}", Name=f"Vare {n} «Æ»", Description="Ull, 100 %" if n % 4 == 0 else None,
                EAN1=f"70{n:011d}", Weight=f"{n % 5000 / 1000}", Price=f"{n * 7 % 10000}.{n % 100:02d}",
                InPrice=f"{n * 3 % 5000}.50", Stock=str(n * 37 % 500), StockControlled="true",
                SupplierId=str(7 + n % 3), DateChanged=f"2026-12-07T10:{n // 60 % 60:02d}:{n % 60:02d}Z")
        for n in range(1, PRODUCTS + 1)))
    done = subprocess.run([sys.executable, "-c", CHILD, canned.url], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["records"] == PRODUCTS and measured["last"] == [f"SKU-{PRODUCTS}", "0.00"]
    grown = measured["peak"] - measured["before"]
    assert grown < LIMIT_MB, f"the read grew the process by {grown:.0f} MB ({len(canned.body) / 2**20:.1f} MB reply)"
