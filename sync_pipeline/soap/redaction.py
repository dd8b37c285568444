"""Keeps passwords and session ids out of every log record either client can cause.

zeep logs whole request and reply envelopes at DEBUG on `zeep.transports`: every Ongoing request
and the 24SevenOffice Login carry a <Password>, Login's reply is the session id, and the session id
then travels as the ASP.NET_SessionId cookie. A filter on those loggers (and on ours) rewrites such
records before any handler sees them, whatever level the application configures: the contents of
secret elements and the cookie's value become "***", and so does every registered secret wherever
it appears. Records are rewritten, never dropped.
"""

from __future__ import annotations

import logging
import threading

from sync_pipeline.redaction import mask_markup, mask_values, secret_values

# A filter applies only to records logged on its own logger, not to those its children pass up.
GUARDED_LOGGERS = (
    "zeep.transports",
    "zeep.wsdl.bindings.soap",
    "urllib3.connectionpool",
    "sync_pipeline.soap.client",
    "sync_pipeline.erp",
    "sync_pipeline.erp.session",
    "sync_pipeline.erp.client",
    "sync_pipeline.wms",
    "sync_pipeline.wms.client",
)


class SecretRedactor(logging.Filter):
    """Rewrites records that mention a registered secret or a secret element; never drops them."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._values: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add_secret(self, secret: str | None) -> None:
        """Redact this exact value (and its XML-escaped form, as it stands in envelopes) from now on."""
        if not secret:
            return
        with self._lock:
            self._secrets.add(secret)
            self._values = secret_values(self._secrets)

    def redact(self, text: str) -> str:
        return mask_values(mask_markup(text), self._values)

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
_install_lock = threading.Lock()


def install(*secrets: str | None) -> SecretRedactor:
    """Attach the process-wide redactor to every guarded logger (once) and register `secrets`."""
    with _install_lock:
        for name in GUARDED_LOGGERS:
            logger = logging.getLogger(name)
            if redactor not in logger.filters:
                logger.addFilter(redactor)
    for secret in secrets:
        redactor.add_secret(secret)
    return redactor


def redact(text: str) -> str:
    """`text` as the process-wide redactor would let it reach a log."""
    return redactor.redact(text)
