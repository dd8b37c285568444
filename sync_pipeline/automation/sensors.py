"""Sensors: fast paths for new ERP orders and shipped WMS orders, and the run-failure alert.

The two fast-path sensors keep a cursor so that each change starts one run, not one per tick:

- erp_new_orders keeps the ERP's own change times (a sync Cursor: the newest DateChanged seen and
  the versions handled near it), so the two machines' clocks never need to agree and an order read
  again in the overlap is not counted twice.
- wms_shipped_orders reads orders changed since its last look (less a minute for clock skew) and
  remembers which of those were already shipped, so only newly shipped orders start a run.

Run keys, tags and skip messages carry order numbers and counts only: never a URL or credential.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import dagster as dg

from sync_pipeline.automation.alerts import Alert, Notifier
from sync_pipeline.mapping import order_key
from sync_pipeline.resources import ErpResource, WmsResource
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, unseen
from sync_pipeline.sync.orders import CLOCK_SKEW, LAST_SHIPPED_STATUS

FIRST_LOOK_BACK = timedelta(hours=1)  # how far back a sensor without a cursor looks
SHOWN_ORDERS = 20  # order numbers named in a tag; the count is always complete
TRIGGER_TAG = "sync_pipeline/trigger"
ORDERS_TAG = "sync_pipeline/orders"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _run_key(prefix: str, items: Iterable[str]) -> str:
    """The same changes give the same key (Dagster then starts no second run for them)."""
    digest = hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()[:16]
    return f"{prefix}-{digest}"


def _order_tags(sensor: str, numbers: list[str]) -> dict[str, str]:
    shown = ",".join(numbers[:SHOWN_ORDERS]) + (f",… ({len(numbers)})" if len(numbers) > SHOWN_ORDERS else "")
    return {TRIGGER_TAG: sensor, ORDERS_TAG: shown}


def _status_name(value) -> str:
    return getattr(value, "value", value) or ""


# -- new or changed orders in 24SevenOffice --------------------------------------------------------


def erp_order_sensor(job, pull_status: str = "Confirmed") -> dg.SensorDefinition:
    @dg.sensor(name="erp_new_orders", job=job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts {job.name} within a minute when an order in status {_status_name(pull_status)} "
                           "is new or changed in 24SevenOffice.")
    def _sensor(context: dg.SensorEvaluationContext, erp: ErpResource):
        cursor = Cursor.from_json(context.cursor) if context.cursor else Cursor(moment=_now() - FIRST_LOOK_BACK)
        changed = erp.client().orders_changed_since(cursor.moment, statuses=None)
        fresh, _ = unseen(changed, cursor, order_key)
        progress = CursorBuilder(cursor)
        for order in changed:
            progress.handled(order_key(order), order.DateChanged)
        context.update_cursor(progress.build().to_json())
        wanted = [o for o in fresh if _status_name(o.OrderStatus) == _status_name(pull_status)]
        if not wanted:
            return dg.SkipReason(f"no order in status {_status_name(pull_status)} new or changed "
                                 f"({len(fresh)} other change(s))")
        numbers = sorted((order_key(o) for o in wanted), key=lambda n: (len(n), n))
        context.log.info(f"orders new or changed in 24SevenOffice: {', '.join(numbers[:SHOWN_ORDERS])}")
        versions = [f"{order_key(o)}@{o.DateChanged.isoformat() if o.DateChanged else ''}" for o in wanted]
        return dg.RunRequest(run_key=_run_key("erp-orders", versions), tags=_order_tags("erp_new_orders", numbers))

    return _sensor


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


def wms_shipped_sensor(job, sent_status: int) -> dg.SensorDefinition:
    @dg.sensor(name="wms_shipped_orders", job=job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts {job.name} within a minute when the warehouse ships an order "
                           f"(status number {sent_status} or above).")
    def _sensor(context: dg.SensorEvaluationContext, wms: WmsResource):
        cursor = ShippedCursor.from_json(context.cursor)
        started = _now()
        shipped = wms.client().orders(status_from=sent_status, status_to=LAST_SHIPPED_STATUS,
                                      changed_since=cursor.moment)
        numbers = {o.GoodsOwnerOrderNumber or f"WMS order {o.OrderId}" for o in shipped}
        # The next read starts a minute before this one began: everything it can return that was
        # shipped already is in `numbers`.
        context.update_cursor(ShippedCursor(moment=started - CLOCK_SKEW, seen=frozenset(numbers)).to_json())
        new = sorted(numbers - cursor.seen, key=lambda n: (len(n), n))
        if not new:
            return dg.SkipReason(f"no order newly shipped ({len(numbers)} shipped order(s) seen again)")
        context.log.info(f"orders shipped in the warehouse: {', '.join(new[:SHOWN_ORDERS])}")
        return dg.RunRequest(run_key=_run_key("wms-shipped", new),
                             tags=_order_tags("wms_shipped_orders", new))

    return _sensor


# -- failed runs ---------------------------------------------------------------------------------


def run_partition(tags: dict[str, str]) -> str | None:
    """The partition (or partition range) a run was for, from Dagster's run tags."""
    if tags.get("dagster/partition"):
        return tags["dagster/partition"]
    start, end = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    return f"{start}...{end}" if start and end else None


def failure_summary(context: dg.RunFailureSensorContext) -> str:
    """What went wrong, step by step: each failed step's own exception, else the run's message."""
    problems = []
    for event in context.get_step_failure_events():
        error = getattr(event.event_specific_data, "error", None)
        while error is not None and error.cause is not None and (error.cls_name or "").startswith("Dagster"):
            error = error.cause  # Dagster wraps the step's own exception
        message = error.message.strip() if error is not None else event.message or "failed"
        problems.append(f"{event.step_key}: {message}")
    return "; ".join(problems) or context.failure_event.message or "run failed"


def failure_alert_sensor(webhook_url: str | None,
                         secrets: Callable[[], Iterable[str | None]] = tuple) -> dg.SensorDefinition:
    notifier = Notifier(webhook_url, secrets=secrets)

    @dg.run_failure_sensor(name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Alerts (log, and webhook if configured) when any run fails, naming the "
                                       "job, the partition if any, and the error.")
    def _sensor(context: dg.RunFailureSensorContext):
        run = context.dagster_run
        assets = tuple(sorted(key.to_user_string() for key in run.asset_selection or ()))
        notifier.send(Alert(title="Sync run failed", job=run.job_name, run_id=run.run_id,
                            error=failure_summary(context), partition=run_partition(run.tags), assets=assets))

    return _sensor
