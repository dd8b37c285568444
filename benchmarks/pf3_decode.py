"""PF3 decode: a GetProducts reply of `products` products into typed Product records.

The reply is the sandbox's own, fetched once over HTTP; the three decoders then take turns on the
same bytes, best of five, in CPU seconds (each is single-threaded, so this is its wall time on an
idle machine and stays fair when other work shares the machine):

- the client's path (sync_pipeline.erp.fast_decode): zeep's safe parser, one pass into the models;
- the baseline: lxml parsing the same bytes (same safety settings) into plain dicts of strings;
- for comparison, zeep's own decoding then model_validate (what the client did before).

The fast path's records are checked to equal zeep's path's before anything is timed. A remark adds
the WMS side, measured in the same run: the sandbox's GetInventoryByQuery pages (1,000 lines each)
for as many articles as products, decoded into InventoryLine records by the client's fast path
(sync_pipeline.wms.fast_inventory) and by zeep's decoding (what the client did before), CPU seconds.
"""

from __future__ import annotations

import random
import time
from typing import Any

import zeep
from lxml import etree
from zeep.loader import parse_xml

from benchmarks.common import BIG_REPLY_TIMEOUT, best_of, line, sandboxes, seed_products, seed_wms_articles
from sync_pipeline.erp import PRODUCT_RETURN_PROPERTIES, ErpService
from sync_pipeline.erp.client import FAR_PAST
from sync_pipeline.erp.fast_decode import ReplyDecoder
from sync_pipeline.erp.models import Product
from sync_pipeline.soap.client import build_client
from sync_pipeline.soap.values import string_array
from sync_pipeline.wms import WmsClient
from sync_pipeline.wms.client import WSDL_PATH
from sync_pipeline.wms.fast_inventory import InventoryReplies

PRODUCT_TAG = "{http://24sevenOffice.com/webservices}Product"
INVENTORY_LINE_TAG = "{http://ongoingsystems.se/WSI}InventoryLine"


def fetch_reply(products: int) -> bytes:
    """The sandbox's GetProducts reply with every product, as bytes."""
    with sandboxes() as stack:
        seed_products(stack, range(1, products + 1), random.Random(3))
        erp = stack.erp_client()
        erp.session.login()
        client, proxy = build_client(ErpService.PRODUCT.wsdl, stack.settings.erp_connection().url(ErpService.PRODUCT),
                                     timeout=900, session=erp.session.http)
        with client.settings(raw_response=True):
            reply = proxy.GetProducts(searchParams={"DateChanged": FAR_PAST},
                                      returnProperties=string_array(PRODUCT_RETURN_PROPERTIES))
        reply.raise_for_status()
        erp.close()
        return reply.content


class InventoryPages(zeep.Plugin):
    """Keeps the GetInventoryByQuery reply envelopes a client receives, as bytes (not the empty last one)."""

    def __init__(self) -> None:
        self.pages: list[bytes] = []

    def ingress(self, envelope: etree._Element, http_headers: dict, operation: Any):
        if operation.name == "GetInventoryByQuery" and envelope.find(f".//{INVENTORY_LINE_TAG}") is not None:
            self.pages.append(etree.tostring(envelope))
        return envelope, http_headers


def fetch_inventory_pages(articles: int) -> list[bytes]:
    """The sandbox's GetInventoryByQuery pages (1,000 lines each) for `articles` articles with stock."""
    with sandboxes() as stack:
        seed_wms_articles(stack, range(1, articles + 1))
        pages = InventoryPages()
        client = WmsClient(stack.settings.wms_connection(timeout=BIG_REPLY_TIMEOUT, page_size=1000), plugins=[pages])
        assert sum(1 for _ in client.inventory()) == articles
        return pages.pages


def inventory_remark(articles: int) -> str:
    """The WMS inventory's decode by the fast path and by zeep (what the client did before), CPU seconds."""
    pages = fetch_inventory_pages(articles)
    client, proxy = build_client(WSDL_PATH, "http://127.0.0.1:9/unused", timeout=5)
    replies = InventoryReplies(client, proxy._binding)

    def decode(way: Any) -> list:
        return [record for page in pages for record in way(parse_xml(page, client.transport, settings=client.settings))]

    def by_zeep(document: Any) -> list:
        return replies.by_zeep_values(replies.zeep_values(document))

    fast = decode(replies.fast_records)  # raises Unusual if a page would go to zeep
    assert fast == decode(by_zeep), "the fast path must give zeep's records"
    assert len({record.ArticleSystemId for record in fast}) == articles  # pages overlap by one: "from" is inclusive
    (fast_seconds,) = best_of(3, lambda: decode(replies.fast_records), clock=time.process_time)
    (zeep_seconds,) = best_of(1, lambda: decode(by_zeep), clock=time.process_time)
    return (f"WMS inventory of {articles:,} articles ({len(fast):,} lines in {len(pages)} pages): fast "
            f"{fast_seconds:.2f} s vs zeep {zeep_seconds:.2f} s = {zeep_seconds / fast_seconds:.1f} x faster "
            "(CPU, best of 3; zeep: 1 run)")


def plain_dicts(content: bytes) -> list[dict[str, str | None]]:
    """The baseline: parse with lxml (no DTD, no entities, no network) into dicts of element texts."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
    root = etree.fromstring(content, parser)
    return [{child.tag.rpartition("}")[2]: child.text for child in product} for product in root.iter(PRODUCT_TAG)]


def run(products: int) -> str:
    content = fetch_reply(products)
    client, proxy = build_client(ErpService.PRODUCT.wsdl, "http://127.0.0.1:9/unused", timeout=5)
    decoder = ReplyDecoder(client, proxy._binding, "GetProducts", Product, "Product")

    def fast() -> list[Product]:
        return decoder.fast_records(parse_xml(content, client.transport, settings=client.settings))

    def by_zeep() -> list[Product]:
        return decoder.by_zeep_values(decoder.zeep_values(parse_xml(content, client.transport, settings=client.settings)))

    records = fast()
    assert len(records) == products and records == by_zeep(), "the fast path must give zeep's records"
    assert len(plain_dicts(content)) == products

    fast_seconds, baseline_seconds = best_of(5, fast, lambda: plain_dicts(content), clock=time.process_time)
    (zeep_seconds,) = best_of(1, by_zeep, clock=time.process_time)
    ratio = fast_seconds / baseline_seconds
    wms = inventory_remark(products)
    return line("PF3", f"decode of a {products:,}-product GetProducts reply ({len(content) / 1e6:.1f} MB)",
                f"typed records {fast_seconds:.3f} s", f"lxml into plain dicts {baseline_seconds:.3f} s", ratio,
                "<= 2.00 x", ratio <= 2.0,
                f"zeep's own decoding + validation {zeep_seconds:.3f} s = {zeep_seconds / baseline_seconds:.1f} x; "
                f"CPU seconds, best of 5 (zeep: 1 run); {wms}")
