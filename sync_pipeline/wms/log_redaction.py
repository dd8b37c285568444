"""Keep passwords out of logs, including zeep's own debug log of every envelope.

zeep's transport logs each request and reply body at DEBUG ("HTTP Post to ..."), and an Ongoing
request carries the password in <Password>. A filter on zeep's transport logger rewrites such
records before any handler sees them: the contents of secret elements become "***", and so does
any registered secret value wherever it appears.
"""

from __future__ import annotations

import logging
import re
import threading

REDACTED = "***"
ZEEP_TRANSPORT_LOGGER = "zeep.transports"
SECRET_ELEMENTS = ("Password",)

_SECRET_ELEMENT = re.compile(
    r"(<(?P<tag>(?:[\w.-]+:)?(?:%s))(?:\s[^>]*)?>)(?P<value>[^<]*)(</(?P=tag)\s*>)" % "|".join(SECRET_ELEMENTS)
)
_secrets: set[str] = set()
_guard = threading.Lock()


def register_secret(value: str) -> None:
    """Redact this exact value from every record the filter sees (ignores values under 4 chars)."""
    if value and len(value) >= 4:
        with _guard:
            _secrets.add(value)


def redact(text: str) -> str:
    text = _SECRET_ELEMENT.sub(lambda m: m.group(1) + REDACTED + m.group(4), text)
    with _guard:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with secrets redacted; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is not ours to fix; leave it
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactingFilter()


def install_zeep_log_redaction() -> None:
    """Attach the filter to zeep's transport logger (once; safe to call again)."""
    logger = logging.getLogger(ZEEP_TRANSPORT_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
