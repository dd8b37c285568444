"""Sensors: fast paths for new ERP orders and shipped WMS orders, and the alerts (run and check failures).

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
import html
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import dagster as dg

from sync_pipeline.automation.alerts import Alert, EmailSender, Notifier, SlackSender, SmtpAccount, run_link
from sync_pipeline.erp.models import service_text
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


# -- new or changed orders in 24SevenOffice --------------------------------------------------------


def erp_order_sensor(job, pull_status: str = "Confirmed", interval_seconds: int = 30) -> dg.SensorDefinition:
    @dg.sensor(name="erp_new_orders", job=job, minimum_interval_seconds=interval_seconds,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts {job.name} when an order in status {service_text(pull_status)} is new or "
                           f"changed in 24SevenOffice; looks every {interval_seconds} s "
                           "(SYNC_SENSOR_INTERVAL_SECONDS).")
    def _sensor(context: dg.SensorEvaluationContext, erp: ErpResource):
        cursor = Cursor.from_json(context.cursor) if context.cursor else Cursor(moment=_now() - FIRST_LOOK_BACK)
        changed = erp.client().orders_changed_since(cursor.moment, statuses=None)
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


def wms_shipped_sensor(job, sent_status: int, interval_seconds: int = 30) -> dg.SensorDefinition:
    @dg.sensor(name="wms_shipped_orders", job=job, minimum_interval_seconds=interval_seconds,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts {job.name} when the warehouse ships an order (status number "
                           f"{sent_status} or above); looks every {interval_seconds} s "
                           "(SYNC_SENSOR_INTERVAL_SECONDS).")
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


def run_failure_alert(context: dg.RunFailureSensorContext, ui_base_url: str | None) -> Alert:
    run = context.dagster_run
    assets = tuple(sorted(key.to_user_string() for key in run.asset_selection or ()))
    return Alert(title="Sync run failed", job=run.job_name, run_id=run.run_id, error=failure_summary(context),
                 partition=run_partition(run.tags), assets=assets, link=run_link(ui_base_url, run.run_id))


def failure_alert_sensor(notifier: Notifier, ui_base_url: str | None = None) -> dg.SensorDefinition:
    @dg.run_failure_sensor(name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Alerts (log, and webhook if configured) when any run fails, naming the "
                                       "job, the partition if any, and the error, with a link to the run.")
    def _sensor(context: dg.RunFailureSensorContext):
        notifier.send(run_failure_alert(context, ui_base_url))

    return _sensor


# -- failed asset checks ---------------------------------------------------------------------------

MAX_FINISHED_RUNS = 50  # per tick; the cursor carries on from the last one handled
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


@dataclass(frozen=True)
class FinishedRunsCursor:
    after: datetime  # runs that finished (last updated) from here on
    seen: frozenset[str] = frozenset()  # runs at exactly `after`, already looked at

    def to_json(self) -> str:
        return json.dumps({"after": self.after.isoformat(), "seen": sorted(self.seen)})

    @classmethod
    def from_json(cls, text: str) -> "FinishedRunsCursor":
        data = json.loads(text)
        return cls(after=datetime.fromisoformat(data["after"]), seen=frozenset(data.get("seen") or ()))


def check_failure_text(evaluation) -> str:
    """`<asset> check <name> (<severity>): <description>`, with the records the check names, if any."""
    text = (f"{evaluation.asset_key.to_user_string()} check {evaluation.check_name} "
            f"({evaluation.severity.value.lower()}): {evaluation.description or 'failed'}")
    records = evaluation.metadata.get("records")
    if records is not None and records.value:
        text += f" — {records.value}"
    return text


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list:
    entries = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    return [entry.dagster_event.event_specific_data for entry in entries
            if not entry.dagster_event.event_specific_data.passed]


def check_failure_sensor(notifier: Notifier, ui_base_url: str | None = None) -> dg.SensorDefinition:
    """Looks at each finished run once (by its last update, which works on every event-log storage)."""

    @dg.sensor(name="alert_on_check_failure", minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Alerts (log, webhook, Slack and e-mail as configured) when an asset check fails — "
                           "failed records, drift, latency — naming the asset, the check and what it found, with "
                           "a link to the run.")
    def _sensor(context: dg.SensorEvaluationContext):
        if context.cursor is None:  # first tick: start from now, older failures are not alerted
            context.update_cursor(FinishedRunsCursor(after=_now()).to_json())
            return dg.SkipReason("watching asset checks from now on")
        cursor = FinishedRunsCursor.from_json(context.cursor)
        records = context.instance.get_run_records(
            filters=dg.RunsFilter(statuses=FINISHED, updated_after=cursor.after - timedelta(microseconds=1)),
            limit=MAX_FINISHED_RUNS, order_by="update_timestamp", ascending=True)
        alerted, after, seen = 0, cursor.after, set(cursor.seen)
        for record in records:
            run = record.dagster_run
            if record.update_timestamp == cursor.after and run.run_id in cursor.seen:
                continue
            for evaluation in failed_checks(context.instance, run.run_id):
                alerted += 1
                notifier.send(Alert(title="Sync check failed", job=run.job_name, run_id=run.run_id,
                                    error=check_failure_text(evaluation), partition=evaluation.partition,
                                    assets=(evaluation.asset_key.to_user_string(),),
                                    link=run_link(ui_base_url, run.run_id)))
            if record.update_timestamp > after:
                after, seen = record.update_timestamp, set()
            seen.add(run.run_id)
        context.update_cursor(FinishedRunsCursor(after=after, seen=frozenset(seen)).to_json())
        return dg.SkipReason(f"{len(records)} finished run(s) looked at, {alerted} failed check(s) alerted")

    return _sensor


# -- Slack and e-mail, through Dagster's own sensors --------------------------------------------------


def slack_failure_sensor(token: str, channel: str, notifier: Notifier,
                         ui_base_url: str | None = None) -> dg.SensorDefinition:
    from dagster_slack import make_slack_on_run_failure_sensor

    return make_slack_on_run_failure_sensor(
        channel=channel, slack_token=token, name="slack_on_run_failure",
        text_fn=lambda context: notifier.masked(run_failure_alert(context, ui_base_url)).text(),
        webserver_base_url=ui_base_url, default_status=dg.DefaultSensorStatus.RUNNING)


def email_failure_sensor(account: SmtpAccount, notifier: Notifier,
                         ui_base_url: str | None = None) -> dg.SensorDefinition:
    def alert(context: dg.RunFailureSensorContext) -> Alert:
        return notifier.masked(run_failure_alert(context, ui_base_url))

    return dg.make_email_on_run_failure_sensor(
        email_from=account.sender, email_password=account.password, email_to=list(account.recipients),
        # Dagster sends the message as ASCII text: anything else goes as an HTML character reference.
        email_body_fn=lambda context: html.escape(alert(context).text()).encode("ascii", "xmlcharrefreplace").decode(),
        email_subject_fn=lambda context: f"Sync run failed: {alert(context).job}",
        smtp_host=account.host, smtp_type=account.kind, smtp_port=account.port, smtp_user=account.user,
        name="email_on_run_failure", webserver_base_url=ui_base_url,
        default_status=dg.DefaultSensorStatus.RUNNING)


def smtp_account(settings) -> SmtpAccount | None:
    if not settings.email_alerts_on():
        return None
    return SmtpAccount(sender=settings.sync_alert_email_from, recipients=tuple(settings.sync_alert_email_to),
                       host=settings.sync_alert_email_smtp_host,
                       password=settings.sync_alert_email_smtp_password.get_secret_value(),
                       port=settings.sync_alert_email_smtp_port, kind=settings.sync_alert_email_smtp_type,
                       user=settings.sync_alert_email_smtp_user)


def alert_sensors(settings, secrets: Callable[[], Iterable[str | None]] = tuple) -> list[dg.SensorDefinition]:
    """Every alert sensor the settings ask for: run and check failures always (log, webhook), and
    Slack and e-mail ones when their settings are set."""
    slack, account, ui = settings.slack_alerts(), smtp_account(settings), settings.sync_ui_base_url

    def all_secrets() -> list[str | None]:
        return [*secrets(), slack[0] if slack else None, account.password if account else None]

    # Run failures reach Slack and e-mail through Dagster's sensors below; check failures through senders.
    notifier = Notifier(settings.alert_webhook_url(), secrets=all_secrets)
    senders = ([SlackSender(*slack)] if slack else []) + ([EmailSender(account)] if account else [])
    check_notifier = Notifier(settings.alert_webhook_url(), secrets=all_secrets, senders=senders)
    sensors = [failure_alert_sensor(notifier, ui), check_failure_sensor(check_notifier, ui)]
    if slack:
        sensors.append(slack_failure_sensor(*slack, notifier, ui))
    if account:
        sensors.append(email_failure_sensor(account, notifier, ui))
    return sensors
