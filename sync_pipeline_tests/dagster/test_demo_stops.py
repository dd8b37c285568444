"""`sync-pipeline demo` stops all of `dagster dev` (webserver, daemon, code servers) on SIGTERM, as on Ctrl+C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from sync_pipeline_tests.dagster.test_demo_command import PROJECT, wait_for
from sync_pipeline_tests.ports import free_ports


def session_members(session: int) -> dict[int, str]:
    """Live processes of a session (pid: command line): everything the demo started, in any process group."""
    members = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        state, _parent, _group, process_session = stat[stat.rindex(")") + 2:].split()[:4]
        if int(process_session) == session and state != "Z":
            members[int(entry.name)] = command[:100]  # enough to tell webserver, daemon and code server apart
    return members


def gone_within(session: int, seconds: float) -> dict[int, str]:
    deadline = time.monotonic() + seconds
    while (left := session_members(session)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


def kill_session(session: int) -> None:
    """SIGKILL whatever of the session is still alive (a member may end meanwhile: not an error here)."""
    for pid in session_members(session):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_sigterm_to_the_demo_stops_the_webserver_the_daemon_and_everything_else(tmp_path: Path) -> None:
    ui, erp, wms = free_ports(3)
    with (tmp_path / "demo.log").open("w") as log:
        demo = subprocess.Popen(
            [sys.executable, "-m", "sync_pipeline.cli", "demo", "--port", str(ui), "--erp-port", str(erp),
             "--wms-port", str(wms), "--dagster-home", str(tmp_path / "dagster_home")],
            cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{ui}/server_info", 180)
        started = session_members(demo.pid)
        assert any("dagster_webserver" in command for command in started.values()), started
        assert any("dagster._daemon" in command for command in started.values()), started

        os.kill(demo.pid, signal.SIGTERM)  # to the demo alone, as `kill <pid>` or a service manager sends it

        demo.wait(240)
        survivors = gone_within(demo.pid, 60)
        assert not survivors, f"still running after SIGTERM: {survivors}"
        assert demo.returncode == 0
    finally:
        kill_session(demo.pid)
        demo.wait(30)
