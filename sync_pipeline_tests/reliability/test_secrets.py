"""No password, session id or credential anywhere the integration writes, after runs good and bad.

Both sandboxes are started with distinctive credentials (characters that XML, JSON and URLs escape,
so escaped copies are searched for too). Then the Dagster job sync_all runs as an operator's
instance would run it: a clean run; a run after an order shipped; a run with faults injected into
both systems (errors, garbled and dropped replies, sessions ended under the client's feet); a run
whose ERP replies are all garbled (its exception carries the transport's details); and a run with
wrong passwords, alerted by the failure sensor to a local webhook. Afterwards every place is
scanned for both passwords, the wrong ones, every ERP session id the sandbox handed out (read
from its own session store) and the Login credential (the ApplicationId next to an unmasked
password):

captured logs (DEBUG, every logger), stdout/stderr, Dagster's event log, the run records with
their tags and snapshots, the asset materializations, the ledger (every row, and the database
files' bytes), the failed runs' exception text, the alert webhook's payloads, and the Dagster UI's
GraphQL answers (resources, runs, logs), where the passwords must show as environment variable
names.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

import dagster as dg
import pytest
from dagster._core.test_utils import in_process_test_workspace
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._serdes import serialize_value
from dagster_graphql.test.utils import execute_dagster_graphql

import sync_pipeline
from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.sandbox.erp import ErpSandbox
from sync_pipeline.sandbox.erp.auth import Credentials as ErpCredentials
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.wms import WmsSandbox
from sync_pipeline.sandbox.wms.credentials import Credentials as WmsCredentials
from sync_pipeline.sandbox.wms.system import WAREHOUSE
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.soap.errors import RetryableError
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.dagster.conftest import Sensors, Webhook, instance, run_job  # noqa: F401 (instance: a fixture)
from sync_pipeline_tests.reliability.test_bad_input_replies import LOGIN, SESSION, Hostile, Reply

APPLICATION_ID = "5eed5eed-0000-4000-8000-c0ffee000001"
ERP_PASSWORD = "Zebra&7731<Erp>'pw"
WMS_PASSWORD = 'Quokka%5519"Wms>pw'
WRONG_ERP_PASSWORD = "Wrong&Erp<4711>pw"
WRONG_WMS_PASSWORD = "Wrong%Wms\"4712'pw"
# Rates low enough that the run mostly gets through (retries wait as in production, up to seconds).
FAULTS = {"seed": 11, "error_rate": 0.06, "malformed_rate": 0.06, "drop_rate": 0.03, "timeout_rate": 0.03,
          "timeout_hold_seconds": 0.1}


def forms(secret: str) -> set[str]:
    """The secret as it would stand in XML, JSON, a URL, a Python repr or plain text."""
    return {secret, escape(secret), escape(secret, {'"': "&quot;", "'": "&apos;"}), json.dumps(secret)[1:-1],
            urllib.parse.quote(secret), urllib.parse.quote_plus(secret), repr(secret)[1:-1]}


_PASSWORD_VALUE = re.compile(r"""<(?:[\w.-]+:)?Password\b[^>]*>(?P<element>[^<]*)<|["']Password["']\s*:\s*["'](?P<key>[^"']*)["']""")


def credential_shown(text: str) -> bool:
    """The ApplicationId within 600 characters of a Password element or key that is not masked."""
    for match in re.finditer(re.escape(APPLICATION_ID), text, re.IGNORECASE):
        window = text[max(0, match.start() - 600): match.end() + 600]
        for value in _PASSWORD_VALUE.finditer(window):
            shown = value["element"] if value["element"] is not None else value["key"]
            if shown not in ("***", ""):
                return True
    return False


class Scan:
    """What to look for: named secrets (in every form) and the Login credential."""

    def __init__(self, secrets: dict[str, str]):
        self.secrets = secrets

    def leaks(self, text: str) -> list[str]:
        found = [name for name, secret in self.secrets.items() if any(form in text for form in forms(secret))]
        if credential_shown(text):
            found.append("ApplicationId with its password")
        return found


class SecretStack:
    """Both sandboxes with distinctive credentials, every ERP session id they hand out recorded."""

    def __init__(self) -> None:
        self.erp_system = ErpSandbox(Store(), credentials=ErpCredentials(
            application_id=APPLICATION_ID, username="secrets-scan@example.com", password=ERP_PASSWORD))
        self.wms_system = WmsSandbox(Store(), credentials=WmsCredentials(
            goods_owner_code="SCAN", username="scanner", password=WMS_PASSWORD))
        self.erp_system.seed_demo()
        self.wms_system.seed_demo()
        self.issued: list[str] = []
        sessions = self.erp_system.sessions
        open_session = sessions.open

        def recorded_open() -> str:
            session_id = open_session()
            self.issued.append(session_id)
            return session_id

        sessions.open = recorded_open
        self.erp = SandboxServer(self.erp_system, port=0).start()
        self.wms = SandboxServer(self.wms_system, port=0).start()
        self.erp_admin, self.wms_admin = Admin(self.erp.url), Admin(self.wms.url)

    def session_ids(self) -> list[str]:
        """Every session id issued: those recorded, and those still in the sandbox's session store."""
        return sorted(set(self.issued) | set(self.erp_system.sessions._last_used))

    def environment(self) -> dict[str, str]:
        return {"SO24_BASE_URL": self.erp.url, "SO24_APPLICATION_ID": APPLICATION_ID,
                "SO24_USERNAME": "secrets-scan@example.com", "SO24_PASSWORD": ERP_PASSWORD,
                "ONGOING_BASE_URL": f"{self.wms.url}/{WAREHOUSE}", "ONGOING_GOODS_OWNER_CODE": "SCAN",
                "ONGOING_USERNAME": "scanner", "ONGOING_PASSWORD": WMS_PASSWORD, "SYNC_SUPPLIERS": "on"}

    def stop(self) -> None:
        self.erp.stop()
        self.wms.stop()


@pytest.fixture
def secret_stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretStack]:
    stack = SecretStack()
    for name in ("SYNC_ARTICLES", "SYNC_ORDERS", "SYNC_STOCK", "SYNC_IMPORTED_ERP_STATUS", "SYNC_STOCK_BASIS",
                 "SYNC_EXTRA_FIELDS", "SYNC_LEDGER_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in stack.environment().items():
        monkeypatch.setenv(name, value)
    yield stack
    stack.stop()


# -- collecting what each place holds --------------------------------------------------------------

def event_log(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> str:
    return "\n".join(serialize_value(entry) for run in runs for entry in instance.all_logs(run.run_id))


def run_records(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> str:
    parts = []
    for run in runs:
        parts += [serialize_value(run), json.dumps(run.tags)]
        if run.job_snapshot_id:
            parts.append(serialize_value(instance.get_job_snapshot(run.job_snapshot_id)))
        if run.execution_plan_snapshot_id:
            parts.append(serialize_value(instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)))
    return "\n".join(parts)


def materializations(instance: dg.DagsterInstance) -> str:
    parts = []
    for key in instance.all_asset_keys():
        records = instance.fetch_materializations(key, limit=1000).records
        parts += [serialize_value(record.asset_materialization) for record in records]
    assert parts, "no materialization to scan"
    return "\n".join(parts)


def ledger_contents(instance: dg.DagsterInstance) -> str:
    path = Path(instance.root_directory) / "sync_ledger.sqlite"
    assert path.exists(), "the runs kept no ledger"
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [repr(connection.execute(f'SELECT * FROM "{table}"').fetchall()) for table in tables]
    assert "entries" in tables and len(rows[tables.index("entries")]) > 100, "the ledger is empty"
    files = [file.read_bytes().decode("utf-8", errors="replace") for file in path.parent.glob("sync_ledger.sqlite*")]
    return "\n".join(rows + files)


def failure_texts(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> str:
    parts = []
    for run in runs:
        if run.status != dg.DagsterRunStatus.FAILURE:
            continue
        for entry in instance.all_logs(run.run_id):
            event = entry.dagster_event
            if event is None or not (event.is_step_failure or event.is_run_failure):
                continue
            error = getattr(event.event_specific_data, "error", None)
            parts.append(entry.message or "")
            if error is not None:
                parts.append(error.to_string())
    assert parts, "no failed run to scan"
    return "\n".join(parts)


RESOURCES_QUERY = """
query {
  repositoriesOrError { ... on RepositoryConnection { nodes {
    allTopLevelResourceDetails { name configuredValues { key value type } }
  } } }
  runsOrError { ... on Runs { results { runId status runConfigYaml tags { key value } } } }
}
"""
LOGS_QUERY = """
query Logs($runId: ID!) {
  logsForRun(runId: $runId) { ... on EventConnection { events {
    __typename
    ... on MessageEvent { message level }
    ... on ExecutionStepFailureEvent { error { message stack causes { message stack } } }
    ... on RunFailureEvent { error { message causes { message } } }
    ... on MaterializationEvent { metadataEntries { label description
      ... on TextMetadataEntry { text } ... on MarkdownMetadataEntry { mdStr } ... on JsonMetadataEntry { jsonString } } }
  } } }
}
"""


def graphql(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> tuple[str, dict[str, dict]]:
    """What the Dagster UI asks for, answered in process by the code location loaded as the UI loads it."""
    origin = LoadableTargetOrigin(python_file=str(Path(sync_pipeline.__file__).parent / "definitions.py"),
                                  attribute="defs")
    with in_process_test_workspace(instance, origin) as context:
        answer = execute_dagster_graphql(context, RESOURCES_QUERY).data
        logs = [execute_dagster_graphql(context, LOGS_QUERY, {"runId": run.run_id}).data for run in runs]
    (repository,) = answer["repositoriesOrError"]["nodes"]
    resources = {resource["name"]: {value["key"]: value for value in resource["configuredValues"]}
                 for resource in repository["allTopLevelResourceDetails"]}
    return json.dumps([answer, logs]), resources


# -- the runs ------------------------------------------------------------------------------------------

def test_no_secret_leaks_anywhere(secret_stack: SecretStack, instance: dg.DagsterInstance,
                                  monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
                                  capfd: pytest.CaptureFixture, subtests) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: every logger's records, zeep's envelopes included
    webhook = Webhook()
    monkeypatch.setenv("SYNC_ALERT_WEBHOOK_URL", webhook.url)
    try:
        sensor = Sensors(instance, "alert_on_run_failure")
        results = {"clean": run_job("sync_all", instance)}
        secret_stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "SCAN-1"})
        results["after a shipment"] = run_job("sync_all", instance)
        assert results["clean"].success and results["after a shipment"].success

        secret_stack.erp_admin.post("products", [{"Id": n, "Name": f"Renamed {n}"} for n in range(1, 9)])
        secret_stack.wms_admin.post("stock", [{"ArticleNumber": f"SKU-{1000 + n}", "NumberOfItems": n + 100}
                                              for n in range(1, 9)])
        secret_stack.erp_admin.post("faults", {**FAULTS, "expire_sessions": True})
        secret_stack.wms_admin.post("faults", FAULTS)
        results["with faults"] = run_job("sync_all", instance)
        injected = [entry for admin in (secret_stack.erp_admin, secret_stack.wms_admin)
                    for entry in admin.get("calls")["log"] if entry["outcome"].startswith("injected")]
        assert injected, "no fault was injected: the run proved nothing"

        secret_stack.wms_admin.post("faults", {})
        secret_stack.erp_admin.post("faults", {"malformed_rate": 1.0, "expire_sessions": True})
        results["garbled ERP replies"] = run_job("sync_all", instance)
        secret_stack.erp_admin.post("faults", {})

        monkeypatch.setenv("SO24_PASSWORD", WRONG_ERP_PASSWORD)
        monkeypatch.setenv("ONGOING_PASSWORD", WRONG_WMS_PASSWORD)
        results["wrong passwords"] = run_job("sync_all", instance)
        sensor.tick()
    finally:
        webhook.stop()
    assert not results["garbled ERP replies"].success and not results["wrong passwords"].success
    assert len(webhook.received) >= 2, "the failed runs were alerted"

    runs = [instance.get_run_by_id(result.run_id) for result in results.values()]
    answer, resources = graphql(instance, runs)
    places = {
        "captured logs (DEBUG, every logger)": caplog.text + "\n".join(
            record.getMessage() + (record.exc_text or "") for record in caplog.records),
        "stdout and stderr": "".join(capfd.readouterr()),
        "the Dagster event log": event_log(instance, runs),
        "the run records, tags and snapshots": run_records(instance, runs),
        "the asset materializations": materializations(instance),
        "the ledger (rows and files)": ledger_contents(instance),
        "the failed runs' exception text": failure_texts(instance, runs),
        "the alert webhook's payloads": json.dumps(webhook.received),
        "the Dagster UI's GraphQL (resources, runs, logs)": answer,
    }
    sessions = secret_stack.session_ids()
    assert len(sessions) >= 2, "the faults ended a session, so the client logged in again"
    scan = Scan({"the ERP password": ERP_PASSWORD, "the WMS password": WMS_PASSWORD,
                 "the wrong ERP password": WRONG_ERP_PASSWORD, "the wrong WMS password": WRONG_WMS_PASSWORD,
                 **{f"ERP session id {n}": session for n, session in enumerate(sessions, start=1)}})

    logged = places["captured logs (DEBUG, every logger)"]
    assert "Password>***</" in logged and "LoginResult>***</" in logged, (
        "the logs hold the Login and WMS envelopes (masked): the scan looked where the secrets travel")
    for place, text in places.items():
        with subtests.test(place=place):
            assert text.strip(), f"nothing collected from {place}: the scan would prove nothing"
            leaked = scan.leaks(text)
            assert not leaked, f"{', '.join(leaked)} leaked into {place}"
    with subtests.test(place="resource configuration in the UI"):
        assert resources["erp"]["password"] == {"key": "password", "value": "SO24_PASSWORD", "type": "ENV_VAR"}
        assert resources["wms"]["password"] == {"key": "password", "value": "ONGOING_PASSWORD", "type": "ENV_VAR"}


# -- one exception chain, up close: a garbled Login reply holding the session id --------------------

def test_a_garbled_login_reply_does_not_carry_the_session_id_into_the_error() -> None:
    hostile = Hostile()
    hostile.login = Reply(LOGIN + b"<stray bytes from a proxy")  # the session id, then garbage
    try:
        client = ErpClient(ErpConnection(
            base_url=hostile.url, application_id=APPLICATION_ID, username="u@example.com", password=ERP_PASSWORD,
            timeout=5, retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002)))
        with pytest.raises(RetryableError) as raised:
            client.products([1])
    finally:
        hostile.stop()
    chain, error = [], raised.value
    while error is not None:  # what a run failure keeps: the error and every cause Python would print
        chain.append(f"{type(error).__name__}: {error}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    text = "\n".join(chain)
    assert "Login: malformed reply" in text, text
    assert SESSION not in text and ERP_PASSWORD not in text, text


def test_the_scan_finds_a_secret_in_every_form_it_may_take() -> None:
    scan = Scan({"the ERP password": ERP_PASSWORD})
    for text in (f"login with {ERP_PASSWORD}", f"<Password>{escape(ERP_PASSWORD)}</Password>",
                 json.dumps({"error": ERP_PASSWORD}), "https://x/?p=" + urllib.parse.quote(ERP_PASSWORD),
                 repr({"password": ERP_PASSWORD})):
        assert scan.leaks(text) == ["the ERP password"], text
    credential = f"<ApplicationId>{APPLICATION_ID}</ApplicationId><Password>hunter2</Password>"
    assert scan.leaks(credential) == ["ApplicationId with its password"]
    assert scan.leaks(credential.replace("hunter2", "***")) == []
    assert scan.leaks(str({"ApplicationId": APPLICATION_ID, "Password": "hunter2"})) == ["ApplicationId with its password"]
