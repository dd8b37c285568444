"""PF8's world: the merchants' ERP clients and goods owners in one pair of sandboxes, in a child process.

Each merchant is a tenant of the sandboxes as `sync-pipeline sandbox --merchants N` makes them
(merchant_1 …, its own demo catalogue, customers and orders), so the benchmark process holds only the
pipeline and its CPU time is the pipeline's. The tenants file names them with passwords by variable,
as the demo's does.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import requests
import yaml

from benchmarks.common import environment, stop_child
from sync_pipeline.sandbox.main import start
from sync_pipeline.sandbox.merchants import ensure_demo_merchants, password_environment, tenants_file

PATIENCE = 600  # seconds the child may take to start and seed on a loaded machine


@dataclass(frozen=True)
class World:
    erp_url: str
    wms_url: str
    tenants: dict[str, Any]  # the tenants file of every merchant served
    passwords: dict[str, str]  # the variables it names

    def admin(self, system: str, method: str, route: str, body: Any = None) -> Any:
        url = self.erp_url if system == "erp" else self.wms_url
        reply = requests.request(method, f"{url}/_sandbox/{route}", json=body, timeout=120)
        reply.raise_for_status()
        return reply.json()

    def confirm_orders(self, merchant: str, records: list[dict[str, Any]]) -> None:
        self.admin("erp", "POST", f"clients/{merchant}/orders", records)

    def arrivals(self, merchant: str) -> dict[int, float]:
        """When each of the merchant's orders first reached its warehouse (ProcessOrder, from the call log)."""
        found: dict[int, float] = {}
        for entry in self.admin("wms", "GET", f"goods-owners/{merchant.upper()}/calls")["log"]:
            key = entry.get("key") or ""
            if entry["operation"] == "ProcessOrder" and entry["outcome"] == "ok" and key.isdigit():
                found.setdefault(int(key), datetime.fromisoformat(entry["time"]).timestamp())
        return found

    def write_tenants(self, path: Path, merchants: list[str]) -> Path:
        chosen = {key: self.tenants["merchants"][key] for key in merchants}
        path.write_text(yaml.safe_dump({"merchants": chosen}, sort_keys=False), encoding="utf-8")
        return path


def _serve(count: int, connection: Connection) -> None:
    erp, wms = start("127.0.0.1", 0, 0, state=None, seed_demo=False)
    try:
        merchants = ensure_demo_merchants(erp, wms, count)
        connection.send((erp.url, wms.url, tenants_file(merchants, erp.url, wms.url),
                         password_environment(merchants)))
        connection.recv()  # anything, or the parent's end closing: stop
    except EOFError:
        pass
    finally:
        erp.stop()
        wms.stop()


@contextmanager
def served(count: int) -> Iterator[World]:
    """merchant_1 … merchant_<count> served by sandboxes in a child process."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve, args=(count, theirs), name="pf8-sandboxes", daemon=True)
    child.start()
    try:
        if not ours.poll(PATIENCE):
            raise RuntimeError(f"the sandboxes did not serve {count} merchants within {PATIENCE} s")
        erp_url, wms_url, tenants, passwords = ours.recv()
        yield World(erp_url, wms_url, yaml.safe_load(tenants), passwords)
    finally:
        stop_child(ours, child)


@contextmanager
def deployment(world: World, home: Path, merchants: list[str]) -> Iterator[None]:
    """The environment a code location serving `merchants` reads: their tenants file, passwords, home."""
    wanted = {**world.passwords, "DAGSTER_HOME": str(home),
              "SYNC_TENANTS_FILE": str(world.write_tenants(home / "tenants.yaml", merchants))}
    with environment(wanted, cleared=("SYNC_", "SO24_", "ONGOING_")):
        yield
