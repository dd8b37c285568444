"""An initial load reads the catalogue a page at a time (ErpClient.product_pages): its first articles are
written before the rest is read, and what changes in the ERP while the pages are read is not lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, Iterator

from sync_pipeline.erp import ErpClient
from sync_pipeline.erp.client import MAX_IDS_PER_CALL
from sync_pipeline.erp.models import Product, ProductPages
from sync_pipeline.processes.forwarding import ForwardingErp
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_articles


def products(count: int) -> list[dict]:
    return [{"Id": i, "No": f"PG-{i:05d}", "Name": f"Vare {i}"} for i in range(1, count + 1)]


def test_the_first_articles_are_written_before_the_catalogue_is_read_whole(erp: ErpClient, wms: WmsClient,
                                                                            erp_admin: Admin, wms_admin: Admin) -> None:
    count = 2 * MAX_IDS_PER_CALL + 100
    erp_admin.post("products", products(count))
    erp_admin.post("calls/reset")
    wms_admin.post("calls/reset")

    report = sync_articles(erp, wms, None)

    assert (report.created, report.failures) == (count, [])
    assert len(wms_articles(wms_admin)) == count
    reads = [datetime.fromisoformat(entry["time"]) for entry in erp_admin.get("calls")["log"]
             if entry["operation"] == "GetProducts"]
    assert len(reads) == 1 + 3, "a listing, then three pages by id"
    first_write = next(datetime.fromisoformat(entry["time"]) for entry in wms_admin.get("calls")["log"]
                       if entry["operation"] == "ProcessArticle")
    assert first_write < reads[-1], "the first article was written before the last page was read"


class ChangedWhileRead(ForwardingErp):
    """24SevenOffice in which `meanwhile(listed_up_to)` happens after the first page of the catalogue is read."""

    def __init__(self, erp: ErpClient, meanwhile: Callable[[datetime], None]):
        super().__init__(erp)
        self._meanwhile = meanwhile

    def product_pages(self, since: datetime | None) -> ProductPages:
        read = self._erp.product_pages(since)

        def pages() -> Iterator[list[Product]]:
            for number, page in enumerate(read.pages):
                yield page
                if number == 0 and read.listed_up_to is not None:
                    self._meanwhile(read.listed_up_to)

        return ProductPages(pages(), read.listed_up_to)


def test_a_product_added_while_the_pages_are_read_is_written_by_the_next_run(erp: ErpClient, wms: WmsClient,
                                                                             erp_admin: Admin, wms_admin: Admin) -> None:
    count = MAX_IDS_PER_CALL + 50
    erp_admin.post("products", products(count))
    later = MAX_IDS_PER_CALL + 10  # on the second page

    def meanwhile(listed_up_to: datetime) -> None:
        # A product added after the listing, and one of the second page changed after that: the run
        # writes the change but cannot see the new product; the next run's delta must.
        erp_admin.post("products", [{"Id": 90_001, "No": "PG-NEW", "Name": "Ny vare"},
                                    {"Id": later, "Name": "Endret vare"}])
        erp_admin.post("products/date_changed", [
            {"Id": 90_001, "DateChanged": (listed_up_to + timedelta(seconds=5)).isoformat()},
            {"Id": later, "DateChanged": (listed_up_to + timedelta(seconds=30)).isoformat()}])

    first = sync_articles(ChangedWhileRead(erp, meanwhile), wms, None)

    assert (first.created, first.failures) == (count, [])
    assert wms_articles(wms_admin)[f"PG-{later:05d}"]["ArticleName"] == "Endret vare"
    assert "PG-NEW" not in wms_articles(wms_admin)

    second = sync_articles(erp, wms, first.cursor)

    assert (second.created, second.updated, second.failures) == (1, 0, []), "the new product, and nothing again"
    assert wms_articles(wms_admin)["PG-NEW"]["ArticleName"] == "Ny vare"
