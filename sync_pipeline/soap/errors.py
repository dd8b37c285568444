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

from sync_pipeline.soap.redaction import redact
from sync_pipeline.soap.transport import NotSoapReply, ReplyTooLarge


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
    """Turn whatever a zeep call raised into one of our error classes.

    Messages pass the log redaction (soap/redaction.py): a fault that quotes a password or a
    session id does not carry it on into run failures, alerts or the ledger.
    """
    if isinstance(exc, SyncError):
        return exc
    error = _classify(exc, f"{operation}: ")
    cleaned = redact(str(error))
    if cleaned != str(error):
        error.args = (cleaned,)
    return error


def _classify(exc: BaseException, where: str) -> SyncError:
    if isinstance(exc, Fault):
        message = str(exc.message or "")
        if "limit exceeded" in message.lower() or "quarantine" in message.lower():
            return QuarantineError(where + message, retry_at=quarantine_end(message))
        if _SESSION_DEAD.search(message):
            return SessionExpiredError(where + message)
        if _TRANSIENT_FAULT.search(message):
            return RetryableError(where + message)
        return TerminalError(where + message)
    if isinstance(exc, NotSoapReply) and exc.status_code < 400:
        return TerminalError(f"{where}the service answered with an HTML page (HTTP {exc.status_code}), not a SOAP "
                             "reply: check the service address")
    if isinstance(exc, TransportError):
        if exc.status_code >= 500 or exc.status_code in (408, 429):
            page = " (an error page, not a SOAP reply)" if isinstance(exc, NotSoapReply) else ""
            return RetryableError(f"{where}HTTP {exc.status_code}{page}")
        if 200 <= exc.status_code < 300:
            # zeep reports a truncated or garbled 2xx reply as a TransportError, not XMLSyntaxError.
            return RetryableError(f"{where}malformed reply (HTTP {exc.status_code})")
        return TerminalError(f"{where}HTTP {exc.status_code}")
    if isinstance(exc, (requests.Timeout, socket.timeout, TimeoutError)):
        return RetryableError(f"{where}timed out")
    if isinstance(exc, (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                        requests.exceptions.ContentDecodingError)):
        return RetryableError(f"{where}connection lost ({type(exc).__name__})")
    if isinstance(exc, ReplyTooLarge):
        return TerminalError(f"{where}{exc}")
    if isinstance(exc, (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)):
        return TerminalError(f"{where}refused unsafe XML in the reply ({type(exc).__name__})")
    if isinstance(exc, XMLParseError):
        # Well-formed XML that is not what the service description says (another namespace,
        # another operation's reply, no Body): the same request gets the same answer.
        return TerminalError(f"{where}the reply does not match the service description: {exc}")
    if isinstance(exc, XMLSyntaxError):
        # A truncated or garbled reply is a transport accident: the next attempt usually succeeds.
        return RetryableError(f"{where}malformed reply: {exc}")
    if isinstance(exc, ZeepError):
        return TerminalError(f"{where}{exc}")
    raise exc


class WithheldCause(Exception):
    """Stands in for a library exception whose text carried a reply's content or a secret."""


def safe_cause(exc: BaseException) -> BaseException:
    """`exc`, or a stand-in without what it must not pass on as the cause of our error.

    A run failure keeps the whole chain of causes (Dagster stores it in the event log): zeep's
    TransportError quotes the raw reply (a Login reply holds the session id), and a fault may
    quote the request.
    """
    text = str(exc)
    if isinstance(exc, TransportError):
        text = text.split("\nContent:", 1)[0] + " (reply content withheld)"
    elif redact(text) == text:
        return exc
    elif isinstance(exc, Fault):  # stays a Fault: callers look at the cause's type and message
        return Fault(redact(str(exc.message or "")), code=exc.code)
    return WithheldCause(f"{type(exc).__module__}.{type(exc).__name__}: {redact(text)}")
