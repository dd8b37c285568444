"""`sync-pipeline demo --merchants 3`: three merchants side by side, as tenants of the two sandboxes, in
the tenants file the demo points `dagster dev` at, seen and driven through the webserver's GraphQL:
three merchant partitions, and one merchant's materialization writing into its own goods owner only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from sync_pipeline_tests.dagster.test_demo_command import PROJECT, wait_for
from sync_pipeline_tests.dagster.test_demo_stops import kill_session
from sync_pipeline_tests.ports import free_ports
from sync_pipeline_tests.waiting import PATIENCE, until

MERCHANTS = ["merchant_1", "merchant_2", "merchant_3"]
LOCATION = """{ workspaceOrError { ... on Workspace { locationEntries { name locationOrLoadError { __typename
  ... on PythonError { message } ... on RepositoryLocation { name } } } } } }"""
ARTICLES = """{ assetNodeOrError(assetKey: {path: ["wms_articles"]}) { ... on AssetNode { partitionKeys
  assetPartitionStatuses { ... on DefaultPartitionStatuses { materializedPartitions failedPartitions } } } } }"""
LAUNCH = """mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
RUN = """query Run($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""
ENDED = {"SUCCESS", "FAILURE", "CANCELED"}


@dataclass
class Demo:
    home: Path
    ui: str
    erp: str
    wms: str

    def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        reply = requests.post(f"{self.ui}/graphql", json={"query": query, "variables": variables}, timeout=60)
        reply.raise_for_status()
        body = reply.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def location(self) -> dict[str, Any] | None:
        """The code location once loaded (or failed to load); None while it loads."""
        with suppress(requests.RequestException):
            entries = self.graphql(LOCATION)["workspaceOrError"]["locationEntries"]
            return entries[0]["locationOrLoadError"] if entries else None
        return None

    def admin(self, base: str, route: str) -> Any:
        reply = requests.get(f"{base}/_sandbox/{route}", timeout=30)
        reply.raise_for_status()
        return reply.json()


@contextmanager
def demo_with_merchants(tmp_path: Path, count: int) -> Iterator[Demo]:
    ui, erp, wms = free_ports(3)
    log = tmp_path / "demo.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "sync_pipeline.cli", "demo", "--port", str(ui), "--erp-port", str(erp),
             "--wms-port", str(wms), "--dagster-home", str(tmp_path / "home"), "--merchants", str(count)],
            cwd=PROJECT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        demo = Demo(tmp_path / "home", f"http://127.0.0.1:{ui}", f"http://127.0.0.1:{erp}", f"http://127.0.0.1:{wms}")
        wait_for(f"{demo.ui}/server_info", PATIENCE)
        yield demo
    except BaseException:
        print(log.read_text()[-6000:])
        raise
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(240)
        except subprocess.TimeoutExpired:
            kill_session(process.pid)
            process.wait(30)


@pytest.mark.timeout(4 * PATIENCE)
def test_demo_with_three_merchants_serves_each_from_its_own_tenants(tmp_path: Path) -> None:
    with demo_with_merchants(tmp_path, 3) as demo:
        tenants = yaml.safe_load((demo.home / "tenants.yaml").read_text())["merchants"]
        clients = {client["name"]: client for client in demo.admin(demo.erp, "clients")}
        owners = {owner["goods_owner_code"]: owner for owner in demo.admin(demo.wms, "goods-owners")}

        assert list(tenants) == MERCHANTS
        for number, key in enumerate(MERCHANTS, start=1):
            erp, wms = tenants[key]["erp"], tenants[key]["wms"]
            assert (erp["base_url"], wms["base_url"]) == (demo.erp, f"{demo.wms}/sandbox")
            assert (erp["application_id"], erp["username"]) == (clients[key]["application_id"], clients[key]["username"])
            assert wms["goods_owner_code"] == key.upper() and wms["username"] == owners[key.upper()]["username"]
            assert erp["password"] == {"env": f"{key.upper()}_SO24_PASSWORD"}
            products = demo.admin(demo.erp, f"clients/{key}/state")["products"]
            assert {p["No"] for p in products} == {f"M{number}-{1000 + i}" for i in range(1, 25)}

        location = until(demo.location, "the code location loads")
        assert location["__typename"] == "RepositoryLocation", location
        assert demo.graphql(ARTICLES)["assetNodeOrError"]["partitionKeys"] == MERCHANTS

        # An operator materializes merchant_2's articles (Materialize, partition merchant_2).
        launched = demo.graphql(LAUNCH, params={
            "selector": {"repositoryLocationName": location["name"], "repositoryName": "__repository__",
                         "jobName": "__ASSET_JOB", "assetSelection": [{"path": ["wms_articles"]}]},
            "executionMetadata": {"tags": [{"key": "dagster/partition", "value": "merchant_2"}]}})["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        run = until(lambda: (r := demo.graphql(RUN, id=run_id)["runOrError"])["status"] in ENDED and r,
                    "merchant_2's run ends")

        assert run["status"] == "SUCCESS", run
        statuses = demo.graphql(ARTICLES)["assetNodeOrError"]["assetPartitionStatuses"]
        assert "merchant_2" in statuses["materializedPartitions"], statuses
        articles = {code: {a["ArticleNumber"] for a in demo.admin(demo.wms, f"goods-owners/{code}/state")["articles"]}
                    for code in ("MERCHANT_1", "MERCHANT_2", "MERCHANT_3")}
        assert articles["MERCHANT_2"] == {f"M2-{1000 + i}" for i in range(1, 25)}
        # The daemon may have run other merchants' schedules and sensors meanwhile: each wrote its own only.
        for code, numbers in articles.items():
            prefix = f"M{code.rsplit('_', 1)[1]}-"
            assert all(article.startswith(prefix) for article in numbers), (code, numbers)
        assert not {a["ArticleNumber"] for a in demo.admin(demo.wms, "state")["articles"]} & articles["MERCHANT_2"]
