"""Alerts: the log always, and a webhook when SYNC_ALERT_WEBHOOK_URL is set."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import requests

log = logging.getLogger("sync_pipeline.alerts")


@dataclass(frozen=True)
class Alert:
    title: str
    job: str
    run_id: str
    error: str
    partition: str | None = None

    def text(self) -> str:
        where = f"job {self.job}" + (f", partition {self.partition}" if self.partition else "")
        return f"{self.title}: {where}, run {self.run_id}: {self.error}"


class Notifier:
    def __init__(self, webhook_url: str | None = None, timeout: float = 10.0):
        self._webhook_url = webhook_url
        self._timeout = timeout

    def send(self, alert: Alert) -> None:
        log.error(alert.text())
        if not self._webhook_url:
            return
        payload = {"text": alert.text(), "title": alert.title, "job": alert.job, "run_id": alert.run_id,
                   "partition": alert.partition, "error": alert.error}
        try:
            requests.post(self._webhook_url, data=json.dumps(payload),
                          headers={"Content-Type": "application/json"}, timeout=self._timeout).raise_for_status()
        except requests.RequestException as exc:
            # The URL may carry a token: name the failure, never the address.
            log.error("alert webhook failed: %s", type(exc).__name__)
