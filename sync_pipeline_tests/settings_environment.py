"""The environment a settings test starts from: only what the test sets, and the required settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sync_pipeline.settings import Settings, SettingsError

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


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """Settings from the required environment plus `env`."""
    for name, value in {**REQUIRED, **env}.items():
        monkeypatch.setenv(name, value)
    return Settings.load()


def problems(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    """The lines a refused environment is refused with."""
    with pytest.raises(SettingsError) as refused:
        load(monkeypatch, **env)
    return refused.value.problems
