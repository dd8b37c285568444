"""`sync-pipeline sandbox`: both sandboxes in one process until interrupted."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from sync_pipeline.sandbox.erp import ErpSandbox
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.wms import WmsSandbox

CREDENTIALS = """\
24SevenOffice sandbox  {erp}
  ApplicationId 11111111-1111-1111-1111-111111111111
  Username      demo@example.com
  Password      demo-password
Ongoing WMS sandbox    {wms}/sandbox   (service: {wms}/sandbox/service.asmx)
  GoodsOwnerCode DEMO
  UserName       demo
  Password       demo-password
Admin API: {erp}/_sandbox/state and {wms}/_sandbox/state (see README)"""


def start(host: str, erp_port: int, wms_port: int, state: str | None, seed_demo: bool) -> tuple[SandboxServer, SandboxServer]:
    """Start both sandboxes in background threads; the same SQLite file may hold both."""
    store_path = Path(state) if state else None
    erp = ErpSandbox(Store(store_path, namespace="erp:"))
    wms = WmsSandbox(Store(store_path, namespace="wms:"))
    if seed_demo:
        erp.seed_demo()
        wms.seed_demo()
    return (SandboxServer(erp, host, erp_port).start(), SandboxServer(wms, host, wms_port).start())


def serve(host: str, erp_port: int, wms_port: int, state: str | None, seed_demo: bool) -> int:
    erp, wms = start(host, erp_port, wms_port, state, seed_demo)
    print(CREDENTIALS.format(erp=erp.url, wms=wms.url), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    erp.stop()
    wms.stop()
    return 0
