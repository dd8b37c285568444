"""The deployment's settings and merchants, from the environment (and .env) and the tenants file if any."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from sync_pipeline.settings import Settings, load_settings
from sync_pipeline.tenants.file import load_tenants
from sync_pipeline.tenants.merchant import Merchants


class _TenantsFileSetting(BaseSettings):
    """Only SYNC_TENANTS_FILE, read as Settings reads it: whether the environment describes one merchant."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True,
                                      extra="ignore")
    sync_tenants_file: Path | None = None


def load_deployment(env_file: str | Path | None = ".env") -> tuple[Settings, Merchants]:
    """(the deployment-wide settings, the merchants). Without a tenants file the environment is the one
    merchant; with one, the SO24_*/ONGOING_* variables are not needed, and the deployment-wide settings
    (alerts, ledger, engine: what no merchant may set) are those every merchant shares."""
    path = _TenantsFileSetting(_env_file=env_file).sync_tenants_file
    if path is None:
        settings = load_settings(env_file)
        return settings, Merchants.single(settings)
    merchants = Merchants.from_file(load_tenants(path, env_file=env_file))
    return next(iter(merchants)).settings, merchants
