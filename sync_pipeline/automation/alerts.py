"""Alerts: sentences for people, sent to the log always, and to the webhook, Slack and e-mail when set.

Every alert is built by the alert sensors (automation/alert_sensors.py: Dagster's run-failure and
run-status sensors) or by the sensor that sees a system go down or come back (automation/outages.py),
and sent by one Notifier. The webhook receives JSON: {"kind", "title", "text", "job", "run_id",
"partition", "assets", "failed", "reasons", "system", "link"}; `text` is the whole alert, `link` the run
in the Dagster UI (SYNC_UI_BASE_URL/runs/<run_id>). Known secrets (passwords, the Slack token, the
webhook URL itself, which often carries a token) are masked in every field, and a channel that is down
or refuses the alert is logged by the kind of failure, never by its address.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import asdict, dataclass, replace
from email.message import EmailMessage
from typing import Any, Callable, Iterable, Sequence

import requests

from sync_pipeline.redaction import Redactor

log = logging.getLogger("sync_pipeline.alerts")

MAX_TEXT_CHARS = 4000


@dataclass(frozen=True)
class Alert:
    kind: str  # "run failed", "checks failed", "outage started", "outage ended"
    title: str  # a headline: the e-mail's subject
    text: str  # the alert itself, in sentences, the run's link at its end
    job: str | None = None  # the job's own name, or "materialization of <assets>" for a run started from the graph
    run_id: str | None = None
    partition: str | None = None
    assets: tuple[str, ...] = ()
    failed: int | None = None  # records refused, when the alert is about refused records
    reasons: tuple[str, ...] = ()  # the first of them: "record <key>, field <field>: <reason>"
    system: str | None = None  # the system an outage alert is about
    merchant: str | None = None  # with a tenants file: the merchant's key
    link: str | None = None  # the run in the Dagster UI

    def payload(self) -> dict[str, Any]:
        return asdict(self)


def run_link(ui_base_url: str | None, run_id: str) -> str | None:
    """The run's page in the Dagster UI."""
    return f"{ui_base_url.rstrip('/')}/runs/{run_id}" if ui_base_url else None


Sender = Callable[[Alert], None]


class Notifier:
    """Sends alerts to the log and, if given a URL, to a webhook; and to any extra `senders` (Slack, e-mail).

    `secrets` returns the values to mask besides the webhook URL (the passwords, the Slack token).
    """

    def __init__(self, webhook_url: str | None = None, timeout: float = 10.0,
                 secrets: Callable[[], Iterable[str | None]] = tuple, senders: Sequence[Sender] = ()):
        self._webhook_url = webhook_url
        self._timeout = timeout
        self._secrets = secrets
        self._senders = tuple(senders)

    def send(self, alert: Alert) -> None:
        alert = self.masked(alert)
        log.error(alert.text)
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
        mask = Redactor([self._webhook_url, *self._secrets()], max_length=MAX_TEXT_CHARS)
        return replace(alert, title=mask(alert.title) or "", text=mask(alert.text) or "", job=mask(alert.job),
                       partition=mask(alert.partition), reasons=tuple(mask(r) or "" for r in alert.reasons))


class SlackSender:
    """Posts alerts to a Slack channel through dagster-slack's SlackResource."""

    channel = "Slack"

    def __init__(self, token: str, channel: str):
        from dagster_slack import SlackResource

        self._client, self._channel = SlackResource(token=token).get_client(), channel

    def __call__(self, alert: Alert) -> None:
        self._client.chat_postMessage(channel=self._channel, text=alert.text)


@dataclass(frozen=True)
class SmtpAccount:
    """Where alert e-mails go from, and through which server."""

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
    """Mails alerts over SMTP with TLS (SSL, or STARTTLS on a submission port) and a login."""

    channel = "e-mail"

    def __init__(self, account: SmtpAccount, timeout: float = 30.0):
        self._account, self._timeout = account, timeout

    def __call__(self, alert: Alert) -> None:
        account = self._account
        message = EmailMessage()
        message["From"], message["To"] = account.sender, ", ".join(account.recipients)
        message["Subject"] = alert.title
        message.set_content(alert.text)
        context = ssl.create_default_context()
        server: smtplib.SMTP
        if account.kind == "SSL":
            server = smtplib.SMTP_SSL(account.host, account.port or 465, context=context, timeout=self._timeout)
        else:
            server = smtplib.SMTP(account.host, account.port or 587, timeout=self._timeout)
        with server:
            if account.kind != "SSL":
                server.starttls(context=context)
            server.login(account.user or account.sender, account.password)
            server.send_message(message)
