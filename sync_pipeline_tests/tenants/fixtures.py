"""Merchants side by side: each its own pair of sandbox processes, and a tenants file naming them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from sync_pipeline.sandbox.demo_stack import sandbox_environment
from sync_pipeline.sandbox.main import start
from sync_pipeline_tests.conftest import Admin


@dataclass
class MerchantStack:
    key: str
    erp: object
    wms: object
    erp_admin: Admin
    wms_admin: Admin
    environment: dict[str, str]

    def stop(self) -> None:
        self.erp.stop()  # type: ignore[attr-defined]
        self.wms.stop()  # type: ignore[attr-defined]


def tenants_document(stacks: list[MerchantStack], settings: dict[str, dict] | None = None) -> dict:
    """The tenants file for these merchants, passwords by reference to <KEY>_SO24_PASSWORD / _ONGOING_PASSWORD."""
    merchants = {}
    for stack in stacks:
        env, key = stack.environment, stack.key
        merchants[key] = {
            "erp": {"base_url": env["SO24_BASE_URL"], "application_id": env["SO24_APPLICATION_ID"],
                    "username": env["SO24_USERNAME"], "password": {"env": f"{key.upper()}_SO24_PASSWORD"}},
            "wms": {"base_url": env["ONGOING_BASE_URL"], "goods_owner_code": env["ONGOING_GOODS_OWNER_CODE"],
                    "username": env["ONGOING_USERNAME"], "password": {"env": f"{key.upper()}_ONGOING_PASSWORD"}},
            **({"settings": settings[key]} if settings and key in settings else {}),
        }
    return {"merchants": merchants}


def start_merchants(keys: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    settings: dict[str, dict] | None = None) -> list[MerchantStack]:
    stacks = []
    for key in keys:
        erp, wms = start("127.0.0.1", 0, 0, state=None, seed_demo=True)
        stacks.append(MerchantStack(key, erp, wms, Admin(erp.url), Admin(wms.url),
                                    sandbox_environment(erp.url, wms.url)))
    for name in list(os.environ):
        if name.upper().startswith(("SO24_", "ONGOING_", "SYNC_")):
            monkeypatch.delenv(name)
    for stack in stacks:
        monkeypatch.setenv(f"{stack.key.upper()}_SO24_PASSWORD", stack.environment["SO24_PASSWORD"])
        monkeypatch.setenv(f"{stack.key.upper()}_ONGOING_PASSWORD", stack.environment["ONGOING_PASSWORD"])
    path = tmp_path / "tenants.yaml"
    path.write_text(yaml.safe_dump(tenants_document(stacks, settings), sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("SYNC_TENANTS_FILE", str(path))
    monkeypatch.chdir(tmp_path)  # no stray .env
    return stacks


@pytest.fixture
def merchants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, MerchantStack]]:
    """Two merchants, acme and beta, each with its own seeded sandboxes."""
    stacks = start_merchants(["acme", "beta"], tmp_path, monkeypatch)
    yield {stack.key: stack for stack in stacks}
    for stack in stacks:
        stack.stop()
