"""What the ERP's clients and the warehouse's goods owners share as tenants of one sandbox server:
their names, the record of them kept in the state file, and reading a request for whose it is."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from lxml import etree

from sync_pipeline.sandbox.server import AdminError
from sync_pipeline.sandbox.store import Store

TENANT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")


def checked_name(value: Any, field: str) -> str:
    """A tenant's name as given, if it can be one (it is part of admin URLs and store namespaces)."""
    if not isinstance(value, str) or not TENANT_NAME.fullmatch(value):
        raise AdminError(f"{field}: expected 1-40 letters, digits, '_', '.' or '-' (not first), got {value!r}")
    return value


def optional_text(body: dict[str, Any], field: str) -> str | None:
    value = body.get(field)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise AdminError(f"{field}: expected a non-empty string, got {value!r}")
    return value


def refuse_unknown(body: Any, allowed: Iterable[str], what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise AdminError(f"expected a JSON object describing the {what}")
    unknown = set(body) - set(allowed)
    if unknown:
        raise AdminError(f"unknown fields {sorted(unknown)}; a {what} takes {sorted(allowed)}")
    return body


class TenantRecords:
    """The tenants made so far (each a JSON document of what rebuilds it), in the state file if there is one."""

    def __init__(self, path: Path | None, namespace: str, kind: str):
        self.path = path
        self._store = Store(path, namespace=namespace)
        self._kind = kind

    def all(self) -> list[dict[str, Any]]:
        return list(self._store.all(self._kind))

    def add(self, name: str, record: dict[str, Any]) -> None:
        self._store.put(self._kind, name, record)


def child_text(element: etree._Element, *path: str) -> str | None:
    """The text of the element at `path` (local names, any namespace, as leniently as the services read)."""
    for name in path:
        element = next((child for child in element if isinstance(child.tag, str)
                        and etree.QName(child).localname == name), None)
        if element is None:
            return None
    return element.text or ""
