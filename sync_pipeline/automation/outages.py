"""Outages: 24SevenOffice or Ongoing WMS unreachable, alerted once when first seen and once when it answers again.

Whoever reads a system notes what it saw: the order sensors at every tick (each reads one system), the
alert sensors for every finished run (a run that failed on a call that could not get through, or one
that went through). The first "down" of a system starts its outage and alerts; later failures against
it are part of that outage and alert nothing; the first "up" ends it and alerts with how long it lasted.

The state is one key per system in Dagster's key-value store (the instance's run storage, where the
daemons keep their own cursors), so every sensor sees the same outage whatever process evaluates it,
and it survives restarts. The sensor daemon evaluates sensors one after another, so two observers do
not race for one transition.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Iterator

import dagster as dg
from lxml import etree

from sync_pipeline.automation.alerts import Alert, Notifier
from sync_pipeline.erp.services import ErpService
from sync_pipeline.soap.errors import RetryableError
from sync_pipeline.wms.client import WSDL_PATH as WMS_WSDL

ERP, WMS = "24SevenOffice", "Ongoing WMS"
SYSTEMS = (ERP, WMS)


def merchant_system(system: str, merchant: str | None) -> str:
    """A merchant's own login to a system: its outage is its own (one merchant's is not another's)."""
    return system if merchant is None else f"{system} of merchant {merchant}"
KEY_PREFIX = "sync_pipeline/outage/"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"


def _operations(wsdl: Path) -> set[str]:
    tree = etree.parse(str(wsdl))
    return {element.get("name") for element in tree.iter(f"{WSDL}operation")
            if element.getparent().tag == f"{WSDL}portType"}


@cache
def _system_of_operation() -> dict[str, str]:
    systems = {operation: WMS for operation in _operations(WMS_WSDL)}
    for service in ErpService:
        systems.update(dict.fromkeys(_operations(service.wsdl), ERP))
    return systems


def system_of(message: str) -> str | None:
    """The system a client error is about, from the first SOAP operation it names (`<Operation>: …`, also
    after a prefix such as BatchAborted's "3 records in a row failed, …: ProcessArticle: connection lost")."""
    systems = _system_of_operation()
    return next((systems[part.strip()] for part in message.split(": ") if part.strip() in systems), None)


def unreachable(error_class: str) -> bool:
    """Whether an exception class, by the name Dagster keeps of a failed step's, means "could not get
    through" (connection, timeout, 5xx, throttling, a batch aborted by them): a RetryableError."""
    classes, names = [RetryableError], set()
    while classes:
        cls = classes.pop()
        names.add(cls.__name__)
        classes.extend(cls.__subclasses__())
    return error_class in names


def _moment(value: datetime) -> str:
    return f"{value.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S} UTC"


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{seconds} s" if seconds else ""]
    return " ".join(part for part in parts if part) or "0 s"


@dataclass(frozen=True)
class Outage:
    since: datetime
    seen_by: str  # "the sensor erp_new_orders", "run 1a2b3c4d of sync_all"
    reason: str

    def to_json(self) -> str:
        return json.dumps({"since": self.since.isoformat(), "seen_by": self.seen_by, "reason": self.reason})

    @classmethod
    def from_json(cls, text: str) -> Outage:
        data = json.loads(text)
        return cls(since=datetime.fromisoformat(data["since"]), seen_by=data["seen_by"], reason=data["reason"])


class Outages:
    """The systems' outages as the instance keeps them; `down` and `up` return the alert a change makes."""

    def __init__(self, instance: dg.DagsterInstance):
        self._storage = instance.run_storage

    def current(self, system: str) -> Outage | None:
        text = self._storage.get_cursor_values({KEY_PREFIX + system}).get(KEY_PREFIX + system)
        return Outage.from_json(text) if text else None

    def down(self, system: str, seen_by: str, reason: str, at: datetime | None = None,
             merchant: str | None = None) -> Alert | None:
        system = merchant_system(system, merchant)
        if self.current(system) is not None:
            return None
        outage = Outage(since=at or datetime.now(timezone.utc), seen_by=seen_by, reason=reason)
        self._storage.set_cursor_values({KEY_PREFIX + system: outage.to_json()})
        return Alert(kind="outage started", title=f"{system} unreachable", system=system, merchant=merchant,
                     text=f"{system} cannot be reached since {_moment(outage.since)}: {seen_by} failed with "
                          f"\"{reason}\". Runs and sensor ticks that need it fail until it answers again, "
                          "and nothing is lost meanwhile; the next alert about it says when it is back.")

    def up(self, system: str, seen_by: str, at: datetime | None = None, merchant: str | None = None) -> Alert | None:
        system = merchant_system(system, merchant)
        outage = self.current(system)
        if outage is None:
            return None
        moment = at or datetime.now(timezone.utc)
        self._storage.set_cursor_values({KEY_PREFIX + system: ""})
        return Alert(kind="outage ended", title=f"{system} reachable again", system=system, merchant=merchant,
                     text=f"{system} answers again: {seen_by} reached it at {_moment(moment)}, after "
                          f"{_duration((moment - outage.since).total_seconds())} unreachable (since "
                          f"{_moment(outage.since)}). Runs go on from where they stopped.")


@contextmanager
def watching(instance: dg.DagsterInstance, system: str, seen_by: str, notifier: Notifier,
             merchant: str | None = None) -> Iterator[None]:
    """Notes whether the calls inside got through to `system` (a RetryableError: they did not) and sends the
    alert that starts or ends its outage; the error goes on (a sensor's tick still fails)."""
    outages = Outages(instance)
    try:
        yield
    except RetryableError as error:
        alert = outages.down(system, seen_by, str(error), merchant=merchant)
        if alert is not None:
            notifier.send(alert)
        raise
    alert = outages.up(system, seen_by, merchant=merchant)
    if alert is not None:
        notifier.send(alert)
