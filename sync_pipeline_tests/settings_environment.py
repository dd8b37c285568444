"""The environment a settings test starts from: only what the test sets, and the required settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REQUIRED = {
    "SO24_APPLICATION_ID": "11111111-1111-1111-1111-111111111111",
    "SO24_USERNAME": "demo@example.com",
    "SO24_PASSWORD": "demo-password",
    "ONGOING_BASE_URL": "https://api.ongoingsystems.se/Lager1",
    "ONGOING_GOODS_OWNER_CODE": "DEMO",
    "ONGOING_USERNAME": "demo",
    "ONGOING_PASSWORD": "wms-pass-4711",
}


def clear_settings(monkeypatch: pytest.MonkeyPatch, empty_folder: Path) -> None:
    """No settings from the developer's shell, nor from a stray .env in the working folder, leak into a test."""
    for name in list(os.environ):
        if name.upper().startswith(("SO24_", "ONGOING_", "SYNC_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(empty_folder)


def set_required(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
