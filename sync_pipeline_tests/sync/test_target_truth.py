"""The target decides what is written; the ledger remembers (sync/gate.py, wms/held.py), over real HTTP."""

from __future__ import annotations

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.registry import process_named
from sync_pipeline.processes.selection import ByKeys, Everything
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.test_options import PRODUCTS

ARTICLES = process_named("articles")


def article_writes(wms_admin: Admin) -> list[str]:
    return [call["key"] for call in wms_admin.get("calls")["log"] if call["operation"] == "ProcessArticle"]


def test_an_article_whose_reply_was_lost_is_written_again_and_then_remembered(
        tmp_path, erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    erp_admin.post("products", PRODUCTS)
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as ledger:
        first = runner.run(ARTICLES, Everything(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig())
        assert first.report.failed == 0 and first.report.created == len(PRODUCTS)
        # The warehouse took product 1's article, but the reply was lost: the ledger has it failing.
        key = str(PRODUCTS[0]["Id"])
        ledger.record_failure(Kind.ARTICLE, key, RecordError(key=key, message="timed out", retryable=True),
                              retryable=True)
        wms_admin.post("calls/reset")

        again = runner.run(ARTICLES, ByKeys((key,)), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig(),
                           operator=True)

        assert article_writes(wms_admin) == [PRODUCTS[0]["No"]], "written again: its success clears the failure"
        assert again.report.failed == 0 and not ledger.entries(Kind.ARTICLE, [key])[key].failing
        wms_admin.post("calls/reset")
        last = runner.run(ARTICLES, Everything(), erp=erp, wms=wms, ledger=ledger, config=ProcessConfig())
        assert article_writes(wms_admin) == [] and last.report.unchanged == len(PRODUCTS)
