"""Claims: the ledger's guard against overlapping runs handling the same record."""

from __future__ import annotations

import multiprocessing
import random
import threading
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from sync_pipeline.ledger import DEFAULT_CLAIM_TTL, Ledger, LedgerError

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)


def test_a_key_held_by_another_live_run_is_skipped(ledger):
    assert ledger.claim("article", ["a", "b"], "run-1", now=NOW) == {"a", "b"}
    assert ledger.claim("article", ["b", "c"], "run-2", now=NOW) == {"c"}
    assert ledger.claim("order", ["b"], "run-2", now=NOW) == {"b"}  # another kind, another record
    assert ledger.claim("article", ["a", "b", "c"], "run-1", now=NOW) == {"a", "b"}  # renews its own
    assert ledger.claim_holders(now=NOW) == {"run-1": 2, "run-2": 2}
    entry = ledger.get("article", "c")
    assert (entry.state, entry.claimed_by, entry.claimed_until) == ("pending", "run-2", NOW + DEFAULT_CLAIM_TTL)
    assert ledger.claim("article", [], "run-3", now=NOW) == set()


def test_expired_claims_are_taken_over(ledger):
    ledger.claim("article", ["a", "b"], "crashed-run", ttl=10 * MINUTE, now=NOW)
    assert ledger.claim("article", ["a", "b"], "run-2", now=NOW + 9 * MINUTE) == set()
    assert ledger.claim("article", ["a", "b"], "run-2", now=NOW + 10 * MINUTE) == {"a", "b"}
    assert ledger.claim_holders(now=NOW + 10 * MINUTE) == {"run-2": 2}


def test_a_long_run_renews_its_live_claims(ledger):
    with ledger.run("run-1", ttl=10 * MINUTE) as run:
        run.claim("order", ["7", "8"], now=NOW)
        assert run.renew(now=NOW + 9 * MINUTE) == 2
        assert ledger.claim("order", ["7"], "run-2", now=NOW + 15 * MINUTE) == set()
        assert ledger.get("order", "8").claimed_until == NOW + 19 * MINUTE
        # A claim that expired may belong to someone else by now: renewing does not revive it.
        assert run.renew(now=NOW + 30 * MINUTE) == 0


def test_a_run_releases_its_claims_however_it_ends(ledger):
    with pytest.raises(RuntimeError):
        with ledger.run("run-1") as run:
            assert run.claim("order", ["7", "8"], now=NOW) == {"7", "8"}
            assert run.claim("article", ["SKU-1"], now=NOW) == {"SKU-1"}
            raise RuntimeError("the WMS went away")
    assert ledger.claim_holders(now=NOW) == {}
    assert ledger.claim("order", ["7", "8"], "run-2", now=NOW) == {"7", "8"}
    assert ledger.release("run-2", kind="article") == 0
    assert ledger.release("run-2") == 2
    assert ledger.get("order", "7").claimed_by is None


def test_claims_need_a_run_and_a_positive_ttl(sqlite_ledger):
    with pytest.raises(LedgerError):
        sqlite_ledger.claim("article", ["a"], "", now=NOW)
    with pytest.raises(LedgerError):
        sqlite_ledger.claim("article", ["a"], "run-1", ttl=timedelta(0), now=NOW)


def test_concurrent_claims_give_every_key_to_exactly_one_run(store):
    """Rounds of six threads, each claiming an overlapping random 60 % of 1000 keys at the same moment."""
    keys = [f"SKU-{n:05}" for n in range(1000)]
    dice = random.Random(4711)
    ledgers = [store.open() for _ in range(3)]
    ledgers[0].claim("article", keys[::2], "setup")  # half the keys known already, half new
    ledgers[0].release("setup")
    for round_number in range(4):
        wanted = {f"run-{round_number}-{n}": dice.sample(keys, 600) for n in range(6)}
        got: dict[str, set[str]] = {}
        start = threading.Barrier(len(wanted))

        def claim(run_id: str, ledger: Ledger) -> None:
            start.wait()
            got[run_id] = ledger.claim("article", wanted[run_id], run_id)

        threads = [threading.Thread(target=claim, args=(run_id, ledgers[n % 3])) for n, run_id in enumerate(wanted)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        holders = Counter(key for claimed in got.values() for key in claimed)
        assert set(holders) == {key for keys_wanted in wanted.values() for key in keys_wanted}
        assert [key for key, count in holders.items() if count > 1] == []
        for run_id, claimed in got.items():
            assert claimed <= set(wanted[run_id])
        entries = ledgers[0].entries("article", keys)
        assert {key: entry.claimed_by for key, entry in entries.items() if entry.claimed_by} == {
            key: run_id for run_id, claimed in got.items() for key in claimed}
        for run_id in wanted:
            ledgers[0].release(run_id)


def _run_like_a_sync_process(url: str, schema: str, run_number: int, keys: list[str], writes) -> None:
    """What a sync run does with the ledger: claim, look up, write what needs writing, record it."""
    ledger = Ledger(url, schema=schema, create=False)
    try:
        for round_number in range(3):
            run_id = f"process-{run_number}-round-{round_number}"
            with ledger.run(run_id) as run:
                mine = run.claim("order", keys)
                known = ledger.entries("order", mine)
                for key in sorted(mine):
                    payload = {"GoodsOwnerOrderNumber": key}
                    entry = known.get(key)
                    if entry is not None and entry.unchanged(_hash(payload)):
                        continue
                    writes.put(key)  # "the WMS call"
                    ledger.record_success("order", key, payload)
    finally:
        ledger.close()
        writes.put(None)


def _hash(payload) -> str:
    from sync_pipeline.ledger import payload_hash

    return payload_hash(payload)


def test_overlapping_runs_in_separate_processes_write_each_record_once(store):
    """Four processes run three overlapping rounds each over the same 250 orders: one write per order."""
    keys = [str(order_id) for order_id in range(1000, 1250)]
    store.open().close()  # create the schema before the processes start
    context = multiprocessing.get_context("fork")  # the children open their own engines
    writes = context.Queue()
    processes = [context.Process(target=_run_like_a_sync_process, args=(store.url, store.schema, n, keys, writes))
                 for n in range(4)]
    for process in processes:
        process.start()
    written: list[str] = []
    finished = 0
    while finished < len(processes):
        key = writes.get(timeout=120)
        if key is None:
            finished += 1
        else:
            written.append(key)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    counts = Counter(written)
    assert set(counts) == set(keys)
    assert [key for key, count in counts.items() if count > 1] == []
    ledger = store.open()
    assert ledger.claim_holders() == {}
    assert ledger.counts()["order"]["sent"] == len(keys)
