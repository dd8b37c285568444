"""The Celery broker's address (SYNC_CELERY_BROKER_URL), checked before any run is sent to it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SCHEMES = ("redis", "rediss")  # kombu's redis transport, plain or over TLS; the result backend is the same redis


def shown(url: str) -> str:
    """`url` with any user:password@ part hidden (however malformed the rest)."""
    return re.sub(r"//[^/@]*@", "//***@", url)


def check_broker_url(text: str) -> str:
    """The URL without surrounding spaces if workers can share it; ValueError (never showing a password) if not."""
    url = text.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urlsplit checks the port only when asked for it
    except ValueError:
        raise ValueError(f"must be a redis URL like redis://:password@host:6379/0, got {shown(url)!r}") from None
    if parts.scheme not in SCHEMES:
        raise ValueError(f"must be a redis URL like redis://:password@host:6379/0 (the broker is redis), "
                         f"got {shown(url)!r}")
    if not parts.hostname:
        raise ValueError(f"must name the redis host (redis://host:6379/0), got {shown(url)!r}")
    database = parts.path.strip("/")
    if database and not database.isdigit():
        raise ValueError(f"the redis database after the host is a number (redis://host:6379/0), got {shown(url)!r}")
    return url
