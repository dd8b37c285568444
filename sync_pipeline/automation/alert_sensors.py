"""The alert sensors: Dagster's run-failure sensor and a run-status sensor on runs that went through.

- alert_on_run_failure (dg.run_failure_sensor): a failed run, in sentences: the job by its own name (a run
  started from the asset graph is "the materialization of <assets>"), the partition, each failed step
  (for a partition whose records were refused: the asset, how many, the first reasons), the run's link.
  A run that failed only because a system could not be reached is part of that system's outage
  (outages.py): alerted once when the outage starts, not again per run.
- alert_on_check_failure (dg.run_status_sensor on SUCCESS): a run that went through with a failed
  asset check (failed records of a delta run, drift, latency), naming asset, check and records.

Both also note what each run says about the systems (failed against one, or went through) for the
outage alerts. Dagster keeps their cursors: each finished run is looked at once, and the first tick
starts from that moment (older runs are not alerted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable, Mapping, Sequence

import dagster as dg

from sync_pipeline.assets.merchant_scope import MERCHANT, MERCHANT_TAG
from sync_pipeline.assets.reporting import FIRST_REASONS
from sync_pipeline.automation.alerts import Alert, EmailSender, Notifier, SlackSender, SmtpAccount, run_link
from sync_pipeline.automation.outages import SYSTEMS, Outages, system_of, unreachable
from sync_pipeline.settings import Settings

IMPLICIT_ASSET_JOB = "__ASSET_JOB"  # what "Materialize" in the asset graph runs


def job_label(run: dg.DagsterRun) -> str:
    """The job's own name; a run of Dagster's unnamed asset job by what it materializes."""
    if not run.job_name.startswith(IMPLICIT_ASSET_JOB):
        return run.job_name
    assets = sorted(key.to_user_string() for key in run.asset_selection or ())
    return f"materialization of {', '.join(assets) or 'assets'}"


def _subject(run: dg.DagsterRun) -> str:
    label = job_label(run)
    return label[0].upper() + label[1:] if label.startswith("materialization") else f"The job {label}"


def run_merchant(tags: Mapping[str, str], merchants: Collection[str] = ()) -> str | None:
    """The merchant a run served (with a tenants file): its merchant tag, else its merchant partition (a
    run started from the UI carries only Dagster's partition tags)."""
    partition = tags.get("dagster/partition")
    return (tags.get(MERCHANT_TAG) or tags.get(f"dagster/partition/{MERCHANT}")
            or (partition if partition in merchants else None))


def _for(partition: str | None, merchant: str | None) -> str:
    merchant_part = f" for merchant {merchant}" if merchant else ""
    if partition and partition != merchant:
        return f"{merchant_part} (partition {partition})" if merchant else f" for partition {partition}"
    return merchant_part


def run_partition(tags: Mapping[str, str]) -> str | None:
    """The partition (or partition range) a run was for, from Dagster's run tags."""
    if tags.get("dagster/partition"):
        return tags["dagster/partition"]
    start, end = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    return f"{start}...{end}" if start and end else None


def plain_message(error: Any) -> str:
    """An exception's message without its class path (`pkg.module.SomeError: text` → `text`)."""
    text = (error.message or "").strip()
    head, separator, rest = text.partition(": ")
    if separator and error.cls_name and head.rsplit(".", 1)[-1] == error.cls_name:
        return rest.strip()
    return text


def _own_error(error: Any) -> Any:
    while error is not None and error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause  # Dagster wraps the step's own exception
    return error


@dataclass(frozen=True)
class StepFailure:
    step: str
    message: str
    refused: int = 0  # records refused (a partition that failed on them)
    reasons: tuple[str, ...] = ()
    unreachable: str | None = None  # the system it could not reach

    def sentence(self) -> str:
        if self.refused:
            return f"{self.step}: {self.refused} record(s) refused; first: {'; '.join(self.reasons)}."
        return f"{self.step} stopped: {self.message.rstrip('.')}."


def step_failure(event: dg.DagsterEvent) -> StepFailure:
    data: Any = event.event_specific_data  # StepFailureData: its error and, for a dg.Failure, its metadata
    step = event.step_key or "a step"
    metadata = {name: getattr(value, "value", value)
                for name, value in (getattr(getattr(data, "user_failure_data", None), "metadata", None) or {}).items()}
    if FIRST_REASONS in metadata:
        return StepFailure(step, "", refused=int(metadata.get("failed") or 0), reasons=tuple(metadata[FIRST_REASONS]))
    error = _own_error(getattr(data, "error", None))
    if error is None:
        return StepFailure(step, event.message or "failed")
    message = plain_message(error)
    return StepFailure(step, message, unreachable=system_of(message) if unreachable(error.cls_name or '') else None)


@dataclass(frozen=True)
class FailedCheck:
    asset: str
    sentence: str
    failed: int | None


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[FailedCheck]:
    found = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.dagster_event.event_specific_data if entry.dagster_event is not None else None
        if not isinstance(evaluation, dg.AssetCheckEvaluation) or evaluation.passed:
            continue
        metadata = {name: value.value for name, value in evaluation.metadata.items()}
        asset = evaluation.asset_key.to_user_string()
        listed = metadata.get(FIRST_REASONS)
        reasons = [str(reason) for reason in listed] if isinstance(listed, list) else []
        named = f"; first: {'; '.join(reasons)}" if reasons else (
            f" ({metadata['records']})" if metadata.get("records") else "")
        sentence = (f"{asset}: {(evaluation.description or 'failed').rstrip('.')}{named} "
                    f"(check {evaluation.check_name}, {evaluation.severity.value.lower()}).")
        failed = metadata.get("failed")
        found.append(FailedCheck(asset, sentence, failed if isinstance(failed, int) else None))
    return found


def _ending(run_id: str, link: str | None) -> str:
    return f"Run {run_id}: {link}" if link else f"Run {run_id}."


def run_failure_alert(run: dg.DagsterRun, steps: Sequence[StepFailure], checks: Sequence[FailedCheck],
                      fallback: str, ui_base_url: str | None, merchants: Collection[str] = ()) -> Alert:
    partition, merchant = run_partition(run.tags), run_merchant(run.tags, merchants)
    where = _for(partition, merchant)
    checks = [check for check in checks if check.asset not in {step.step for step in steps}]  # said by its step
    said = [step.sentence() for step in steps] + [check.sentence for check in checks]
    link = run_link(ui_base_url, run.run_id)
    refused = [step for step in steps if step.refused]
    return Alert(kind="run failed", title=f"Sync run failed: {job_label(run)}{where}",
                 text=f"{_subject(run)} failed{where}. {' '.join(said) or fallback.rstrip('.') + '.'} "
                      f"{_ending(run.run_id, link)}",
                 job=job_label(run), run_id=run.run_id, partition=partition, merchant=merchant,
                 assets=tuple(sorted(key.to_user_string() for key in run.asset_selection or ())),
                 failed=sum(step.refused for step in refused) if refused else None,
                 reasons=tuple(reason for step in refused for reason in step.reasons), link=link)


def checks_failed_alert(run: dg.DagsterRun, checks: Sequence[FailedCheck], ui_base_url: str | None,
                        merchants: Collection[str] = ()) -> Alert:
    partition, merchant = run_partition(run.tags), run_merchant(run.tags, merchants)
    where = _for(partition, merchant)
    link = run_link(ui_base_url, run.run_id)
    counts = [check.failed for check in checks if check.failed is not None]
    return Alert(kind="checks failed", title=f"Sync check failed: {job_label(run)}{where}",
                 text=f"{_subject(run)} went through{where}, but {len(checks)} check(s) failed. "
                      f"{' '.join(check.sentence for check in checks)} {_ending(run.run_id, link)}",
                 job=job_label(run), run_id=run.run_id, partition=partition, merchant=merchant,
                 assets=tuple(sorted({check.asset for check in checks})),
                 failed=sum(counts) if counts else None, link=link)


def _seen_by(run: dg.DagsterRun) -> str:
    return f"run {run.run_id[:8]} ({job_label(run)})"


def failure_alert_sensor(notifier: Notifier, ui_base_url: str | None = None,
                         interval_seconds: int = 30, merchants: Collection[str] = ()) -> dg.SensorDefinition:
    @dg.run_failure_sensor(name="alert_on_run_failure", minimum_interval_seconds=interval_seconds,
                           default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Alerts (log, webhook, Slack, e-mail as configured) when a run fails, "
                                       "naming the job, partition, failed steps or refused records, with a link "
                                       "to the run; a system that cannot be reached is alerted once per outage.")
    def _sensor(context: dg.RunFailureSensorContext) -> None:
        run, outages = context.dagster_run, Outages(context.instance)
        steps = [step_failure(event) for event in context.get_step_failure_events()]
        for step in steps:
            if step.unreachable is not None:
                _send(notifier, outages.down(step.unreachable, _seen_by(run), step.message,
                                             merchant=run_merchant(run.tags, merchants)))
        others = [step for step in steps if step.unreachable is None]
        if steps and not others:
            context.log.info(f"run {run.run_id} failed only on a system that could not be reached: "
                             "alerted once for the outage")
            return
        if any(step.refused for step in others):  # the systems answered: they refused records
            for system in SYSTEMS:
                _send(notifier, outages.up(system, _seen_by(run), merchant=run_merchant(run.tags, merchants)))
        # Without a failed step (the run ended before or between steps) Dagster's own message says why.
        why = (context.failure_event.message or "the run failed").replace(f'"{run.job_name}"', job_label(run))
        notifier.send(run_failure_alert(run, others, failed_checks(context.instance, run.run_id), why, ui_base_url,
                                        merchants))

    return _sensor


def check_failure_sensor(notifier: Notifier, ui_base_url: str | None = None,
                         interval_seconds: int = 30, merchants: Collection[str] = ()) -> dg.SensorDefinition:
    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, name="alert_on_check_failure",
                          minimum_interval_seconds=interval_seconds, default_status=dg.DefaultSensorStatus.RUNNING,
                          description="Alerts (log, webhook, Slack, e-mail as configured) when a run went through "
                                      "with a failed asset check (failed records, drift, latency), naming the asset, "
                                      "the check and what it found, with a link to the run.")
    def _sensor(context: dg.RunStatusSensorContext) -> None:
        run, outages = context.dagster_run, Outages(context.instance)
        for system in SYSTEMS:  # the run got through to both systems
            _send(notifier, outages.up(system, _seen_by(run), merchant=run_merchant(run.tags, merchants)))
        checks = failed_checks(context.instance, run.run_id)
        if checks:
            notifier.send(checks_failed_alert(run, checks, ui_base_url, merchants))

    return _sensor


def _send(notifier: Notifier, alert: Alert | None) -> None:
    if alert is not None:
        notifier.send(alert)


def smtp_account(settings: Settings) -> SmtpAccount | None:
    sender, host = settings.sync_alert_email_from, settings.sync_alert_email_smtp_host
    password = settings.sync_alert_email_smtp_password
    if not (settings.email_alerts_on() and sender and host and password):
        return None
    return SmtpAccount(sender=sender, recipients=tuple(settings.sync_alert_email_to), host=host,
                       password=password.get_secret_value(),
                       port=settings.sync_alert_email_smtp_port, kind=settings.sync_alert_email_smtp_type,
                       user=settings.sync_alert_email_smtp_user)


def alert_notifier(settings: Settings, secrets: Callable[[], Iterable[str | None]] = tuple) -> Notifier:
    """The log, and the webhook, Slack and e-mail as the settings ask; every secret they know masked."""
    slack, account = settings.slack_alerts(), smtp_account(settings)

    def all_secrets() -> list[str | None]:
        return [*secrets(), slack[0] if slack else None, account.password if account else None]

    senders = ([SlackSender(*slack)] if slack else []) + ([EmailSender(account)] if account else [])
    return Notifier(settings.alert_webhook_url(), secrets=all_secrets, senders=senders)


def alert_sensors(settings: Settings, notifier: Notifier, merchants: Collection[str] = ()) -> list[dg.SensorDefinition]:
    ui, interval = settings.sync_ui_base_url, settings.sync_sensor_interval_seconds
    return [failure_alert_sensor(notifier, ui, interval, merchants),
            check_failure_sensor(notifier, ui, interval, merchants)]
