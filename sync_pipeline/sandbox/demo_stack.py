"""`sync-pipeline demo`: both sandboxes with demo data, and `dagster dev` pointed at them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sync_pipeline.sandbox.main import CREDENTIALS, start

SANDBOX_ENV = {
    "SO24_APPLICATION_ID": "11111111-1111-1111-1111-111111111111",
    "SO24_USERNAME": "demo@example.com",
    "SO24_PASSWORD": "demo-password",
    "ONGOING_GOODS_OWNER_CODE": "DEMO",
    "ONGOING_USERNAME": "demo",
    "ONGOING_PASSWORD": "demo-password",
}


def sandbox_environment(erp_url: str, wms_url: str) -> dict[str, str]:
    """The environment variables that point the pipeline at running sandboxes."""
    return {**SANDBOX_ENV, "SO24_BASE_URL": erp_url, "ONGOING_BASE_URL": f"{wms_url}/sandbox"}


def run_demo(project: Path, host: str = "127.0.0.1", ui_port: int = 3000, erp_port: int = 8024,
             wms_port: int = 8025) -> int:
    erp, wms = start(host, erp_port, wms_port, state=None, seed_demo=True)
    print(CREDENTIALS.format(erp=erp.url, wms=wms.url), flush=True)
    home = project / ".dagster_home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, **sandbox_environment(erp.url, wms.url), "DAGSTER_HOME": str(home)}
    print(f"Dagster UI: http://{host}:{ui_port}  (Ctrl+C stops everything)", flush=True)
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(project / "workspace.yaml"),
               "-h", host, "-p", str(ui_port)]
    try:
        return subprocess.call(command, cwd=project, env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        erp.stop()
        wms.stop()
