"""`sync-pipeline demo`: both sandboxes with demo data, and `dagster dev` pointed at them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sync_pipeline.sandbox.erp.auth import Credentials as ErpCredentials
from sync_pipeline.sandbox.main import login_banner, start
from sync_pipeline.sandbox.merchants import ensure_demo_merchants, merchants_banner, password_environment, tenants_file
from sync_pipeline.sandbox.wms.credentials import Credentials as WmsCredentials
from sync_pipeline.sandbox.wms.system import WAREHOUSE
from sync_pipeline.stock.history import FILES_FOLDER as STOCK_HISTORY_FOLDER


def sandbox_environment(erp_url: str, wms_url: str) -> dict[str, str]:
    """The environment variables that point the pipeline at running sandboxes."""
    erp, wms = ErpCredentials(), WmsCredentials()
    return {
        "SO24_BASE_URL": erp_url,
        "SO24_APPLICATION_ID": erp.application_id,
        "SO24_USERNAME": erp.username,
        "SO24_PASSWORD": erp.password,
        "ONGOING_BASE_URL": f"{wms_url}/{WAREHOUSE}",
        "ONGOING_GOODS_OWNER_CODE": wms.goods_owner_code,
        "ONGOING_USERNAME": wms.username,
        "ONGOING_PASSWORD": wms.password,
    }


# The embedded SQLite storage (no storage key), with the same one-writer pool, run queue, one run at a
# time per merchant and sensor threads as production (dagster.yaml).
LOCAL_INSTANCE = """\
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: 1
    dequeue_use_threads: true
    dequeue_num_workers: 4
sensors:
  use_threads: true
  num_workers: 4
concurrency:
  runs:
    tag_concurrency_limits:
      - key: sync_pipeline/merchant
        value: {applyLimitPerUniqueValue: true}
        limit: 1
      - key: dagster/partition
        value: {applyLimitPerUniqueValue: true}
        limit: 1
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


# What the demo keeps in its DAGSTER_HOME besides dagster.yaml: the sandboxes' data, the sync ledger
# (its default file there) and Dagster's own storage (runs, materializations, sensor cursors, IO
# manager files, the stock cycles' files). Kept or removed together, so the ledger never remembers writes
# the sandboxes lost.
SANDBOX_STATE = "sandboxes.sqlite"
TENANTS_FILE = "tenants.yaml"  # written by --merchants, for the sandboxes' merchants
DEMO_STATE = (SANDBOX_STATE, TENANTS_FILE, "sync_ledger.sqlite", "sync_ledger_*.sqlite", "history", "storage",
              "schedules", "logs", STOCK_HISTORY_FOLDER)


def reset_demo_state(home: Path) -> None:
    """Remove the demo's sandbox data, ledger and Dagster storage (dagster.yaml stays)."""
    for name in DEMO_STATE:
        for path in (*home.glob(name), *(p for suffix in ("-wal", "-shm", "-journal") for p in home.glob(f"{name}{suffix}"))):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


def run_demo(project: Path, host: str = "127.0.0.1", ui_port: int = 3000, erp_port: int = 8024,
             wms_port: int = 8025, dagster_home: Path | None = None, fresh: bool = False, merchants: int = 0) -> int:
    """Sandboxes with demo data and `dagster dev` pointed at them; with `merchants`, that many merchants
    (ERP clients and goods owners of the same sandboxes) in a tenants file, else the default ones."""
    home = dagster_home or project / ".dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    if fresh:
        reset_demo_state(home)
    state = home / SANDBOX_STATE
    new = not state.exists()
    # Seeded once, when the state is new: a restart keeps what the demo's runs wrote.
    erp, wms = start(host, erp_port, wms_port, state=str(state), seed_demo=new)
    demo_merchants = ensure_demo_merchants(erp, wms, merchants)
    print(login_banner(erp.url, wms.url), flush=True)
    if demo_merchants:
        print(merchants_banner(demo_merchants), flush=True)
    print(f"Demo state ({'new' if new else 'kept from the last run'}) in {home}: sandboxes, ledger and "
          "Dagster's storage, kept across restarts; `--fresh` starts them all anew", flush=True)
    instance_config = home / "dagster.yaml"
    if not instance_config.exists():
        instance_config.write_text(LOCAL_INSTANCE)
    env = {**os.environ, **sandbox_environment(erp.url, wms.url), "DAGSTER_HOME": str(home),
           "SYNC_UI_BASE_URL": f"http://{host}:{ui_port}"}
    env.pop("SYNC_TENANTS_FILE", None)
    tenants = home / TENANTS_FILE
    if demo_merchants:
        tenants.write_text(tenants_file(demo_merchants, erp.url, wms.url))
        env.update(password_environment(demo_merchants), SYNC_TENANTS_FILE=str(tenants))
        print(f"Tenants file: {tenants} ({len(demo_merchants)} merchants, SYNC_TENANTS_FILE)", flush=True)
    elif tenants.exists():
        tenants.unlink()  # without --merchants the demo is the one merchant of SO24_*/ONGOING_*
    # The ledger and the stock history live beside the sandboxes' state, so all restart (and --fresh) alike.
    for name in ("SYNC_LEDGER_URL", "SYNC_STOCK_HISTORY_URL"):
        env.pop(name, None)
    print(f"Dagster UI: http://{host}:{ui_port}  (Ctrl+C stops everything)", flush=True)
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(project / "workspace.yaml"),
               "-h", host, "-p", str(ui_port)]
    try:
        return run_until_stopped(command, cwd=project, env=env)
    finally:
        erp.stop()
        wms.stop()


# Ctrl+C, `kill`/systemd/docker stop, and the terminal closing.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# dagster dev gives each of its webserver and daemon 60 s to stop before it kills them.
STOP_GRACE_SECONDS = 150.0


def run_until_stopped(command: list[str], **popen: Any) -> int:
    """Run dagster dev; on a STOP_SIGNALS signal ask it to stop (as Ctrl+C does) and wait until it has.

    It runs in its own process group, so a stop reaches it once, from here, whichever signal came
    and whoever sent it; dagster dev then stops its webserver and daemon itself. Whatever is left
    of its group STOP_GRACE_SECONDS after the request is killed.
    """
    requested_at: list[float] = []

    def request_stop(_signal: int, _frame: object) -> None:
        requested_at.append(time.monotonic())

    previous = {number: signal.signal(number, request_stop) for number in STOP_SIGNALS}
    try:
        dagster = subprocess.Popen(command, process_group=0, **popen)
        asked = False
        while True:
            if requested_at and not asked:
                dagster.send_signal(signal.SIGINT)
                asked = True
            try:
                code = dagster.wait(timeout=0.5)
                return 0 if requested_at else code
            except subprocess.TimeoutExpired:
                if requested_at and time.monotonic() - requested_at[0] > STOP_GRACE_SECONDS:
                    os.killpg(dagster.pid, signal.SIGKILL)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
