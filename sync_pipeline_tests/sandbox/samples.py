"""A value for EVERY element of a type of a real service description, recognisable by its element name.

Strings read "<Element>-<n>", numbers count up from 1, booleans are true, date-times distinct minutes,
enumerations take their first value, repeated elements one item; complex elements are filled the
same way, down to MAX_DEPTH. Tests override the few elements a service gives meaning to.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from lxml import etree
from zeep.xsd.types import builtins

from sync_pipeline.sandbox.erp.shapes import enumerations
from sync_pipeline_tests.contracts.real import contracts_dir
from sync_pipeline_tests.sandbox.real_requests import real_client

MAX_DEPTH = 4
START = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def sample(relative_path: str, type_name: str) -> dict[str, Any]:
    """Values for every element of complex type `type_name` (local name) of the real description."""
    client = real_client(relative_path)
    namespace = etree.parse(str(contracts_dir() / relative_path)).getroot().get("targetNamespace")
    counter = itertools.count(1)
    return _complex(client.get_type(f"{{{namespace}}}{type_name}"), enumerations(contracts_dir() / relative_path), counter, 0)


def _complex(xsd_type: Any, enumerations: dict[str, tuple[str, ...]], counter: Any, depth: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, element in xsd_type.elements:
        value = _value(name, element.type, enumerations, counter, depth)
        if value is not None:
            values[name] = [value] if element.accepts_multiple else value
    if values:  # attributes only where there is an element to carry them
        for name, attribute in getattr(xsd_type, "attributes", []):
            values[name] = _value(name, attribute.type, enumerations, counter, depth)
    return values


def _value(name: str, xsd_type: Any, enumerations: dict[str, tuple[str, ...]], counter: Any, depth: int) -> Any:
    if getattr(xsd_type, "elements", None):
        return (_complex(xsd_type, enumerations, counter, depth + 1) or None) if depth < MAX_DEPTH else None
    n = next(counter)
    type_name = xsd_type.qname.localname if xsd_type.qname is not None else ""
    if type_name in enumerations:
        return enumerations[type_name][0]
    if isinstance(xsd_type, builtins.Boolean):
        return True
    if isinstance(xsd_type, builtins.Integer):
        return n
    if isinstance(xsd_type, (builtins.Decimal, builtins.Double)):
        return Decimal(n) + Decimal("0.5")
    if isinstance(xsd_type, builtins.DateTime):
        return START + timedelta(minutes=n)
    if type_name == "guid":
        return f"00000000-0000-0000-0000-{n:012d}"
    if isinstance(xsd_type, builtins.String):
        return f"{name}-{n}"
    return None  # base64 and the like: not needed here
