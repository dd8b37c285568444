"""The distributed engine as deployed (deploy/dagster.yaml, docs/deploy.md): PostgreSQL, a redis broker
with a password, the webserver, the daemon (QueuedRunCoordinator, run retries) and two
`dagster-celery worker` processes, for a tenants file of two merchants, each with a `sync-pipeline
sandbox --seed-demo` of its own. Runs are launched over GraphQL as the UI's button does.

The two merchants' runs execute on different workers at once. A worker killed (SIGKILL of its whole
process tree) in the middle of a step leaves that step's task unacknowledged in redis; once the
redelivery time has passed the surviving worker runs the step again, and the run ends well. Each
sandbox then holds every article and order exactly once: no article created twice, no order written
twice.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks.pf9_cluster import Cluster, Merchant, cluster, dump, until

pytestmark = pytest.mark.slow  # starts PostgreSQL's database, redis, the webserver, the daemon and workers

REDELIVERY_SECONDS = 45  # well over any step of these small runs, even on a loaded machine
WMS_LATENCY_MS = 400  # each warehouse call takes this long: the article step lasts long enough to be cut
ARTICLES = 24  # the demo catalogue (--seed-demo)
CONFIRMED_ORDERS = 8


def calls(merchant: Merchant, operation: str, outcome: str = "ok") -> list[dict[str, Any]]:
    return [entry for entry in merchant.admin("wms", "GET", "calls")["log"]
            if entry["operation"] == operation and entry["outcome"] == outcome]


def final_run(found: Cluster, run_id: str) -> dict[str, Any]:
    """The run, or the last of Dagster's retries of it, once it has ended."""
    def ended() -> dict[str, Any] | None:
        run = found.finished(run_id)
        if run is None:
            return None
        if run["status"] == "SUCCESS":
            return run
        retries = [r for r in found.runs() if {"key": "dagster/parent_run_id", "value": run_id} in r["tags"]]
        return None if retries else run  # a failed run with a retry on its way: follow the retry

    run = until(ended, f"run {run_id} (or its retry) ending")
    retry = [r for r in found.runs() if {"key": "dagster/parent_run_id", "value": run_id} in r["tags"]]
    return final_run(found, retry[0]["runId"]) if run["status"] != "SUCCESS" and retry else run


def assert_everything_exactly_once(merchant: Merchant) -> None:
    state = merchant.admin("wms", "GET", "state")
    assert len(state["articles"]) == ARTICLES, f"{merchant.key}: {len(state['articles'])} articles in the warehouse"
    created = Counter(entry["key"] for entry in calls(merchant, "ProcessArticle") if entry["detail"] == "created")
    assert len(created) == ARTICLES and set(created.values()) == {1}, f"{merchant.key}: articles created {created}"
    assert len(state["orders"]) == CONFIRMED_ORDERS, f"{merchant.key}: {len(state['orders'])} orders"
    written = Counter(entry["key"] for entry in calls(merchant, "ProcessOrder"))
    assert len(written) == CONFIRMED_ORDERS and set(written.values()) == {1}, \
        f"{merchant.key}: orders written {written}"


def assert_no_broker_password(found: Cluster) -> None:
    """The broker's password is in no process's output and in no event of any run."""
    for log in found.folder.glob("*.log"):
        assert found.broker_password not in log.read_text(errors="replace"), f"the broker password in {log.name}"
    for run in found.runs():
        text = repr(found.events(run["runId"])) + repr(run["tags"])
        assert found.broker_password not in text, f"the broker password in run {run['runId']}"


@pytest.mark.timeout(1200)
def test_two_merchants_run_on_two_workers_and_survive_the_kill_of_one(tmp_path: Path) -> None:
    with cluster(tmp_path, ["acme", "bolt"], workers=["w1", "w2"], redelivery_seconds=REDELIVERY_SECONDS) as found:
        try:
            acme, bolt = found.merchants["acme"], found.merchants["bolt"]
            # acme's warehouse is slow, so its article step is still running when bolt's begins
            acme.admin("wms", "POST", "faults", {"latency_ms": 4 * WMS_LATENCY_MS})
            bolt.admin("wms", "POST", "faults", {"latency_ms": WMS_LATENCY_MS})
            runs = {key: found.launch("sync_all", {"dagster/partition": key, "sync_pipeline/merchant": key})
                    for key in ("acme", "bolt")}

            def articles_worker(key: str) -> str | None:
                ran = [worker for step, worker in found.step_workers(runs[key]) if step == "wms_articles"]
                return ran[0] if ran else None

            on = {key: until(lambda key=key: articles_worker(key), f"{key}'s wms_articles on a worker")
                  for key in ("acme", "bolt")}
            assert on["acme"] != on["bolt"], f"both merchants' article steps ran on {on['acme']}"
            until(lambda: len(calls(acme, "ProcessArticle")) >= 3, "acme's first articles written")
            assert len(calls(acme, "ProcessArticle")) < ARTICLES, "acme's article step ended before the kill"
            found.workers[on["acme"]].kill()
            acme.admin("wms", "POST", "faults", {"latency_ms": WMS_LATENCY_MS})

            for key, merchant in found.merchants.items():
                run = final_run(found, runs[key])
                assert run["status"] == "SUCCESS", f"{key}: {run}\n{dump(found)}"
                assert_everything_exactly_once(merchant)
            ran = [worker for step, worker in found.step_workers(runs["acme"]) if step == "wms_articles"]
            assert ran == [on["acme"], on["bolt"]], f"acme's wms_articles ran on {ran}, {on['acme']} was killed"
            assert_no_broker_password(found)
        except BaseException:
            print(dump(found))
            raise
