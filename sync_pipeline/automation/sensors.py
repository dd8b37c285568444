"""Sensors: fast paths for new ERP orders and shipped WMS orders (the alert sensors: alert_sensors.py).

The two fast-path sensors keep a cursor so that each change starts one run, not one per tick:

- erp_new_orders keeps the ERP's own change times (a sync Cursor: the newest DateChanged seen and
  the versions handled near it), so the two machines' clocks never need to agree and an order read
  again in the overlap is not counted twice. Each look is one 24SevenOffice request (GetInvoices by
  ChangedAfter; a cursor older than a few hours the long way): its rate limit counts every look.
- wms_shipped_orders reads orders changed since its last look (less a minute for clock skew) and
  remembers which of those were already shipped, so only newly shipped orders start a run. Its looks
  cost Ongoing requests, none of 24SevenOffice's, so it may look more often than the ERP sensor
  (SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS).

A run erp_new_orders requests writes the changed articles before the orders only when an order names a
product the ledger does not have as written to the warehouse (or the ledger cannot tell): otherwise it
selects the orders asset alone, and spares 24SevenOffice the articles' GetProducts. Product changes of
articles the warehouse has already are the schedule's sync_all's to carry.

Each tick reads one system and notes whether it got through (outages.py): the first tick that cannot
reach it alerts the outage's start, the first that reaches it again its end.

Run keys, tags and skip messages carry order numbers and counts only: never a URL or credential.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable, TypeAlias

import dagster as dg

from sync_pipeline.assets.merchant_scope import MERCHANT_TAG
from sync_pipeline.automation.alerts import Notifier
from sync_pipeline.automation.outages import ERP, WMS, watching
from sync_pipeline.erp.models import InvoiceOrder, service_text
from sync_pipeline.ledger import Kind, LedgerEntry, LedgerError, State
from sync_pipeline.mapping import order_key
from sync_pipeline.mapping.order import invoice_rows, is_product_row
from sync_pipeline.processes.registry import process_named
from sync_pipeline.tenants import Merchant, Merchants
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, unseen
from sync_pipeline.sync.shipped import CLOCK_SKEW, LAST_SHIPPED_STATUS

FIRST_LOOK_BACK = timedelta(hours=1)  # how far back a sensor without a cursor looks
SHOWN_ORDERS = 20  # order numbers named in a tag; the count is always complete
TRIGGER_TAG = "sync_pipeline/trigger"
ORDERS_TAG = "sync_pipeline/orders"
ORDERS_ASSET = dg.AssetKey(process_named("orders").asset.key)
Job: TypeAlias = "dg.JobDefinition | dg.UnresolvedAssetJobDefinition"  # dagster has the second only for type checkers


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _run_key(prefix: str, items: Iterable[str]) -> str:
    """The same changes give the same key (Dagster then starts no second run for them)."""
    digest = hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()[:16]
    return f"{prefix}-{digest}"


def sensor_name(base: str, merchant: str | None) -> str:
    """One sensor per merchant: a slow or unreachable system of one merchant never delays another's."""
    return base if merchant is None else f"{base}_{merchant}"


def merchant_tags(merchant: str | None) -> dict[str, str]:
    return {} if merchant is None else {MERCHANT_TAG: merchant}


def _of(merchant: str | None) -> str:
    return "" if merchant is None else f" for merchant {merchant}"


def _order_tags(sensor: str, numbers: list[str]) -> dict[str, str]:
    shown = ",".join(numbers[:SHOWN_ORDERS]) + (f",… ({len(numbers)})" if len(numbers) > SHOWN_ORDERS else "")
    return {TRIGGER_TAG: sensor, ORDERS_TAG: shown}


# -- new or changed orders in 24SevenOffice --------------------------------------------------------


def erp_order_sensor(job: Job, notifier: Notifier, pull_status: str = "Confirmed",
                     interval_seconds: int = 30, merchant: str | None = None) -> dg.SensorDefinition:
    name = sensor_name("erp_new_orders", merchant)

    @dg.sensor(name=name, job=job, minimum_interval_seconds=interval_seconds,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts {job.name}{_of(merchant)} when an order in status {service_text(pull_status)} is "
                           f"new or changed in 24SevenOffice; looks every {interval_seconds} s "
                           "(SYNC_SENSOR_INTERVAL_SECONDS).")
    def _sensor(context: dg.SensorEvaluationContext, merchants: dg.ResourceParam[Merchants]) -> dg.RunRequest | dg.SkipReason:
        cursor = Cursor.from_json(context.cursor) if context.cursor else Cursor(moment=_now() - FIRST_LOOK_BACK)
        with watching(context.instance, ERP, f"the sensor {name}", notifier, merchant):
            changed = merchants.get(merchant).erp().orders_changed_recently(cursor.moment)  # one request
        fresh, _ = unseen(changed, cursor, order_key)
        progress = CursorBuilder(cursor)
        for order in changed:
            progress.handled(order_key(order), order.DateChanged)
        context.update_cursor(progress.build().to_json())
        wanted = [o for o in fresh if service_text(o.OrderStatus) == service_text(pull_status)]
        if not wanted:
            return dg.SkipReason(f"no order in status {service_text(pull_status)} new or changed "
                                 f"({len(fresh)} other change(s))")
        numbers = sorted((order_key(o) for o in wanted), key=lambda n: (len(n), n))
        context.log.info(f"orders new or changed in 24SevenOffice: {', '.join(numbers[:SHOWN_ORDERS])}")
        versions = [f"{order_key(o)}@{o.DateChanged.isoformat() if o.DateChanged else ''}" for o in wanted]
        return dg.RunRequest(run_key=_run_key("erp-orders", versions), partition_key=merchant,
                             tags={**_order_tags(name, numbers), **merchant_tags(merchant)},
                             asset_selection=_push_selection(context, merchants.get(merchant), wanted))

    return _sensor


def _push_selection(context: dg.SensorEvaluationContext, merchant: Merchant,
                    orders: list[InvoiceOrder]) -> list[dg.AssetKey] | None:
    """The orders asset alone when the ledger has every product the orders name as written to the warehouse;
    None (the job's whole selection: the changed articles first) otherwise. One ledger query, no ERP request."""
    products = _named_products(orders)
    if products is None:
        context.log.info("an order has a line without a product: the run writes the changed articles first")
        return None
    try:
        entries = merchant.ledger(home=context.instance.root_directory).entries(Kind.ARTICLE, products)
    except LedgerError as exc:
        context.log.warning(f"the ledger could not say which articles the warehouse has ({type(exc).__name__}): "
                            "the run writes the changed articles first")
        return None
    missing = sorted(p for p in products if not _written(entries.get(str(p))))
    if missing:
        shown = ", ".join(str(p) for p in missing[:SHOWN_ORDERS])
        context.log.info(f"products not yet written to the warehouse: {shown}: the run writes the changed "
                         "articles first")
        return None
    return [ORDERS_ASSET]


def _named_products(orders: list[InvoiceOrder]) -> set[int] | None:
    """The ERP products the orders' lines name; None when a line to pick names none (nothing vouches for it).
    Text, freight and fee rows are not lines: they name nothing."""
    named: set[int] = set()
    for order in orders:
        for row in invoice_rows(order):
            if not is_product_row(row):
                continue
            if row.ProductId is None:
                return None
            named.add(row.ProductId)
    return named


def _written(entry: LedgerEntry | None) -> bool:
    """Whether the warehouse has the article: confirmed once (a later failed update leaves it there)."""
    return entry is not None and entry.state is State.SENT


# -- orders shipped in Ongoing WMS -----------------------------------------------------------------


@dataclass(frozen=True)
class ShippedCursor:
    moment: datetime  # read orders changed from here on (local clock, less CLOCK_SKEW)
    seen: frozenset[str] = frozenset()  # shipped orders already reported by the last read

    def to_json(self) -> str:
        return json.dumps({"moment": self.moment.isoformat(), "seen": sorted(self.seen)})

    @classmethod
    def from_json(cls, text: str | None) -> "ShippedCursor":
        if not text:
            return cls(moment=_now() - FIRST_LOOK_BACK)
        try:
            data = json.loads(text)
        except json.JSONDecodeError:  # a bare time: an earlier version's cursor, or typed by an operator
            return cls(moment=datetime.fromisoformat(text))
        return cls(moment=datetime.fromisoformat(data["moment"]), seen=frozenset(data.get("seen") or ()))


def wms_shipped_sensor(job: Job, notifier: Notifier, sent_status: int, interval_seconds: int = 30,
                       merchant: str | None = None) -> dg.SensorDefinition:
    name = sensor_name("wms_shipped_orders", merchant)

    @dg.sensor(name=name, job=job, minimum_interval_seconds=interval_seconds,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts {job.name}{_of(merchant)} when the warehouse ships an order (status number "
                           f"{sent_status} up to {LAST_SHIPPED_STATUS}: 800 Returned and 1000 Cancelled are not "
                           f"shipments); looks every {interval_seconds} s "
                           "(SYNC_SHIPPED_SENSOR_INTERVAL_SECONDS, else SYNC_SENSOR_INTERVAL_SECONDS).")
    def _sensor(context: dg.SensorEvaluationContext, merchants: dg.ResourceParam[Merchants]) -> dg.RunRequest | dg.SkipReason:
        cursor = ShippedCursor.from_json(context.cursor)
        started = _now()
        with watching(context.instance, WMS, f"the sensor {name}", notifier, merchant):
            shipped = list(merchants.get(merchant).wms().orders(status_from=sent_status, status_to=LAST_SHIPPED_STATUS,
                                               changed_since=cursor.moment))  # pages are read as iterated
        numbers = {o.GoodsOwnerOrderNumber or f"WMS order {o.OrderId}" for o in shipped}
        # The next read starts a minute before this one began: everything it can return that was
        # shipped already is in `numbers`.
        context.update_cursor(ShippedCursor(moment=started - CLOCK_SKEW, seen=frozenset(numbers)).to_json())
        new = sorted(numbers - cursor.seen, key=lambda n: (len(n), n))
        if not new:
            return dg.SkipReason(f"no order newly shipped ({len(numbers)} shipped order(s) seen again)")
        context.log.info(f"orders shipped in the warehouse: {', '.join(new[:SHOWN_ORDERS])}")
        return dg.RunRequest(run_key=_run_key("wms-shipped", new), partition_key=merchant,
                             tags={**_order_tags(name, new), **merchant_tags(merchant)})

    return _sensor
