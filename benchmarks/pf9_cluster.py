"""The distributed deployment of docs/deploy.md on one machine, for the two-worker test and PF9.

PostgreSQL (a database of its own on the DAGSTER_PG_* server) holds Dagster's storage and the sync
ledger; a redis-server of its own, with a password, is the Celery broker and result backend; the
instance is deploy/dagster.yaml (QueuedRunCoordinator, one run per merchant, run retries); the
webserver serves GraphQL (as an operator's UI), the daemon dequeues runs and launches them, and
`dagster-celery worker start` processes run their steps. Each merchant has a `sync-pipeline sandbox
--seed-demo` process of its own.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import redis
import requests
import yaml

from sync_pipeline.automation.engine import BROKER_VARIABLE, celery_settings
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline_tests.ports import free_ports
from sync_pipeline_tests.waiting import until

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPOSITORY = "__repository__"

LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name locationOrLoadError { __typename } } } } }"
INSTIGATORS = """query Instigators($selector: RepositorySelector!) { repositoryOrError(repositorySelector: $selector) {
  ... on Repository { sensors { name sensorState { id status } } schedules { name scheduleState { id status } } } } }"""
STOP_SENSOR = "mutation Stop($id: String!) { stopSensor(id: $id) { __typename } }"
STOP_SCHEDULE = "mutation Stop($id: String!) { stopRunningSchedule(id: $id) { __typename } }"
LAUNCH = """mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } ... on Error { message } } }"""
RUN = """query Run($id: ID!) { runOrError(runId: $id) { ... on Run { runId status tags { key value } } } }"""
RUNS = """{ runsOrError { ... on Runs { results { runId status jobName startTime endTime
  tags { key value } } } } }"""
EVENTS = """query Events($id: ID!, $after: String) { logsForRun(runId: $id, afterCursor: $after) {
  ... on EventConnection { cursor hasMore events { __typename ... on MessageEvent { message stepKey timestamp }
  ... on EngineEvent { metadataEntries { label ... on TextMetadataEntry { text } } } } } } }"""
FINISHED = ("SUCCESS", "FAILURE", "CANCELED")


def _end_with_parent() -> None:
    """In the child before exec: SIGTERM when the process that started it dies (Linux's PR_SET_PDEATHSIG),
    so a benchmark or test killed without its teardown (a timeout's SIGKILL) leaves no server behind."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class Process:
    """A child process in a session of its own (so the whole tree can be signalled), output to a file."""

    def __init__(self, name: str, args: list[str], env: Mapping[str, str], log: Path):
        self.name, self.log = name, log
        with log.open("a") as out:
            self.popen = subprocess.Popen(args, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True, preexec_fn=_end_with_parent)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole process group: the process and every child it started, at once."""
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(60)

    def stop(self) -> None:
        if not self.alive():
            return
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(60)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


@dataclass
class Merchant:
    key: str
    erp: str
    wms: str
    process: Process

    def admin(self, system: str, method: str, route: str, body: Any = None) -> Any:
        base = self.erp if system == "erp" else self.wms
        reply = requests.request(method, f"{base}/_sandbox/{route}", json=body, timeout=30)
        reply.raise_for_status()
        return reply.json()


@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]
    graphql_url: str
    broker_password: str
    merchants: dict[str, Merchant]
    workers: dict[str, Process] = field(default_factory=dict)
    location: str = ""

    def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        reply = requests.post(self.graphql_url, json={"query": query, "variables": variables}, timeout=60)
        reply.raise_for_status()
        body = reply.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL: {body['errors']}")
        return body["data"]

    def start_worker(self, name: str, redelivery_seconds: int) -> Process:
        """`dagster-celery worker start`, one step at a time, named `name@<host>`, once it answers."""
        worker = self.launch_worker(name, redelivery_seconds)
        self.wait_for_worker(name)
        return worker

    def launch_worker(self, name: str, redelivery_seconds: int) -> Process:
        config = self.folder / f"celery-{name}.yaml"
        config.write_text(yaml.safe_dump(worker_config(redelivery_seconds)))
        worker = Process(name, [str(BIN / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app",
                                "-y", str(config), "-n", name, "--", "--concurrency=1", "--without-gossip",
                                "--without-mingle"],
                         self.env, self.folder / f"worker-{name}.log")
        self.workers[name] = worker
        return worker

    def wait_for_worker(self, name: str) -> None:
        worker = self.workers[name]
        until(lambda: self._answers(name) or not worker.alive(), f"worker {name} answering")
        if not worker.alive():
            raise RuntimeError(f"worker {name} ended:\n{worker.tail()}")

    def _answers(self, name: str) -> bool:
        from celery import Celery

        app = Celery(broker=self.env[BROKER_VARIABLE])
        try:
            replies = app.control.ping(timeout=2.0) or []
        finally:
            app.close()
        return any(next(iter(reply)).startswith(f"{name}@") for reply in replies)

    def launch(self, job: str, tags: Mapping[str, str] | None = None) -> str:
        selector = {"repositoryLocationName": self.location, "repositoryName": REPOSITORY, "jobName": job}
        params = {"selector": selector, "executionMetadata": {
            "tags": [{"key": key, "value": value} for key, value in (tags or {}).items()]}}
        launched = self.graphql(LAUNCH, params=params)["launchRun"]
        if launched["__typename"] != "LaunchRunSuccess":
            raise RuntimeError(f"launch of {job} refused: {launched}")
        return str(launched["run"]["runId"])

    def runs(self) -> list[dict[str, Any]]:
        return list(self.graphql(RUNS)["runsOrError"]["results"])

    def run(self, run_id: str) -> dict[str, Any]:
        return dict(self.graphql(RUN, id=run_id)["runOrError"])

    def events(self, run_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = self.graphql(EVENTS, id=run_id, after=cursor)["logsForRun"]
            found.extend(page["events"])
            cursor = page["cursor"]
            if not page["hasMore"]:
                return found

    def step_workers(self, run_id: str) -> list[tuple[str, str]]:
        """(step, worker name) for every time a worker began a step of the run, in order."""
        started = []
        for event in self.events(run_id):
            entries = {entry["label"]: entry.get("text") for entry in event.get("metadataEntries") or []}
            if "Celery worker" in entries:
                started.append((str(event["stepKey"]), str(entries["Celery worker"]).partition("@")[0]))
        return started

    def finished(self, run_id: str) -> dict[str, Any] | None:
        run = self.run(run_id)
        return run if run.get("status") in FINISHED else None


def worker_config(redelivery_seconds: int) -> dict[str, Any]:
    """What `dagster-celery worker start -y` reads: the executor's config, broker from the environment."""
    return {"execution": {"config": {"broker": {"env": BROKER_VARIABLE}, "backend": {"env": BROKER_VARIABLE},
                                     "config_source": celery_settings(redelivery_seconds)}}}


@contextmanager
def redis_server(folder: Path, password: str) -> Iterator[str]:
    """A redis-server of its own on a free port, requiring `password`; yields the broker URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    (port,) = free_ports(1)
    server = Process("redis", [binary, "--bind", "127.0.0.1", "--port", str(port), "--requirepass", password,
                               "--save", "", "--appendonly", "no", "--dir", str(folder)], os.environ,
                     folder / "redis.log")
    url = f"redis://:{password}@127.0.0.1:{port}/0"

    def answers() -> bool:
        with suppress(redis.RedisError):
            return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
        return False

    try:
        until(lambda: answers() or not server.alive(), "redis answering", 60)
        if not server.alive():
            raise RuntimeError(f"redis-server ended:\n{server.tail()}")
        yield url
    finally:
        server.stop()


# The server ./dev starts and the variables it sets; the benchmarks' callers may have cleared them.
PG_DEFAULTS = {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": "5432", "DAGSTER_PG_USER": "sync_pipeline",
               "DAGSTER_PG_PASSWORD": "sync_pipeline", "DAGSTER_PG_DB": "sync_pipeline_test"}


def postgres_environment() -> dict[str, str]:
    return {name: os.environ.get(name) or default for name, default in PG_DEFAULTS.items()}


def _pg(database: str) -> Any:
    pg = postgres_environment()
    connection = psycopg2.connect(host=pg["DAGSTER_PG_HOST"], port=pg["DAGSTER_PG_PORT"], user=pg["DAGSTER_PG_USER"],
                                  password=pg["DAGSTER_PG_PASSWORD"], dbname=database)
    connection.autocommit = True
    return connection


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own on the DAGSTER_PG_* server, dropped afterwards; yields its name."""
    name = f"sync_pipeline_engine_{uuid.uuid4().hex[:12]}"
    admin = _pg(postgres_environment()["DAGSTER_PG_DB"])
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield name
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def launch_sandbox(key: str, folder: Path, erp_port: int, wms_port: int) -> Merchant:
    """`sync-pipeline sandbox --seed-demo` on these free ports (wait_for_sandbox tells when it answers)."""
    process = Process(f"sandbox-{key}", [str(BIN / "sync-pipeline"), "sandbox", "--seed-demo",
                                         "--erp-port", str(erp_port), "--wms-port", str(wms_port)],
                      os.environ, folder / f"sandbox-{key}.log")
    return Merchant(key, f"http://127.0.0.1:{erp_port}", f"http://127.0.0.1:{wms_port}", process)


def wait_for_sandbox(merchant: Merchant) -> None:
    def answers() -> bool:
        with suppress(requests.RequestException):
            return all(requests.get(f"{base}/_sandbox/state", timeout=5).ok for base in (merchant.erp, merchant.wms))
        return False

    until(lambda: answers() or not merchant.process.alive(), f"the sandboxes of {merchant.key} answering", 120)
    if not merchant.process.alive():
        raise RuntimeError(f"the sandbox of {merchant.key} ended:\n{merchant.process.tail()}")


def tenants_file(folder: Path, merchants: Mapping[str, Merchant]) -> tuple[Path, dict[str, str]]:
    """The tenants file of docs (tenants_format), passwords by environment variable; and those variables."""
    body: dict[str, Any] = {"merchants": {}}
    passwords: dict[str, str] = {}
    for key, merchant in merchants.items():
        env = sandbox_environment(merchant.erp, merchant.wms)
        erp_var, wms_var = f"{key.upper()}_SO24_PASSWORD", f"{key.upper()}_ONGOING_PASSWORD"
        passwords[erp_var], passwords[wms_var] = env["SO24_PASSWORD"], env["ONGOING_PASSWORD"]
        body["merchants"][key] = {
            "erp": {"base_url": env["SO24_BASE_URL"], "application_id": env["SO24_APPLICATION_ID"],
                    "username": env["SO24_USERNAME"], "password": {"env": erp_var}},
            "wms": {"base_url": env["ONGOING_BASE_URL"], "goods_owner_code": env["ONGOING_GOODS_OWNER_CODE"],
                    "username": env["ONGOING_USERNAME"], "password": {"env": wms_var}},
        }
    path = folder / "tenants.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False))
    return path, passwords


def clean_environment() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.upper().startswith(("SO24_", "ONGOING_", "SYNC_", "DAGSTER_HOME", "PYTEST_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


@contextmanager
def cluster(folder: Path, merchants: list[str], *, workers: list[str], redelivery_seconds: int = 60,
            extra_env: Mapping[str, str] | None = None) -> Iterator[Cluster]:
    """The whole deployment, every instigator stopped (runs are launched by the caller, as an operator)."""
    folder.mkdir(parents=True, exist_ok=True)
    home = folder / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    password = secrets.token_hex(16)
    with ExitStack() as stack:
        database = stack.enter_context(postgres_database())
        broker = stack.enter_context(redis_server(folder, password))
        # Everything that can start at once does: the sandboxes, the workers and the webserver's load.
        boxes: dict[str, Merchant] = {}
        # All picked at once: picked one merchant at a time, two could get the same port (PF9 saw it).
        ports = iter(free_ports(2 * len(merchants)))
        for key in merchants:
            boxes[key] = launch_sandbox(key, folder, next(ports), next(ports))
            stack.callback(boxes[key].process.stop)
        env = {**clean_environment(), **postgres_environment()}
        env.update({"DAGSTER_HOME": str(home), "DAGSTER_PG_DB": database, BROKER_VARIABLE: broker,
                    "SYNC_LEDGER_URL": _ledger_url(database)})
        if len(boxes) == 1:
            (box,) = boxes.values()
            env.update(sandbox_environment(box.erp, box.wms))
        else:
            path, passwords = tenants_file(folder, boxes)
            env.update(passwords)
            env["SYNC_TENANTS_FILE"] = str(path)
        env.update(extra_env or {})
        # Dagster's tables first, by one process: the webserver and the workers starting on an empty
        # database would each create them, and the second CREATE TABLE fails ("type jobs already exists").
        subprocess.run([str(BIN / "dagster"), "instance", "migrate"], env=env, check=True, capture_output=True,
                       timeout=300)
        (port,) = free_ports(1)
        webserver = Process("webserver", [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port),
                                          "-w", str(ROOT / "workspace.yaml")], env, folder / "webserver.log")
        stack.callback(webserver.stop)
        found = Cluster(folder, env, f"http://127.0.0.1:{port}/graphql", password, boxes)
        stack.callback(lambda: [worker.stop() for worker in found.workers.values()])
        for name in workers:
            found.launch_worker(name, redelivery_seconds)
        for box in boxes.values():
            wait_for_sandbox(box)
        found.location = _loaded_location(found, webserver)
        _stop_instigators(found)  # before the daemon's first tick
        daemon = Process("daemon", [str(BIN / "dagster-daemon"), "run", "-w", str(ROOT / "workspace.yaml")], env,
                         folder / "daemon.log")
        stack.callback(daemon.stop)
        for name in workers:
            found.wait_for_worker(name)
        yield found


def _ledger_url(database: str) -> str:
    from sqlalchemy.engine import URL

    pg = postgres_environment()
    return URL.create("postgresql+psycopg2", username=pg["DAGSTER_PG_USER"], password=pg["DAGSTER_PG_PASSWORD"],
                      host=pg["DAGSTER_PG_HOST"], port=int(pg["DAGSTER_PG_PORT"]),
                      database=database).render_as_string(hide_password=False)


def _loaded_location(found: Cluster, webserver: Process) -> str:
    def loaded() -> str | None:
        if not webserver.alive():
            raise RuntimeError(f"the webserver ended:\n{webserver.tail()}")
        with suppress(requests.RequestException, RuntimeError, KeyError, TypeError):
            entries = found.graphql(LOCATIONS)["workspaceOrError"]["locationEntries"]
            done = [e for e in entries if (e.get("locationOrLoadError") or {}).get("__typename")]
            if done:
                if done[0]["locationOrLoadError"]["__typename"] != "RepositoryLocation":
                    raise RuntimeError(f"the code location failed to load: {done[0]}\n{webserver.tail()}")
                return str(done[0]["name"])
        return None

    return str(until(loaded, "the webserver loading the code location"))


def _stop_instigators(found: Cluster) -> None:
    """Every schedule and sensor stopped, as an operator does in the UI, before the daemon starts."""
    selector = {"repositoryLocationName": found.location, "repositoryName": REPOSITORY}
    repository = found.graphql(INSTIGATORS, selector=selector)["repositoryOrError"]
    for sensor in repository["sensors"]:
        found.graphql(STOP_SENSOR, id=sensor["sensorState"]["id"])
    for schedule in repository["schedules"]:
        found.graphql(STOP_SCHEDULE, id=schedule["scheduleState"]["id"])


def dump(found: Cluster) -> str:
    """The processes' last output, for a failing assertion's message."""
    parts = [f"--- {path.name}\n{path.read_text(errors='replace')[-2500:]}" for path in sorted(found.folder.glob("*.log"))]
    return "\n".join(parts)


__all__ = ["Cluster", "Merchant", "cluster", "dump", "json", "until"]
