"""The one place each service address is normalised: spaces and trailing slashes dropped, http(s) checked.

Settings (the deployment's addresses) and the connections (ErpConnection, WmsConnection, which tests
and tools build directly) call the same functions, so an address means the same wherever it enters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

WMS_SERVICE_PATH = "/service.asmx"


def shown_url(value: str) -> str:
    """`value` with any user:password@ part hidden."""
    parts = urlsplit(value.strip())
    if parts.username or parts.password:
        host = parts.hostname or ""
        return parts._replace(netloc=f"***@{host}" + (f":{parts.port}" if parts.port else "")).geturl()
    return value


def http_url(value: str) -> str:
    """An http(s) address with a host, without surrounding spaces or trailing slashes; ValueError otherwise."""
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL, got {shown_url(value)!r}")
    return url


def wms_base_url(value: str) -> str:
    """The warehouse's API root (https://api.ongoingsystems.se/<Warehouse>); its service address is tolerated."""
    url = http_url(value)
    if url.lower().endswith(WMS_SERVICE_PATH):
        url = url[: -len(WMS_SERVICE_PATH)]
    return url
