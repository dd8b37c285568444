"""The distributed engine as deployed (deploy/dagster.yaml, docs/deploy.md): PostgreSQL, a redis broker
with a password, the webserver, the daemon (QueuedRunCoordinator, run retries) and two
`dagster-celery worker` processes. Runs are launched over GraphQL as the UI's button does.

A worker killed (SIGKILL of its whole process tree) in the middle of a step leaves that step's task
unacknowledged in redis; once the redelivery time has passed the surviving worker runs the step again,
and the run ends well. The sandbox then holds every article and order exactly once: no article created
twice, no order written twice.
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


@pytest.mark.timeout(1200)
def test_a_worker_killed_mid_step_loses_and_doubles_nothing(tmp_path: Path) -> None:
    with cluster(tmp_path, ["acme"], workers=["w1", "w2"], redelivery_seconds=REDELIVERY_SECONDS) as found:
        try:
            (merchant,) = found.merchants.values()
            merchant.admin("wms", "POST", "faults", {"latency_ms": WMS_LATENCY_MS})
            run_id = found.launch("sync_all")

            until(lambda: len(calls(merchant, "ProcessArticle")) >= 3, "the first articles written")
            (step, victim) = until(lambda: [s for s in found.step_workers(run_id) if s[0] == "wms_articles"],
                                   "the worker running wms_articles")[0]
            assert not calls(merchant, "ProcessOrder"), "the run is still at its articles"
            found.workers[victim].kill()
            written_before = len(calls(merchant, "ProcessArticle"))
            assert written_before < ARTICLES, "the worker was killed after its step had ended"

            run = final_run(found, run_id)
            assert run["status"] == "SUCCESS", dump(found)
            survivor = ({"w1", "w2"} - {victim}).pop()
            ran = [worker for step_key, worker in found.step_workers(run["runId"]) if step_key == "wms_articles"]
            assert ran[-1] == survivor, f"wms_articles ran on {ran}; {victim} was killed"
            assert_everything_exactly_once(merchant)
            assert_no_broker_password(found)
        except BaseException:
            print(dump(found))
            raise


def assert_no_broker_password(found: Cluster) -> None:
    """The broker's password is in no process's output and in no event of any run."""
    for log in found.folder.glob("*.log"):
        assert found.broker_password not in log.read_text(errors="replace"), f"the broker password in {log.name}"
    for run in found.runs():
        text = repr(found.events(run["runId"])) + repr(run["tags"])
        assert found.broker_password not in text, f"the broker password in run {run['runId']}"
