"""Keeps the 24SevenOffice password and session id out of every log record the client can cause.

zeep logs whole request and reply envelopes at DEBUG on `zeep.transports`: the Login request
carries the password and its reply the session id. A filter on that logger (and on ours) rewrites
such records before any handler sees them, whatever level the application configures.
"""

from __future__ import annotations

import logging
import re
import threading
from xml.sax.saxutils import escape

SESSION_COOKIE = "ASP.NET_SessionId"
REDACTED = "***"

# Loggers whose records may carry request or reply bodies, headers or our own diagnostics.
GUARDED_LOGGERS = (
    "zeep.transports",
    "zeep.wsdl.bindings.soap",
    "urllib3.connectionpool",
    "sync_pipeline.erp",
    "sync_pipeline.erp.session",
    "sync_pipeline.erp.client",
    "sync_pipeline.soap.client",
)

_PATTERNS = (
    # <Password>…</Password> in any namespace prefix, and the LoginResult that is the session id
    re.compile(r"(<(?:[\w.-]+:)?(?:Password|LoginResult)\b[^>]*>)(.*?)(</(?:[\w.-]+:)?(?:Password|LoginResult)>)",
               re.DOTALL),
    re.compile(r"(" + re.escape(SESSION_COOKIE) + r"=)([^;\s'\"\\]+)()"),
)


class SecretRedactor(logging.Filter):
    """Rewrites records that mention a known secret or a password/session element; never drops them."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secret(self, secret: str) -> None:
        if len(secret) >= 4:  # a tiny "secret" would blank out ordinary text
            with self._lock:
                self._secrets.update({secret, escape(secret)})

    def redact(self, text: str) -> str:
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is the logging module's business
            return True
        cleaned = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


redactor = SecretRedactor()
_installed = False
_install_lock = threading.Lock()


def install() -> SecretRedactor:
    """Attach the process-wide redactor to every guarded logger (idempotent)."""
    global _installed
    with _install_lock:
        if not _installed:
            for name in GUARDED_LOGGERS:
                logging.getLogger(name).addFilter(redactor)
            _installed = True
    return redactor
