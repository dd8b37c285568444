"""The README's main command: sandboxes plus `dagster dev`, with the code location loading cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import requests

from sync_pipeline_tests.ports import free_ports

PROJECT = Path(__file__).resolve().parents[2]
WORKSPACE_QUERY = """
{ workspaceOrError { __typename ... on Workspace { locationEntries { name
    locationOrLoadError { __typename ... on PythonError { message }
      ... on RepositoryLocation { repositories { name jobs { name } assetGroups { groupName } } } } } } } }
"""


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def test_demo_serves_the_ui_with_the_four_process_groups(tmp_path: Path) -> None:
    ui, erp, wms = free_ports(3)
    log = (tmp_path / "demo.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "sync_pipeline.cli", "demo", "--port", str(ui), "--erp-port", str(erp),
         "--wms-port", str(wms), "--dagster-home", str(tmp_path / "dagster_home")],
        cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a background pytest ignores SIGINT
    )
    try:
        wait_for(f"http://127.0.0.1:{erp}/_sandbox/state", 120)
        state = requests.get(f"http://127.0.0.1:{erp}/_sandbox/state", timeout=5).json()
        assert state["products"], "the demo catalogue is seeded"
        wait_for(f"http://127.0.0.1:{ui}/server_info", 120)
        deadline = time.monotonic() + 120  # generous for a loaded machine: the wait ends when the location loads
        location = None
        while location is None and time.monotonic() < deadline:
            with suppress(requests.RequestException):  # a busy server may answer late: ask again
                reply = requests.post(f"http://127.0.0.1:{ui}/graphql", json={"query": WORKSPACE_QUERY}, timeout=30)
                entries = reply.json()["data"]["workspaceOrError"]["locationEntries"]
                location = entries[0]["locationOrLoadError"] if entries else None
            if location is None:
                time.sleep(1)
        assert location is not None, "the code location never loaded"
        assert location["__typename"] == "RepositoryLocation", location
        repository = location["repositories"][0]
        groups = {group["groupName"] for group in repository["assetGroups"]}
        assert {"articles", "orders", "suppliers", "stock"} <= groups
        assert "sync_all" in {job["name"] for job in repository["jobs"]}
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
