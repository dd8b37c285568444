"""Alerts: the log always, a webhook when SYNC_ALERT_WEBHOOK_URL is set, Slack and e-mail when theirs are.

The webhook receives JSON: {"text", "title", "job", "run_id", "error", "partition", "assets", "link"};
`link` is the run in the Dagster UI (SYNC_UI_BASE_URL/runs/<run_id>). Known secrets (passwords,
the webhook URL itself, which often carries a token) are masked in every alert, and a channel that
is down or refuses the alert is logged by the kind of failure, never by its address.

Run failures reach Slack and e-mail through Dagster's own sensors (sensors.py); check failures,
which no Dagster sensor covers, through the Notifier's extra senders below.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import asdict, dataclass, replace
from email.message import EmailMessage
from typing import Callable, Iterable, Sequence

import requests

from sync_pipeline.redaction import Redactor

log = logging.getLogger("sync_pipeline.alerts")

HIDDEN_ASSET_JOB = "__ASSET_JOB"
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class Alert:
    title: str
    job: str
    run_id: str
    error: str
    partition: str | None = None
    assets: tuple[str, ...] = ()  # the run's asset selection, when it has one
    link: str | None = None  # the run in the Dagster UI

    def text(self) -> str:
        where = f"job {self.job}"
        if self.job.startswith(HIDDEN_ASSET_JOB) and self.assets:
            where += f" (assets {', '.join(self.assets)})"  # "Materialize" in the UI runs this unnamed job
        if self.partition:
            where += f", partition {self.partition}"
        text = f"{self.title}: {where}, run {self.run_id}: {self.error}"
        return f"{text} — {self.link}" if self.link else text

    def payload(self) -> dict[str, object]:
        return {"text": self.text(), **asdict(self)}


def run_link(ui_base_url: str | None, run_id: str) -> str | None:
    """The run's page in the Dagster UI."""
    return f"{ui_base_url.rstrip('/')}/runs/{run_id}" if ui_base_url else None


Sender = Callable[[Alert], None]


class Notifier:
    """Sends alerts to the log and, if given a URL, to a webhook; and to any extra `senders` (Slack, e-mail).

    `secrets` returns the values to mask besides the webhook URL (the passwords).
    """

    def __init__(self, webhook_url: str | None = None, timeout: float = 10.0,
                 secrets: Callable[[], Iterable[str | None]] = tuple, senders: Sequence[Sender] = ()):
        self._webhook_url = webhook_url
        self._timeout = timeout
        self._secrets = secrets
        self._senders = tuple(senders)

    def send(self, alert: Alert) -> None:
        alert = self.masked(alert)
        log.error(alert.text())
        if self._webhook_url:
            try:
                requests.post(self._webhook_url, json=alert.payload(), timeout=self._timeout).raise_for_status()
            except requests.RequestException as exc:
                log.error("alert webhook failed (%s); the alert above was not delivered there", type(exc).__name__)
        for sender in self._senders:
            try:
                sender(alert)
            except Exception as exc:  # noqa: BLE001 - one channel down must not stop the others
                log.error("alert %s failed (%s); the alert above was not delivered there",
                          getattr(sender, "channel", "sender"), type(exc).__name__)

    def masked(self, alert: Alert) -> Alert:
        mask = Redactor([self._webhook_url, *self._secrets()], max_length=MAX_ERROR_CHARS)
        return replace(alert, title=mask(alert.title), job=mask(alert.job), error=mask(alert.error) or "",
                       partition=mask(alert.partition))


class SlackSender:
    """Posts alerts to a Slack channel with slack_sdk (what dagster-slack uses)."""

    channel = "Slack"

    def __init__(self, token: str, channel: str):
        from slack_sdk import WebClient

        self._client, self._channel = WebClient(token=token), channel

    def __call__(self, alert: Alert) -> None:
        self._client.chat_postMessage(channel=self._channel, text=alert.text())


@dataclass(frozen=True)
class SmtpAccount:
    """Where alert e-mails go from, and through which server (as Dagster's e-mail sensor takes them)."""

    sender: str
    recipients: tuple[str, ...]
    host: str
    password: str
    port: int | None = None  # default: 465 for SSL, 587 for STARTTLS
    kind: str = "SSL"  # SSL or STARTTLS
    user: str | None = None  # default: the sender

    def __repr__(self) -> str:
        return f"SmtpAccount({self.sender!r} via {self.host}, {self.kind})"


class EmailSender:
    """Mails alerts over SMTP with TLS, as Dagster's make_email_on_run_failure_sensor does."""

    channel = "e-mail"

    def __init__(self, account: SmtpAccount, timeout: float = 30.0):
        self._account, self._timeout = account, timeout

    def __call__(self, alert: Alert) -> None:
        account = self._account
        message = EmailMessage()
        message["From"], message["To"] = account.sender, ", ".join(account.recipients)
        message["Subject"] = f"{alert.title}: {alert.job}"
        message.set_content(alert.text())
        context = ssl.create_default_context()
        if account.kind == "SSL":
            server = smtplib.SMTP_SSL(account.host, account.port or 465, context=context, timeout=self._timeout)
        else:
            server = smtplib.SMTP(account.host, account.port or 587, timeout=self._timeout)
        with server:
            if account.kind != "SSL":
                server.starttls(context=context)
            server.login(account.user or account.sender, account.password)
            server.send_message(message)
