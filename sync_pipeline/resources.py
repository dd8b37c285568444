"""Dagster resources: the two SOAP clients, configured from environment variables.

A zeep client is neither picklable nor thread-safe, so each resource builds its client lazily,
once per process and thread, and keeps it (and with it the ERP login session) across runs and
sensor ticks of that process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import dagster as dg

from sync_pipeline.erp import ErpClient, ErpConnection
from sync_pipeline.ledger import BackoffPolicy, Ledger, resolve_url
from sync_pipeline.ledger.engine import DEFAULT_FILE_NAME, DEFAULT_SCHEMA, sqlite_url
from sync_pipeline.ledger.backoff import DEFAULT_ATTEMPTS, DEFAULT_BASE_SECONDS, DEFAULT_MAX_SECONDS
from sync_pipeline.mapping.extra import erp_return_properties
from sync_pipeline.soap.transport import DEFAULT_MAX_REPLY_MB, MB
from sync_pipeline.wms import WmsClient, WmsConnection

if TYPE_CHECKING:
    from sync_pipeline.settings import Settings

C = TypeVar("C")
_local = threading.local()


def _cached(kind: str, key: tuple[Hashable, ...], build: Callable[[], C]) -> C:
    cache: dict[tuple[str, tuple[Hashable, ...]], Any] = _local.__dict__.setdefault("clients", {})
    if (kind, key) not in cache:
        cache[(kind, key)] = build()
    client: C = cache[(kind, key)]
    return client


class ErpResource(dg.ConfigurableResource):
    """24SevenOffice: base URL, application id, user and password (from SO24_* variables)."""

    base_url: str
    application_id: str
    username: str
    password: str
    identity_id: str | None = None
    timeout_seconds: float = 30.0
    max_reply_mb: int = DEFAULT_MAX_REPLY_MB  # larger replies are refused
    # Return properties asked for besides the models' own, by record: the extra fields' sources.
    extra_properties: dict[str, list[str]] = {}
    requests_per_hour: int | None = None  # the login's request budget (SYNC_ERP_REQUESTS_PER_HOUR)
    merchant: str | None = None  # the tenants file's key, for the budget's message

    def client(self) -> ErpClient:
        extra = {record: tuple(names) for record, names in sorted(self.extra_properties.items())}
        key = (self.base_url, self.application_id, self.username, self.password, self.identity_id, self.max_reply_mb,
               tuple(extra.items()), self.requests_per_hour, self.merchant)
        return _cached("erp", key, lambda: ErpClient(ErpConnection(
            base_url=self.base_url, application_id=UUID(self.application_id), username=self.username,
            password=self.password, identity_id=UUID(self.identity_id) if self.identity_id else None,
            timeout=self.timeout_seconds, max_reply_bytes=self.max_reply_mb * MB,
            requests_per_hour=self.requests_per_hour, merchant=self.merchant), extra_properties=extra))


class WmsResource(dg.ConfigurableResource):
    """Ongoing WMS: warehouse URL, goods owner code, user and password (from ONGOING_* variables)."""

    base_url: str
    goods_owner_code: str
    username: str
    password: str
    timeout_seconds: float = 30.0
    max_reply_mb: int = DEFAULT_MAX_REPLY_MB  # larger replies are refused

    def client(self) -> WmsClient:
        key = (self.base_url, self.goods_owner_code, self.username, self.password, self.max_reply_mb)
        return _cached("wms", key, lambda: WmsClient(WmsConnection(
            base_url=self.base_url, goods_owner_code=self.goods_owner_code, username=self.username,
            password=self.password, timeout=self.timeout_seconds, max_reply_bytes=self.max_reply_mb * MB)))


SECRET_VARIABLES = ("SO24_PASSWORD", "ONGOING_PASSWORD")
_ledgers: dict[tuple[str, str, BackoffPolicy], Ledger] = {}
_ledgers_lock = threading.Lock()


class LedgerResource(dg.ConfigurableResource):
    """The sync ledger: SYNC_LEDGER_URL, else sync_ledger.sqlite in the Dagster instance's home.

    One Ledger per process (it is safe across threads). The connections' passwords are masked in
    any failure reason it stores; they are read from the environment here, never kept in the
    resource's configuration (which the UI shows).
    """

    url: str | None = None
    # When a failed record is retried and dead-lettered (SYNC_RETRY_*, checked by the settings).
    retry_base_seconds: int = DEFAULT_BASE_SECONDS
    retry_max_seconds: int = DEFAULT_MAX_SECONDS
    retry_attempts: int = DEFAULT_ATTEMPTS

    def ledger(self, home: str | None = None, schema: str = DEFAULT_SCHEMA,
               file_name: str = DEFAULT_FILE_NAME) -> Ledger:
        """The ledger; `schema` (PostgreSQL) and `file_name` (SQLite) keep each merchant's apart."""
        url = merchant_url(resolve_url(self.url, {"DAGSTER_HOME": home} if home else None), file_name)
        backoff = BackoffPolicy.in_seconds(self.retry_base_seconds, self.retry_max_seconds, self.retry_attempts)
        with _ledgers_lock:
            if (url, schema, backoff) not in _ledgers:
                secrets = [os.environ.get(name, "") for name in SECRET_VARIABLES]
                _ledgers[url, schema, backoff] = Ledger(url, schema=schema, backoff=backoff,
                                                        secrets=[s for s in secrets if s])
            return _ledgers[url, schema, backoff]


def merchant_url(url: str, file_name: str) -> str:
    """A SQLite ledger's URL with the merchant's own file beside the configured one (PostgreSQL: unchanged)."""
    if file_name == DEFAULT_FILE_NAME or not url.startswith("sqlite"):
        return url
    return sqlite_url(Path(url.split("///", 1)[1]).with_name(file_name))


def erp_resource(settings: Settings, password: Any, merchant: str | None = None) -> ErpResource:
    return ErpResource(
        requests_per_hour=settings.sync_erp_requests_per_hour,
        merchant=merchant,
        base_url=settings.so24_base_url,
        application_id=str(settings.so24_application_id),
        username=settings.so24_username,
        password=password,
        identity_id=str(settings.so24_identity_id) if settings.so24_identity_id else None,
        max_reply_mb=settings.sync_max_reply_mb,
        extra_properties={record: list(names) for record, names
                          in erp_return_properties(settings.sync_extra_fields).items()},
    )


def wms_resource(settings: Settings, password: Any) -> WmsResource:
    return WmsResource(
        base_url=settings.ongoing_base_url,
        goods_owner_code=settings.ongoing_goods_owner_code,
        username=settings.ongoing_username,
        password=password,
        max_reply_mb=settings.sync_max_reply_mb,
    )


def ledger_resource(settings: Settings, url: Any = None) -> LedgerResource:
    """The ledger resource; `url` None: SYNC_LEDGER_URL by reference when set (the UI shows its name only)."""
    return LedgerResource(
        url=url if url is not None else dg.EnvVar("SYNC_LEDGER_URL") if settings.sync_ledger_url else None,
        retry_base_seconds=settings.sync_retry_base_seconds,
        retry_max_seconds=settings.sync_retry_max_seconds,
        retry_attempts=settings.sync_retry_attempts,
    )


def resources_from_env(settings: Settings, merchants: Any = None) -> dict[str, Any]:
    """Secrets as EnvVar, so the UI shows the variable's name and never its value.

    The settings were validated already (clear messages per wrong value); the non-secret values
    come from them, with their defaults applied. The settings themselves are the resource "settings":
    assets receive them (dg.ResourceParam[Settings]) instead of reading the environment again.
    `merchants` (sync_pipeline/tenants): whom the assets serve; default: the environment's one merchant.
    """
    from sync_pipeline.tenants import Merchants  # tenants builds its clients with this module's resources

    merchants = merchants if merchants is not None else Merchants.single(settings)
    if merchants.partitioned:  # each merchant's logins are in the tenants file, by reference
        return {"settings": settings, "merchants": merchants}
    # One merchant: its connections shown in the UI's resources (passwords by variable name).
    return {
        "settings": settings,
        "merchants": merchants,
        "erp": erp_resource(settings, dg.EnvVar("SO24_PASSWORD")),
        "wms": wms_resource(settings, dg.EnvVar("ONGOING_PASSWORD")),
        "ledger": ledger_resource(settings),
    }
