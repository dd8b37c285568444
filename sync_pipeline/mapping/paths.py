"""Reading a dotted attribute path from pydantic models, dataclasses or plain dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def get_path(obj: Any, path: str) -> Any:
    """The value at `path` ("Addresses.Delivery.Street") in `obj`, or None where any step is missing.

    Works on anything with attributes (pydantic models, dataclasses, simple namespaces) and on
    mappings, mixed at any depth, so mapping code runs on the ERP models and on test dicts alike.
    """
    current = obj
    for name in path.split("."):
        if current is None:
            return None
        if isinstance(current, Mapping):
            current = current.get(name)
        else:
            current = getattr(current, name, None)
    return current
