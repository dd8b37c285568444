"""Error classes every SOAP call ends in, and the rule that sorts failures into them."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from datetime import datetime, timezone

import requests
from zeep.exceptions import (
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
    Fault,
    TransportError,
    XMLParseError,
    XMLSyntaxError,
)
from zeep.exceptions import Error as ZeepError


class SyncError(Exception):
    """Base of every error a client raises."""

    retryable: bool = False


class RetryableError(SyncError):
    """Worth trying again later: 5xx, timeouts, dropped connections, throttling."""

    retryable = True

    def __init__(self, message: str, *, retry_at: datetime | None = None):
        super().__init__(message)
        self.retry_at = retry_at


class QuarantineError(RetryableError):
    """The service blocked us for exceeding its request limit until `retry_at`."""


class SessionExpiredError(RetryableError):
    """The ERP session died; log in again and repeat the call."""


class TerminalError(SyncError):
    """Repeating the same call will fail the same way: bad credentials, invalid data."""


class AuthenticationError(TerminalError):
    """The service refused the credentials."""


@dataclass(frozen=True)
class RecordError:
    """One record the service refused; the rest of the batch is unaffected."""

    key: str
    message: str
    field: str | None = None
    retryable: bool = False

    def __str__(self) -> str:
        where = f"{self.key}.{self.field}" if self.field else self.key
        return f"{where}: {self.message}"


_QUARANTINE = re.compile(r"Quarantine ends at\s*([0-9T:\-\.\s+Z/]+)", re.IGNORECASE)
_SESSION_DEAD = re.compile(r"not (logged in|authenticated)|session (has )?expired|no session", re.IGNORECASE)
_TRANSIENT_FAULT = re.compile(r"timeout|timed out|deadlock|temporar|try again|unavailable", re.IGNORECASE)


def quarantine_end(message: str) -> datetime | None:
    """The end of a rate-limit quarantine named in a fault message, in UTC."""
    match = _QUARANTINE.search(message or "")
    if not match:
        return None
    text = match.group(1).strip().rstrip(".")
    for parse in (datetime.fromisoformat, lambda t: datetime.strptime(t, "%m/%d/%Y %H:%M:%S")):
        try:
            moment = parse(text)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return None


def classify(exc: BaseException, operation: str) -> SyncError:
    """Turn whatever a zeep call raised into one of our error classes."""
    if isinstance(exc, SyncError):
        return exc
    where = f"{operation}: "
    if isinstance(exc, Fault):
        message = str(exc.message or "")
        if "limit exceeded" in message.lower() or "quarantine" in message.lower():
            return QuarantineError(where + message, retry_at=quarantine_end(message))
        if _SESSION_DEAD.search(message):
            return SessionExpiredError(where + message)
        if _TRANSIENT_FAULT.search(message):
            return RetryableError(where + message)
        return TerminalError(where + message)
    if isinstance(exc, TransportError):
        if exc.status_code >= 500 or exc.status_code in (408, 429):
            return RetryableError(f"{where}HTTP {exc.status_code}")
        if 200 <= exc.status_code < 300:
            # zeep reports a truncated or garbled 2xx reply as a TransportError, not XMLSyntaxError.
            return RetryableError(f"{where}malformed reply (HTTP {exc.status_code})")
        return TerminalError(f"{where}HTTP {exc.status_code}")
    if isinstance(exc, (requests.Timeout, socket.timeout, TimeoutError)):
        return RetryableError(f"{where}timed out")
    if isinstance(exc, requests.ConnectionError):
        return RetryableError(f"{where}connection lost ({type(exc).__name__})")
    if isinstance(exc, (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)):
        return TerminalError(f"{where}refused unsafe XML in the reply ({type(exc).__name__})")
    if isinstance(exc, (XMLSyntaxError, XMLParseError)):
        # A truncated or garbled reply is a transport accident: the next attempt usually succeeds.
        return RetryableError(f"{where}malformed reply: {exc}")
    if isinstance(exc, ZeepError):
        return TerminalError(f"{where}{exc}")
    raise exc
