"""A merchant: its key, its settings, and from them its clients, ledger and stock history.

A deployment without a tenants file has one merchant, made of the environment (key None): its ledger,
stock history and Dagster assets are exactly those of a one-merchant deployment (no partitions). With
a tenants file every merchant has its own ledger (a SQLite file or a PostgreSQL schema of its own), its
own stock history, its own logins, and is a partition of every process asset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sync_pipeline.erp import ErpClient
from sync_pipeline.ledger import Ledger
from sync_pipeline.ledger.engine import DEFAULT_FILE_NAME, DEFAULT_SCHEMA
from sync_pipeline.resources import erp_resource, ledger_resource, wms_resource
from sync_pipeline.settings import Settings
from sync_pipeline.wms import WmsClient

if TYPE_CHECKING:
    from sync_pipeline.stock.history import StockHistoryStore


@dataclass(frozen=True)
class Merchant:
    """One merchant's settings (validated) and where its records are kept."""

    key: str | None  # None: the one merchant of a deployment without a tenants file
    settings: Settings = field(repr=False)

    @property
    def name(self) -> str:
        """How alerts and metadata name the merchant."""
        return self.key or "the merchant"

    @property
    def ledger_schema(self) -> str:
        return DEFAULT_SCHEMA if self.key is None else f"{DEFAULT_SCHEMA}_{self.key}"

    @property
    def ledger_file_name(self) -> str:
        return DEFAULT_FILE_NAME if self.key is None else f"sync_ledger_{self.key}.sqlite"

    @property
    def goods_owner(self) -> str:
        """The warehouse and goods owner this merchant writes to (one writer at a time each)."""
        return f"{self.settings.ongoing_base_url.rstrip('/')}#{self.settings.ongoing_goods_owner_code}"

    def erp(self) -> ErpClient:
        return erp_resource(self.settings, self.settings.so24_password.get_secret_value(), self.key).client()

    def wms(self) -> WmsClient:
        return wms_resource(self.settings, self.settings.ongoing_password.get_secret_value()).client()

    def ledger(self, home: str | None = None) -> Ledger:
        url = self.settings.sync_ledger_url
        resource = ledger_resource(self.settings, url.get_secret_value() if url is not None else "")
        return resource.ledger(home, schema=self.ledger_schema, file_name=self.ledger_file_name)

    def stock_history(self, home: str | Path | None = None) -> StockHistoryStore:
        # pandas: loaded by the runs that keep stock history, not by every run's code location load
        from sync_pipeline.stock.history import FILES_FOLDER, database_of, store_for

        if self.key is None:
            return store_for(database_of(self.settings), home)
        return store_for(database_of(self.settings), home, schema=self.ledger_schema,
                         folder=f"{FILES_FOLDER}/{self.key}")


@dataclass(frozen=True)
class Merchants:
    """The deployment's merchants, in the tenants file's order (one, keyed None, without a file)."""

    merchants: tuple[Merchant, ...]

    @classmethod
    def single(cls, settings: Settings) -> Merchants:
        return cls((Merchant(None, settings),))

    @classmethod
    def from_file(cls, tenants: dict[str, Settings]) -> Merchants:
        return cls(tuple(Merchant(key, settings) for key, settings in tenants.items()))

    @property
    def partitioned(self) -> bool:
        """Whether the assets are partitioned by merchant (a tenants file is in use)."""
        return self.merchants[0].key is not None

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.merchants if m.key is not None]

    def __iter__(self) -> Iterator[Merchant]:
        return iter(self.merchants)

    def __len__(self) -> int:
        return len(self.merchants)

    def get(self, key: str | None) -> Merchant:
        """The merchant of a partition key (None: the only one); KeyError naming the unknown key."""
        if key is None and len(self.merchants) == 1:
            return self.merchants[0]
        if key is None:
            raise KeyError(f"the tenants file lists {len(self.merchants)} merchants ({', '.join(self.keys)}): name one")
        for merchant in self.merchants:
            if merchant.key == key:
                return merchant
        raise KeyError(f"no merchant {key!r} in the tenants file (merchants: {', '.join(self.keys)})")
