"""`sync-pipeline demo` restarts consistently: the sandboxes' data and the sync ledger are kept
together across a restart, and `--fresh` empties both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from sync_pipeline.ledger import Ledger
from sync_pipeline.ledger.engine import sqlite_url
from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline_tests.dagster.test_demo_command import PROJECT, wait_for
from sync_pipeline_tests.dagster.test_demo_stops import gone_within, kill_session
from sync_pipeline_tests.ports import free_ports


@contextmanager
def demo(home: Path, log: Path, *options: str) -> Iterator[tuple[str, str]]:
    """The demo running (its UI up), as (ERP url, WMS url); stopped with SIGTERM, as a service manager stops it."""
    ui, erp, wms = free_ports(3)
    with log.open("a") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "sync_pipeline.cli", "demo", "--port", str(ui), "--erp-port", str(erp),
             "--wms-port", str(wms), "--dagster-home", str(home), *options],
            cwd=PROJECT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{ui}/server_info", 180)
        yield f"http://127.0.0.1:{erp}", f"http://127.0.0.1:{wms}"
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(240) == 0, log.read_text()[-4000:]
        assert not gone_within(process.pid, 60)
    finally:
        kill_session(process.pid)
        process.wait(30)


def warehouse_articles(wms: str) -> set[str]:
    state = requests.get(f"{wms}/_sandbox/state", timeout=30).json()
    return {article["ArticleNumber"] for article in state["articles"]}


def ledger_articles(home: Path) -> set[str]:
    ledger = Ledger(sqlite_url(home / "sync_ledger.sqlite"))
    try:
        return set(ledger.keys_in_states("article", ["sent"]))
    finally:
        ledger.close()


def materialize_articles(home: Path, erp: str, wms: str) -> None:
    """What an operator types to sync the articles into the demo's warehouse."""
    env = {**os.environ, **sandbox_environment(erp, wms), "DAGSTER_HOME": str(home)}
    env.pop("SYNC_LEDGER_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "sync_pipeline.definitions",
         "--select", "wms_articles"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]


def test_a_restart_keeps_sandboxes_and_ledger_together_and_fresh_empties_both(tmp_path: Path) -> None:
    home, log = tmp_path / "dagster_home", tmp_path / "demo.log"
    with demo(home, log) as (erp, wms):
        assert warehouse_articles(wms) == set(), "a new demo's warehouse holds no articles yet"
        materialize_articles(home, erp, wms)
        written = warehouse_articles(wms)
        assert written, "the run wrote articles"
        remembered = ledger_articles(home)  # by the ERP's product key
        assert len(remembered) == len(written), "the ledger remembers each article it wrote"

    with demo(home, log) as (erp, wms):
        assert warehouse_articles(wms) == written, "the restarted warehouse still holds what was written"
        assert ledger_articles(home) == remembered, "and the ledger still says so"

    with demo(home, log, "--fresh") as (erp, wms):
        assert warehouse_articles(wms) == set()
        assert ledger_articles(home) == set()
        products = requests.get(f"{erp}/_sandbox/state", timeout=30).json()["products"]
        assert products, "a fresh demo is seeded again"
