"""`sync-pipeline sandbox`: both sandboxes in one process until interrupted."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from sync_pipeline.sandbox.erp import ErpSandbox
from sync_pipeline.sandbox.erp.auth import Credentials as ErpCredentials
from sync_pipeline.sandbox.erp.tenants import ErpClients
from sync_pipeline.sandbox.merchants import ensure_demo_merchants, merchants_banner
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.wms import WmsSandbox
from sync_pipeline.sandbox.wms.credentials import Credentials as WmsCredentials
from sync_pipeline.sandbox.wms.system import WAREHOUSE
from sync_pipeline.sandbox.wms.tenants import GoodsOwners


def login_banner(erp_url: str, wms_url: str) -> str:
    """Where the sandboxes are and how to log in to them, as printed at start."""
    erp, wms = ErpCredentials(), WmsCredentials()
    return f"""\
24SevenOffice sandbox  {erp_url}
  ApplicationId {erp.application_id}
  Username      {erp.username}
  Password      {erp.password}
Ongoing WMS sandbox    {wms_url}/{WAREHOUSE}   (service: {wms_url}/{WAREHOUSE}/service.asmx)
  GoodsOwnerCode {wms.goods_owner_code}
  UserName       {wms.username}
  Password       {wms.password}
Admin API: {erp_url}/_sandbox/state and {wms_url}/_sandbox/state (see README); more tenants:
  {erp_url}/_sandbox/clients and {wms_url}/_sandbox/goods-owners"""


def start(host: str, erp_port: int, wms_port: int, state: str | None, seed_demo: bool) -> tuple[SandboxServer, SandboxServer]:
    """Start both sandboxes in background threads; the same SQLite file may hold both, and every tenant
    made in them (ERP clients, goods owners), which come back when it is opened again."""
    store_path = Path(state) if state else None
    erp = ErpSandbox(Store(store_path, namespace="erp:"))
    wms = WmsSandbox(Store(store_path, namespace="wms:"))
    if seed_demo:
        erp.seed_demo()
        wms.seed_demo()
    return (SandboxServer(erp, host, erp_port, tenancy=ErpClients(store_path, erp.credentials)).start(),
            SandboxServer(wms, host, wms_port, tenancy=GoodsOwners(store_path, wms.credentials)).start())


def serve(host: str, erp_port: int, wms_port: int, state: str | None, seed_demo: bool, merchants: int = 0) -> int:
    stop = threading.Event()
    # Before the banner: whoever starts us may send SIGTERM as soon as it has read it.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    erp, wms = start(host, erp_port, wms_port, state, seed_demo)
    demo_merchants = ensure_demo_merchants(erp, wms, merchants)
    print(login_banner(erp.url, wms.url), flush=True)
    if demo_merchants:
        print(merchants_banner(demo_merchants), flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    erp.stop()
    wms.stop()
    return 0
