"""A write whose reply never came: done or not, a retry must not do it a second time.

The sandboxes inject a timeout or a garbled reply after the work was done, a 5xx fault or a dropped
connection before it (README, faults). The client cannot tell which. Orders are safe by
construction (CreateOrUpdate under the order number); the ERP status is written with SaveInvoices,
so the client reads the order before sending it again (ErpClient._save_invoice). Each case here
makes exactly the first SaveInvoices fail one way and checks the status was applied exactly once.
Stock writes are absolute and compared in full every cycle; one that landed but was recorded as
failed must not stay "failing" in the ledger.

The faults come from the sandbox's own injector: `seed_for` finds the seed under which it draws
exactly the wanted sequence for the calls that follow.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from sync_pipeline.ledger import Kind, Ledger, sqlite_url
from sync_pipeline.sandbox.faults import DROP, ERROR, MALFORMED, TIMEOUT, FaultConfig, FaultInjector
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline_tests.reliability.pipeline import Pipeline
from sync_pipeline_tests.reliability.sandboxes import APPLIED, Sandboxes, order_record, seed_catalogue, seed_orders

RATE = 0.5


def seed_for(kind: str, draws: list[str | None]) -> int:
    """A fault seed under which the next calls get exactly `draws` (the sandbox's own injector decides)."""
    for seed in range(100_000):
        injector = FaultInjector()
        injector.configure(FaultConfig(seed=seed, **{f"{kind}_rate": RATE}))
        if [injector.draw() for _ in draws] == draws:
            return seed
    raise AssertionError(f"no seed gives {draws}")


@pytest.mark.parametrize("kind", [TIMEOUT, MALFORMED, DROP, ERROR])
def test_a_status_whose_reply_was_lost_is_set_exactly_once(kind: str) -> None:
    sandboxes = Sandboxes.start()
    try:
        seed_catalogue(sandboxes, 3, random.Random(1))
        seed_orders(sandboxes, [order_record(7, 3, random.Random(2))])
        erp, _wms = sandboxes.clients()
        erp.session.login()
        sandboxes.faults(seed=seed_for(kind, [kind, None, None, None]), timeout_hold_seconds=0.05,
                         **{f"{kind}_rate": RATE})
        assert erp.set_order_status(7, "OrderState_Sent") is None
        sandboxes.faults()
        log = [(e["operation"], e["outcome"]) for e in sandboxes.calls("erp") if e["operation"] != "Login"]
        applied = Counter(operation for operation, outcome in log if outcome in APPLIED)
        assert applied["SaveInvoices"] == 1, log
        assert sandboxes.erp.orders.get(7)["OrderStatus"] == "OrderState_Sent"
        assert log[0][1].startswith(f"injected: {kind}") and log[1] == ("GetInvoices", "ok"), log
        erp.close()
    finally:
        sandboxes.stop()


def test_a_stock_write_that_landed_but_failed_is_settled_once_the_balances_agree(tmp_path: Path) -> None:
    """Stock is compared in full every cycle, so a write recorded as failed is not retried by itself:
    when the next comparison finds the balances equal (the write landed, its reply was lost), the
    ledger's failure is cleared instead of staying "failing" for operators to chase."""
    sandboxes = Sandboxes.start()
    ledger = Ledger(sqlite_url(tmp_path / "ledger.sqlite"))
    try:
        seed_catalogue(sandboxes, 1, random.Random(1))
        sandboxes.erp.products.upsert([{"Id": 1, "Stock": "5"}])
        sandboxes.wms.inventory.set_physical("SKU-00001", 9)
        erp, wms = sandboxes.clients(retry=RetryPolicy(attempts=1))  # no client retry: the ledger records it
        pipeline = Pipeline(ledger, erp, wms)
        pipeline.step("articles", "run-0")  # the WMS shows stock of articles it has
        # The ERP sees GetProducts, GetProducts again (the lost-update guard), then SetStockQuantity:
        # the first two go through, the write times out after its work was done.
        sandboxes.admin("erp", "POST", "faults", {"seed": seed_for(TIMEOUT, [None, None, TIMEOUT]),
                                                  "timeout_hold_seconds": 0.05, "timeout_rate": RATE})
        first = pipeline.step("stock", "run-1")
        assert first.failed == 1
        sandboxes.faults()
        assert ledger.failing(Kind.STOCK) == ["1"]
        report = pipeline.step("stock", "run-2")
        assert (report.updated, report.failed, report.details["earlier_failures_settled"]) == (0, 0, ["1"])
        assert ledger.failing(Kind.STOCK) == [] and ledger.get(Kind.STOCK, "1").state == "written"
        saves = [e["outcome"] for e in sandboxes.calls("erp") if e["operation"] == "SetStockQuantity"]
        assert saves == ["injected: timeout (after ok)"]
    finally:
        ledger.close()
        sandboxes.stop()
