"""Article writes go back to back, as orders do: the first leave after a small first batch is read, the
warehouse's articles of later batches are read while writes are on the wire, and a write that failed
for a reason worth repeating is repeated while the others go on: every article arrives once."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from sync_pipeline.erp import ErpClient
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.sync.articles import FIRST_BATCH, sync_articles
from sync_pipeline.wms import WmsClient, WmsConnection
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_articles


def products(count: int) -> list[dict]:
    return [{"Id": i, "No": f"B2B-{i:04d}", "Name": f"Vare {i}"} for i in range(1, count + 1)]


def test_the_first_writes_leave_before_the_later_articles_are_read(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                                   wms_admin: Admin) -> None:
    erp_admin.post("products", products(FIRST_BATCH + 70))
    wms_admin.post("calls/reset")

    report = sync_articles(erp, wms, None)

    assert (report.created, report.failures) == (FIRST_BATCH + 70, [])
    operations = [entry["operation"] for entry in wms_admin.get("calls")["log"]]
    reads = [i for i, operation in enumerate(operations) if operation == "GetInventoryByQuery"]
    assert len(reads) == 2, "the warehouse's articles are read batch by batch"
    assert operations.index("ProcessArticle") < reads[1], "writing began before the second batch was read"
    assert len(wms_articles(wms_admin)) == FIRST_BATCH + 70


@pytest.mark.parametrize("fault", [{"error_rate": 0.2}, {"drop_rate": 0.2}])
def test_failed_article_writes_are_repeated_and_every_article_arrives_once(
        erp: ErpClient, wms_server: SandboxServer, erp_admin: Admin, wms_admin: Admin, fault: dict) -> None:
    patient = WmsClient(WmsConnection(base_url=wms_server.url + "/sandbox", goods_owner_code="DEMO", username="demo",
                                      password=SecretStr("demo-password"), timeout=10.0,
                                      retry=RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05,
                                                        max_quarantine_wait=1.0)))
    erp_admin.post("products", products(40))
    wms_admin.post("faults", {"seed": 3, **fault})

    report = sync_articles(erp, patient, None)

    log = wms_admin.get("calls")["log"]
    wms_admin.post("faults", {})
    assert any(e["operation"] == "ProcessArticle" and e["outcome"].startswith("injected") for e in log), \
        "no write failed: the test proved nothing"
    assert (report.created, report.failures) == (40, [])
    assert sorted(wms_articles(wms_admin)) == [f"B2B-{i:04d}" for i in range(1, 41)]
