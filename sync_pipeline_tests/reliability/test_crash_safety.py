"""Crash safety: runs killed with SIGKILL at random points, many times; then the schedule runs.

Each run is a process of its own (crash_worker.live: the pipeline's cycle over and over, as
scheduled runs follow each other) with the sandboxes in this process and the ledger in a SQLite
file. Half the kills come at a random moment (starting up, reading, mapping, inside a ledger
transaction...), half at the worst one: right after a sandbox did a write (an order created, a
status set, a stock written) and before the run got the reply, so the run dies not knowing that
its write happened. Between kills the ERP gets new orders and the warehouse ships some.

Then the schedule runs cycles without kills until one finds nothing to do. Killed runs never
released their claims: the claims expire (a run's heartbeat renews them, ledger/keeper.py; a dead
run stops renewing), so the schedule takes the records over. Afterwards the same invariants as
in the fault soak hold (invariants.py): every order in the WMS once, every shipped one Sent once,
stock equal, nothing lost.

Scale: CRASH_KILLS (default 20), CRASH_SEED. Figures: test-artifacts/reliability/crash.json.
"""

from __future__ import annotations

import os
import random
import signal
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import dagster as dg

from sync_pipeline.ledger import BackoffPolicy, Kind, Ledger, sqlite_url
from sync_pipeline.sandbox.erp.products import Products
from sync_pipeline.sandbox.erp.records import from_json
from sync_pipeline_tests.reliability.crash_worker import WorkerConfig, forkserver, live
from sync_pipeline_tests.reliability.figures import publish
from sync_pipeline_tests.reliability.hooks import AfterWrites
from sync_pipeline_tests.reliability.invariants import check
from sync_pipeline_tests.reliability.pipeline import Pipeline, backing_off, quiet
from sync_pipeline_tests.reliability.sandboxes import (Sandboxes, article_number, order_record, seed_catalogue,
                                                       seed_orders)

KILLS = int(os.environ.get("CRASH_KILLS", "20"))
SEED = int(os.environ.get("CRASH_SEED", "7"))
PRODUCTS = 30
FIRST_ORDERS = 150
NEW_ORDERS_EVERY = 4  # kills
# The writes a run is killed right after; before each such kill the ERP or the warehouse makes one due.
WRITES = ("ProcessOrder", "SaveInvoices", "SetStockQuantity", "ProcessArticle")
CLAIM_TTL = timedelta(seconds=2)  # production: 5 minutes; the heartbeat renews it every third
QUICK_BACKOFF = BackoffPolicy(base=timedelta(milliseconds=20), cap=timedelta(milliseconds=200), max_attempts=25)
MAX_SCHEDULED_CYCLES = 20
# How long a run may take to start and reach the armed write: it ends with the write, so it can be generous
# for a loaded machine; it runs out only when the run finds nothing left to write.
WRITE_WAIT_SECONDS = 30.0


def test_runs_killed_at_random_points_lose_and_double_nothing(tmp_path: Path, request) -> None:
    rng = random.Random(SEED)
    sandboxes = Sandboxes.start()
    url = sqlite_url(tmp_path / "ledger.sqlite")
    ledger = Ledger(url, backoff=QUICK_BACKOFF)
    after_writes = AfterWrites([sandboxes.erp, sandboxes.wms])
    config = WorkerConfig(url, sandboxes.erp_connection(), sandboxes.wms_connection(), CLAIM_TTL, QUICK_BACKOFF)
    context = forkserver()
    kills: Counter[str] = Counter()
    left_claims = 0  # kills after which the dead run still held claims
    started = time.monotonic()
    try:
        seed_catalogue(sandboxes, PRODUCTS, rng)
        next_id = 200_001
        seed_orders(sandboxes, [order_record(next_id + n, PRODUCTS, rng) for n in range(FIRST_ORDERS)])
        next_id += FIRST_ORDERS
        for kill in range(KILLS):
            run = context.Process(target=live, args=(config,), daemon=True)
            run.start()
            if kill % 2:
                operation = WRITES[(kill // 2) % len(WRITES)]
                next_id = _work_for(operation, sandboxes, rng, next_id)
                after_writes.arm(rng.randrange(1, 5), lambda _op, pid=run.pid: _kill(pid), operation)
                if not after_writes.fired.wait(timeout=WRITE_WAIT_SECONDS):  # nothing left to write: kill it anyway
                    after_writes.disarm()
                    _kill(run.pid)
                    kills["while idle"] += 1
                else:
                    kills[f"after a {after_writes.fired_at}"] += 1
            else:
                time.sleep(rng.uniform(0.05, 1.2))
                _kill(run.pid)
                kills["at a random moment"] += 1
            run.join()
            assert run.exitcode == -signal.SIGKILL, f"a run ended by itself (exit code {run.exitcode})"
            left_claims += bool(ledger.claim_holders())
            if kill % NEW_ORDERS_EVERY == NEW_ORDERS_EVERY - 1:
                seed_orders(sandboxes, [order_record(next_id + n, PRODUCTS, rng) for n in range(40)])
                next_id += 40
                _ship_some(sandboxes, rng)
        schedule = Pipeline(ledger, *sandboxes.clients(), claim_ttl=CLAIM_TTL)
        cycles, done = 0, False
        while not done and cycles < MAX_SCHEDULED_CYCLES:
            results = schedule.cycle(f"scheduled-{cycles}")
            cycles += 1
            done = quiet(results) and not backing_off(ledger)
            if not done:
                time.sleep(0.5)  # claims of killed runs expire within CLAIM_TTL
        assert done, (f"the schedule found work left after {cycles} cycles: {_summary(results)}; orders in "
                       f"flight: {ledger.keys_in_states(Kind.ORDER, ('pending', 'error', 'shipped'))[:20]}")
        findings = check(sandboxes, ledger)
        figures = {
            "kills": KILLS, "kills_by_point": dict(kills),
            "kills_leaving_claims_behind": left_claims,
            **{k: findings.figures[k] for k in ("orders", "shipped", "lost", "duplicated", "stock_differences")},
            "scheduled_cycles_to_recover": cycles, "seconds": round(time.monotonic() - started, 1),
            "problems": findings.problems[:50],
        }
        publish("crash", figures, request.node)
        assert not findings.problems, findings.summary()
        assert findings.figures["orders"] == next_id - 200_001 and findings.figures["shipped"] > 0
        assert sum(count for point, count in kills.items() if point.startswith("after a")) >= KILLS // 3, kills
    finally:
        ledger.close()
        sandboxes.stop()


def test_a_killed_runs_claims_expire_and_a_live_runs_do_not(tmp_path: Path) -> None:
    """The heartbeat: claims outlive their ttl while the run lives; once it is killed they expire.

    Read from the claims' own expiry times, so that the machine's load decides nothing: the holder renews
    twice (each renewal moves the expiry on), a claim at a moment past the first expiry is refused; after
    the kill the expiry stays within one ttl of the kill, and the claim is taken once it has passed.
    """
    url = sqlite_url(tmp_path / "ledger.sqlite")
    keys = ["1", "2", "3"]
    ttl = timedelta(seconds=3)  # renewed every second: a heartbeat held up for up to two still keeps them
    ledger = Ledger(url)
    context = forkserver()
    holder = context.Process(target=hold_claims, args=(url, keys, ttl.total_seconds()), daemon=True)
    holder.start()
    try:
        first = _wait_for_expiry(ledger, keys, lambda until: until is not None, "the holder never claimed its records")
        renewed = _wait_for_expiry(ledger, keys, lambda until: until > first, "the live holder never renewed")
        _wait_for_expiry(ledger, keys, lambda until: until > renewed, "the live holder renewed only once")
        past_the_ttl = first + timedelta(milliseconds=1)
        assert ledger.claim(Kind.ORDER, keys, "other", timedelta(minutes=1), now=past_the_ttl) == set()

        os.kill(holder.pid, signal.SIGKILL)
        holder.join()
        killed_at = datetime.now(timezone.utc)  # after its death: every renewal came before
        expiry = _expiry(ledger, keys)
        assert expiry <= killed_at + ttl, "a dead run's claims end within one ttl of its last renewal"
        _sleep_until(expiry)
        assert ledger.claim(Kind.ORDER, keys, "other", timedelta(minutes=1)) == set(keys)
    finally:
        ledger.close()


def _expiry(ledger: Ledger, keys: list[str]) -> datetime | None:
    """The earliest end of the claims on these records (None while one is unclaimed)."""
    ends = [entry.claimed_until for entry in ledger.entries(Kind.ORDER, keys).values()]
    return min(ends) if len(ends) == len(keys) and None not in ends else None


def _wait_for_expiry(ledger: Ledger, keys: list[str], reached, failure: str, seconds: float = 60.0) -> datetime:
    """Poll the claims' expiry until `reached(expiry)`; generous, as it ends as soon as it holds."""
    deadline = time.monotonic() + seconds
    while not reached(expiry := _expiry(ledger, keys)):
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)
    return expiry


def _sleep_until(moment: datetime) -> None:
    remaining = (moment - datetime.now(timezone.utc)).total_seconds()
    if remaining > 0:
        time.sleep(remaining + 0.01)


def hold_claims(url: str, keys: list[str], ttl_seconds: float) -> None:
    with Ledger(url) as ledger, ledger.run("holder", timedelta(seconds=ttl_seconds)) as run:
        run.claim(Kind.ORDER, keys)
        while True:
            time.sleep(1)


def test_the_cursor_stays_at_an_order_a_killed_run_held(tmp_path: Path) -> None:
    """A run that skips an order another run holds must not move its cursor past it: should the
    holder die, no later delta read would see the order again."""
    sandboxes = Sandboxes.start()
    ledger = Ledger(sqlite_url(tmp_path / "ledger.sqlite"))
    try:
        rng = random.Random(1)
        seed_catalogue(sandboxes, 5, rng)
        seed_orders(sandboxes, [order_record(order_id, 5, rng) for order_id in (1, 2, 3)])
        an_hour_ago = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
        sandboxes.admin("erp", "POST", "orders/date_changed", [{"OrderId": 2, "DateChanged": an_hour_ago}])
        pipeline = Pipeline(ledger, *sandboxes.clients())
        pipeline.step("articles", "run-1")
        ledger.claim(Kind.ORDER, ["2"], "killed-run", timedelta(hours=1))  # it died holding order 2
        report = pipeline.step("orders", "run-2")
        assert (report.created, report.details["held_by_other_run"]) == (2, ["2"])
        _expire_claim(ledger, "2", "killed-run")
        assert pipeline.step("orders", "run-3").created == 1
        assert sorted(o["GoodsOwnerOrderNumber"] for o in sandboxes.admin("wms", "GET", "state")["orders"]) == \
            ["1", "2", "3"]
    finally:
        ledger.close()
        sandboxes.stop()


def test_an_order_pushed_before_its_article_reached_the_warehouse_goes_again(tmp_path: Path) -> None:
    """A run cut short before all articles reached the WMS: the order naming a missing article is
    refused, and that refusal is retried after a backoff instead of dead-lettering the order."""
    sandboxes = Sandboxes.start()
    ledger = Ledger(sqlite_url(tmp_path / "ledger.sqlite"), backoff=QUICK_BACKOFF)
    try:
        seed_catalogue(sandboxes, 3, random.Random(1))
        seed_orders(sandboxes, [order_record(1, 3, random.Random(2))])
        pipeline = Pipeline(ledger, *sandboxes.clients())
        refused = pipeline.step("orders", "run-1")  # no article in the warehouse yet
        entry = ledger.get(Kind.ORDER, "1")
        assert (refused.failed, entry.retryable, entry.dead) == (1, True, False), refused.failures
        pipeline.step("articles", "run-2")
        time.sleep(0.05)  # the (test's) backoff
        assert pipeline.step("orders", "run-3").created == 1
        assert ledger.get(Kind.ORDER, "1").state == "sent"
    finally:
        ledger.close()
        sandboxes.stop()


def test_a_new_run_releases_the_claims_of_runs_dagster_reports_finished(tmp_path: Path, stack, instance,
                                                                        monkeypatch) -> None:
    """A run that failed while the ledger's database was away could not release its claims; the next
    run releases them as soon as Dagster reports the failed run finished, without waiting for the ttl."""
    from sync_pipeline_tests.dagster.conftest import run_job

    monkeypatch.setenv("SYNC_LEDGER_URL", sqlite_url(tmp_path / "ledger.sqlite"))
    failed = instance.add_run(dg.DagsterRun(job_name="sync_all", run_id=str(uuid.uuid4()),
                                            status=dg.DagsterRunStatus.FAILURE))
    alive = instance.add_run(dg.DagsterRun(job_name="sync_all", run_id=str(uuid.uuid4()),
                                           status=dg.DagsterRunStatus.STARTED))
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as ledger:
        ledger.claim(Kind.ORDER, ["1", "2"], failed.run_id, timedelta(hours=1))
        ledger.claim(Kind.ORDER, ["3"], alive.run_id, timedelta(hours=1))
        result = run_job("push_orders", instance)
        assert result.success
        assert ledger.claim_holders() == {alive.run_id: 1}
        pushed = {o["GoodsOwnerOrderNumber"] for o in stack.wms_admin.get("state")["orders"]}
        assert {"1", "2"} <= pushed and "3" not in pushed


def _expire_claim(ledger: Ledger, key: str, run_id: str) -> None:
    """The dead run's claim runs out: renewed by its run as if a second ago with a ttl of a millisecond, so
    it ended in the past whatever the time the steps before took."""
    a_second_ago = datetime.now(timezone.utc) - timedelta(seconds=1)
    assert ledger.claim(Kind.ORDER, [key], run_id, timedelta(milliseconds=1), now=a_second_ago) == {key}


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def _work_for(operation: str, sandboxes: Sandboxes, rng: random.Random, next_id: int) -> int:
    """Make the next run have writes of `operation` to do; returns the next free order id."""
    if operation == "ProcessOrder":
        seed_orders(sandboxes, [order_record(next_id + n, PRODUCTS, rng) for n in range(15)])
        return next_id + 15
    if operation == "SaveInvoices":
        _ship_some(sandboxes, rng)
    elif operation == "SetStockQuantity":
        for product_id in rng.sample(range(1, PRODUCTS + 1), 5):
            sandboxes.wms.inventory.set_physical(article_number(product_id), Decimal(rng.randrange(5_000, 9_000)))
    else:
        renamed = [{"Id": product_id, "Name": f"Vare {product_id} {next_id}"}
                   for product_id in rng.sample(range(1, PRODUCTS + 1), 5)]
        sandboxes.erp.products.upsert([from_json(Products.shape, record) for record in renamed])
    return next_id


def _ship_some(sandboxes: Sandboxes, rng: random.Random) -> None:
    open_orders = sandboxes.open_orders()
    for number in rng.sample(open_orders, len(open_orders) // 3):
        sandboxes.ship(number, f"WB-{number}")


def _summary(results: dict) -> dict:
    return {name: (r.counts() | {k: v[:10] for k, v in r.details.items()} if not isinstance(r, BaseException)
                   else repr(r)) for name, r in results.items()}
