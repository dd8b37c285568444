"""Stage latency: how long orders take from confirmed in 24SevenOffice to Sent, stage by stage."""

from datetime import datetime, timedelta, timezone

import dagster as dg

from sync_pipeline.assets.merchant_scope import merchant_of
from sync_pipeline.assets.reporting import OWNERS
from sync_pipeline.ledger import Kind
from sync_pipeline.reconcile import latency
from sync_pipeline.tenants import Merchants

CHECK = "latency_p95_within_target"
DAYS_SHOWN = 30
CHECK_WINDOW = timedelta(hours=24)


@dg.asset(
    group_name="orders",
    kinds={"sql", "python"},
    owners=OWNERS,
    check_specs=[dg.AssetCheckSpec(
        name=CHECK, asset="order_latency",
        description="Warns when, over the last 24 hours, the p95 of confirmed → in WMS or of shipped → Sent in "
                    "ERP passes SYNC_LATENCY_TARGET_MINUTES (default 60).")],
    description=(
        "How long orders take between the systems: from confirmed in 24SevenOffice to created in the "
        "warehouse, to shipped, to Sent in 24SevenOffice, and from shipped to returned (the goods of a "
        "return order came in: the returns column). Median (p50) and p95 per day over the last "
        f"{DAYS_SHOWN} days, from the times the sync ledger keeps for every order; the last 24 hours with "
        "the slowest orders named."
    ),
)
def order_latency(context: dg.AssetExecutionContext, merchants: dg.ResourceParam[Merchants]):
    merchant = merchant_of(context, merchants)
    target = merchant.settings.sync_latency_target_minutes * 60
    now = datetime.now(timezone.utc)
    times = merchant.ledger(home=context.instance.root_directory).stage_times(Kind.ORDER,
                                                                             since=now - timedelta(days=DAYS_SHOWN))
    days = latency.by_day(times, since=now - timedelta(days=DAYS_SHOWN))
    recent = latency.recent(times, now - CHECK_WINDOW)
    hours = int(CHECK_WINDOW.total_seconds() // 3600)
    yield dg.MaterializeResult(metadata={
        "by_day": dg.MetadataValue.md(latency.by_day_markdown(days)),
        f"last_{hours}_hours": dg.MetadataValue.md(latency.recent_markdown(recent, target_seconds=target, hours=hours)),
        # Numbers the UI plots across runs: the p95 of each stage over the last 24 hours, in minutes.
        **{name: dg.MetadataValue.float(value) for name, value in _p95_minutes(recent, latency.TRANSITIONS).items()},
        "orders_in_wms_last_24_hours": dg.MetadataValue.int(recent["confirmed_to_wms"].count),
        "orders_returned_last_24_hours": dg.MetadataValue.int(recent["shipped_to_returned"].count),
    })
    slow = latency.over_target(recent, target)
    figures = "; ".join(f"{t.label}: p95 {latency.duration(recent[t.name].p95)} over {recent[t.name].count} order(s), "
                        f"slowest {', '.join(s.key for s in recent[t.name].slowest)}" for t in slow)
    yield dg.AssetCheckResult(
        asset_key="order_latency",
        check_name=CHECK,
        passed=not slow,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"target_minutes": target // 60, **_p95_minutes(recent, latency.CHECKED)},
        description=(f"over the target of {latency.duration(target)} in the last {hours} hours: {figures}" if slow
                     else f"p95 within {latency.duration(target)} in the last {hours} hours"),
    )


def _p95_minutes(recent, transitions) -> dict[str, float]:
    """`p95_minutes_<transition>` for each transition with orders in the window."""
    return {f"p95_minutes_{t.name}": round(recent[t.name].p95 / 60, 2)
            for t in transitions if recent[t.name].p95 is not None}
