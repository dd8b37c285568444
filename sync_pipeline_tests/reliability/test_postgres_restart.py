"""PostgreSQL restarted in the middle of a run: the run fails cleanly and the next one recovers.

The ledger lives on a PostgreSQL server of this test's own (private_postgres.py: restarting the
machine's cluster would break the tests running alongside). The Dagster job sync_all runs with the
ledger resource pointing at it (SYNC_LEDGER_URL), the demo data plus a few hundred confirmed
orders in the ERP. The restarts come while the WMS takes an order, between two ledger calls:

1. `pg_ctl restart -m fast` (about half a second): the pool's liveness check reconnects on the
   next ledger call, and the run carries on and succeeds;
2. `pg_ctl stop -m fast`, started again 7 s later: the run's next ledger call fails. The run fails
   with one clear error (LedgerUnavailable, naming the database without its password and the
   driver's reason, not a statement), the steps after it do not run, the run's claims are released
   once the server is back, and the ledger holds nothing half-recorded: each order is either sent
   (the WMS confirmed it and the ledger recorded it) or pending with no payload hash (the WMS may
   have it; the next run sends it again, as CreateOrUpdate). The next run completes, and the
   invariants hold (invariants.py): every order in the WMS created once, stock equal, nothing failing.

Figures: test-artifacts/reliability/postgres_restart.json.
"""

from __future__ import annotations

import random
import threading
import time

import pytest

from sync_pipeline.ledger import Kind, Ledger, State
from sync_pipeline.ledger.engine import RECONNECT_PATIENCE_SECONDS
from sync_pipeline.ledger.keeper import RELEASE_PATIENCE_SECONDS
from sync_pipeline_tests.dagster.conftest import run_job
from sync_pipeline_tests.reliability.figures import publish
from sync_pipeline_tests.reliability.hooks import AfterWrites
from sync_pipeline_tests.reliability.invariants import check
from sync_pipeline_tests.reliability.private_postgres import PrivatePostgres, started_or_failed
from sync_pipeline_tests.reliability.sandboxes import Sandboxes, order_record, seed_orders

DEMO_PRODUCTS = 24
# Long enough that the run's next ledger call gives up (it waits RECONNECT_PATIENCE_SECONDS), short enough
# that the server is back while the failed run still tries to release its claims (RELEASE_PATIENCE_SECONDS
# after that): halfway, so that a loaded machine's delays on either side fit in seconds of margin.
OUTAGE_SECONDS = RECONNECT_PATIENCE_SECONDS + RELEASE_PATIENCE_SECONDS / 2


@pytest.fixture
def server():
    with started_or_failed("the restart test") as found:
        yield found


def test_a_run_fails_cleanly_when_postgresql_goes_away_and_the_next_one_recovers(
        server: PrivatePostgres, stack, instance, monkeypatch, request) -> None:
    monkeypatch.setenv("SYNC_LEDGER_URL", server.url)
    sandboxes = Sandboxes(stack.erp.system, stack.wms.system, stack.erp, stack.wms)
    rng = random.Random(3)
    seed_orders(sandboxes, [order_record(1000 + n, DEMO_PRODUCTS, rng) for n in range(150)])
    during = AfterWrites([stack.wms.system], ["ProcessOrder"])
    started = time.monotonic()

    during.arm(40, lambda _operation: server.restart())
    restarted_run = run_job("sync_all", instance)
    assert during.fired.is_set(), "the restart never came"
    assert restarted_run.success, _failures(restarted_run)

    seed_orders(sandboxes, [order_record(2000 + n, DEMO_PRODUCTS, rng) for n in range(150)])
    back = threading.Event()

    def outage(_operation: str) -> None:
        server.stop()
        threading.Timer(OUTAGE_SECONDS, lambda: (server.start(), back.set())).start()

    during.arm(30, outage)
    failed_run = run_job("sync_all", instance)
    assert back.wait(120), "the server did not come back"  # generous: it ends when the server is back
    failures = _failures(failed_run)
    assert not failed_run.success and list(failures) == ["wms_orders"], failures
    message = failures["wms_orders"]
    assert "LedgerUnavailable" in message and f"127.0.0.1:{server.port}" in message, message
    assert "[SQL:" not in message and "parameters" not in message, message
    succeeded = {event.step_key for event in failed_run.get_step_success_events()}
    assert succeeded == {"wms_articles"}, f"steps after the failed one ran: {succeeded}"

    with Ledger(server.url) as ledger:
        wms_orders = {o["GoodsOwnerOrderNumber"] for o in stack.wms_admin.get("state")["orders"]}
        entries = ledger.entries(Kind.ORDER, [str(1000 + n) for n in range(150)] + [str(2000 + n) for n in range(150)])
        assert ledger.claim_holders() == {}, "the failed run released its claims once the server was back"
        half = [key for key, entry in entries.items()
                if not (entry.state is State.SENT and entry.payload_hash and key in wms_orders)
                and not (entry.state is State.PENDING and entry.payload_hash is None and not entry.failing)]
        assert half == [], f"half-recorded: {[(k, entries[k]) for k in half[:5]]}"
        pending = [key for key, entry in entries.items() if entry.state is State.PENDING]
        written_not_recorded = [key for key in pending if key in wms_orders]

        recovery_run = run_job("sync_all", instance)
        assert recovery_run.success, _failures(recovery_run)
        findings = check(sandboxes, ledger)
    figures = {
        "orders": findings.figures["orders"], "lost": findings.figures["lost"],
        "duplicated": findings.figures["duplicated"], "stock_differences": findings.figures["stock_differences"],
        "restart_during_run": "run carried on and succeeded",
        "outage_during_run": {"seconds": OUTAGE_SECONDS, "run": "failed", "failed_step": "wms_orders",
                              "error": next(line for line in message.splitlines() if "LedgerUnavailable" in line),
                              "orders_recorded_sent": sum(e.state is State.SENT for e in entries.values()),
                              "orders_written_but_not_recorded": len(written_not_recorded),
                              "orders_not_written_yet": len(pending) - len(written_not_recorded)},
        "next_run": "succeeded", "seconds": round(time.monotonic() - started, 1), "problems": findings.problems[:50],
    }
    publish("postgres_restart", figures, request.node)
    assert not findings.problems, findings.summary()


def _failures(result) -> dict[str, str]:
    return {event.step_key: event.event_specific_data.error.to_string() for event in result.get_step_failure_events()}
