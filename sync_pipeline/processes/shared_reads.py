"""The ERP's product catalogue read once per run, shared by the steps that need all of it (PF11).

Articles with variants (the variant catalogue), suppliers (the products carrying a changed supplier)
and stock (the full comparison) each want every product. In one run of one merchant they get one
GetProducts read: the first step that needs it reads it, the later steps of the same run take it,
and an articles delta is cut from it when the run reads it anyway.

Sharing is keyed by the merchant's ERP client (one per connection: one merchant) and the run's id,
so two merchants or two runs never share a read. With the Celery executor (SYNC_CELERY_BROKER_URL,
ProcessConfig.share_reads off) each step reads for itself, even on a worker that ran an earlier
step of the same run. The read is dropped when
the run writes a product (SetStockQuantity): no step ever sees the catalogue older than the run's
own writes. What other users change in the ERP during the run is met as if it had changed just
after the read: the cursors read it next time and the stock write guard re-reads the balances it
writes over (sync/stock.py).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sync_pipeline.erp.client import changed_after
from sync_pipeline.erp.models import Product, ProductPages
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.forwarding import ForwardingErp
from sync_pipeline.processes.protocols import Erp
from sync_pipeline.soap.errors import RecordError

# The service rounds a ChangedAfter/DateChanged search to the nearest second: a search reaches back
# at most half a second before the value the client sends.
SERVICE_ROUNDING = timedelta(seconds=0.5)


class _Catalogue:
    """Every product as read once, or nothing yet; safe to share between the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._products: list[Product] | None = None

    def get(self, read: Any) -> list[Product]:
        with self._lock:
            if self._products is None:
                self._products = read()
            return self._products

    def held(self) -> list[Product] | None:
        with self._lock:
            return self._products

    def drop(self) -> None:
        with self._lock:
            self._products = None


_runs_lock = threading.Lock()
# The merchant's ERP client -> (run id, that run's catalogue). Weak: a client gone takes its read along.
_runs: weakref.WeakKeyDictionary[Any, tuple[str, _Catalogue]] = weakref.WeakKeyDictionary()


def catalogue_wanted(config: ProcessConfig) -> bool:
    """Whether the articles' delta step reads the whole catalogue anyway: variants name articles from it,
    and a later step of the run compares stock against it unless the change feed narrows that to the
    changed articles (only when the steps share reads)."""
    feed = config.stock_change_feed and config.stock_basis == "physical"
    return config.variants is not None or (config.share_reads and config.sync_stock and not feed)


def shared_for_run(erp: Erp, run_id: str | None, *, wanted: bool) -> CatalogueOnce:
    """`erp` with the product catalogue shared by every step of run `run_id` given this same client.

    run_id None: shared within this step only. wanted: the run reads the catalogue anyway, so an
    articles delta is cut from it rather than read on its own.
    """
    if run_id is None:
        return CatalogueOnce(erp, _Catalogue(), wanted=wanted)
    with _runs_lock:
        held = _runs.get(erp)
        if held is None or held[0] != run_id:  # a new run of this merchant: the last one's read goes
            held = (run_id, _Catalogue())
            _runs[erp] = held
    return CatalogueOnce(erp, held[1], wanted=wanted)


def changed_at_or_after(products: Iterable[Product], since: datetime) -> list[Product]:
    """What a search for products changed since `since` returns, cut from a read of all of them.

    At least the service's answer (it reaches back to the rounded ChangedAfter the client sends); the
    few older ones it adds are the ones the cursor's overlap reads twice anyway (sync/cursor.py)."""
    floor = changed_after(since) - SERVICE_ROUNDING
    return [p for p in products if p.DateChanged is None or p.DateChanged >= floor]


class CatalogueOnce(ForwardingErp):
    """24SevenOffice for one step: products_changed_since(None) read once per run (reads by id, as the
    stock write guard's and re-drives', always go to the service); the rest passes through."""

    def __init__(self, erp: Erp, catalogue: _Catalogue, *, wanted: bool):
        super().__init__(erp)
        self._catalogue, self._wanted = catalogue, wanted

    def products_changed_since(self, since: datetime | None) -> list[Product]:
        if since is None:
            return self._catalogue.get(lambda: self._erp.products_changed_since(None))
        everything = self._catalogue.get(lambda: self._erp.products_changed_since(None)) if self._wanted \
            else self._catalogue.held()
        if everything is None:
            return self._erp.products_changed_since(since)
        return changed_at_or_after(everything, since)

    def product_pages(self, since: datetime | None) -> ProductPages:
        """The whole catalogue in pages (ErpClient.product_pages) unless the run reads or has read it anyway."""
        if since is None and not self._wanted and self._catalogue.held() is None:
            return self._erp.product_pages(None)
        return ProductPages.one_read(self.products_changed_since(since))

    def set_stock_quantity(self, product_id: int, quantity: Decimal | int) -> RecordError | None:
        self._catalogue.drop()  # before the write: a read after it must see it, whatever its reply
        return self._erp.set_stock_quantity(product_id, quantity)
