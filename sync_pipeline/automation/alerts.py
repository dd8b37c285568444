"""Alerts: the log always, and a webhook when SYNC_ALERT_WEBHOOK_URL is set.

The webhook receives JSON: {"text", "title", "job", "run_id", "error", "partition", "assets"}.
Known secrets (passwords, the webhook URL itself, which often carries a token) are masked in every
alert, and a webhook that is down or refuses the post is logged by the kind of failure, never by
its address.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, replace
from typing import Callable, Iterable

import requests

log = logging.getLogger("sync_pipeline.alerts")

MASK = "***"
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

    def text(self) -> str:
        where = f"job {self.job}"
        if self.job.startswith(HIDDEN_ASSET_JOB) and self.assets:
            where += f" (assets {', '.join(self.assets)})"  # "Materialize" in the UI runs this unnamed job
        if self.partition:
            where += f", partition {self.partition}"
        return f"{self.title}: {where}, run {self.run_id}: {self.error}"

    def payload(self) -> dict[str, object]:
        return {"text": self.text(), **asdict(self)}


class Notifier:
    """Sends alerts to the log and, if given a URL, to a webhook.

    `secrets` returns the values to mask besides the webhook URL (the passwords).
    """

    def __init__(self, webhook_url: str | None = None, timeout: float = 10.0,
                 secrets: Callable[[], Iterable[str | None]] = tuple):
        self._webhook_url = webhook_url
        self._timeout = timeout
        self._secrets = secrets

    def send(self, alert: Alert) -> None:
        alert = self._masked(alert)
        log.error(alert.text())
        if not self._webhook_url:
            return
        try:
            requests.post(self._webhook_url, json=alert.payload(), timeout=self._timeout).raise_for_status()
        except requests.RequestException as exc:
            log.error("alert webhook failed (%s); the alert above was not delivered there", type(exc).__name__)

    def _masked(self, alert: Alert) -> Alert:
        secrets = sorted({s for s in [self._webhook_url, *self._secrets()] if s}, key=len, reverse=True)

        def mask(text: str | None) -> str | None:
            if text is None:
                return None
            for secret in secrets:
                text = text.replace(secret, MASK)
            return text

        error = mask(alert.error) or ""
        if len(error) > MAX_ERROR_CHARS:
            error = error[:MAX_ERROR_CHARS] + " …"
        return replace(alert, title=mask(alert.title), job=mask(alert.job), error=error,
                       partition=mask(alert.partition))
