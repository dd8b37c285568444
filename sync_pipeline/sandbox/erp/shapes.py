"""The shape of each record type, read from the project's own service descriptions.

Admin input, SOAP input and replies are all checked and converted by these shapes, so the sandbox
can hold nothing that its service description could not render.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import zeep
from lxml import etree
from zeep.xsd.types import builtins

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL_DIR = Path(__file__).resolve().parents[2] / "erp" / "wsdl"
AUTHENTICATE_WSDL = WSDL_DIR / "authenticate.wsdl"
PRODUCT_WSDL = WSDL_DIR / "product.wsdl"
INVOICE_WSDL = WSDL_DIR / "invoice.wsdl"
COMPANY_WSDL = WSDL_DIR / "company.wsdl"

INT, DECIMAL, DOUBLE, DATETIME, BOOLEAN, STRING, ENUM, RECORD, LIST = (
    "int", "decimal", "double", "dateTime", "boolean", "string", "enum", "record", "list")

# The service's "not set" values: the smallest value of each .NET type (a guid: all zeros). It sends
# them for fields without a value; they are never data.
NOT_SET_INT = -2147483648
NOT_SET_SHORT = -32768
NOT_SET_DECIMAL = Decimal(-79228162514264337593543950335)
NOT_SET_DOUBLE = -1.7976931348623157e308
NOT_SET_DATETIME = datetime(1, 1, 1)
NOT_SET_GUID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    shape: "Shape | None" = None  # RECORD: the nested record; LIST: the repeated record
    item_name: str | None = None  # LIST: the repeated element's name, e.g. "InvoiceRow"
    choices: tuple[str, ...] = ()  # ENUM: the allowed values
    required: bool = False  # minOccurs=1: always rendered, even when the record has no value
    not_set: Any = None  # the service's "not set" value of the field's type, if it has one
    bits: int = 32  # INT: 16 for a short


@dataclass(frozen=True)
class Shape:
    name: str
    fields: dict[str, Field] = field(default_factory=dict)


_BUILTINS: list[tuple[type, str]] = [
    (builtins.Boolean, BOOLEAN),
    (builtins.Decimal, DECIMAL),  # Integer and its subclasses derive from Decimal in zeep: test them first
    (builtins.DateTime, DATETIME),
    (builtins.String, STRING),
]


@functools.lru_cache(maxsize=None)
def shape_of(wsdl: Path, type_name: str) -> Shape:
    """The shape of complex type `type_name` (local name) in `wsdl`."""
    client = zeep.Client(str(wsdl))
    namespace = etree.parse(str(wsdl)).getroot().get("targetNamespace")
    return _shape(client.get_type(f"{{{namespace}}}{type_name}"), enumerations(wsdl), {})


def _shape(complex_type, enumerations: dict[str, tuple[str, ...]], seen: dict[str, Shape]) -> Shape:
    name = complex_type.qname.localname
    if name in seen:
        return seen[name]
    result = Shape(name)
    seen[name] = result
    for element_name, element in complex_type.elements:
        result.fields[element_name] = _field(element_name, element, enumerations, seen)
    return result


def _field(name: str, element, enumerations: dict[str, tuple[str, ...]], seen: dict[str, Shape]) -> Field:
    required = element.min_occurs >= 1
    xsd_type = element.type
    type_name = xsd_type.qname.localname if xsd_type.qname is not None else ""
    if type_name in enumerations:
        return Field(name, ENUM, choices=enumerations[type_name], required=required)
    if hasattr(xsd_type, "elements") and xsd_type.elements:
        items = xsd_type.elements
        if type_name.startswith("ArrayOf") and len(items) == 1 and items[0][1].max_occurs == "unbounded":
            item_name, item = items[0]
            return Field(name, LIST, shape=_shape(item.type, enumerations, seen), item_name=item_name,
                         required=required)
        return Field(name, RECORD, shape=_shape(xsd_type, enumerations, seen), required=required)
    if isinstance(xsd_type, builtins.Short):
        return Field(name, INT, required=required, not_set=NOT_SET_SHORT, bits=16)
    if type_name == "guid":
        return Field(name, STRING, required=required, not_set=NOT_SET_GUID)
    kind = _scalar_kind(xsd_type)
    return Field(name, kind, required=required, not_set=_NOT_SET.get(kind))


_NOT_SET = {INT: NOT_SET_INT, DECIMAL: NOT_SET_DECIMAL, DOUBLE: NOT_SET_DOUBLE, DATETIME: NOT_SET_DATETIME}


def _scalar_kind(xsd_type) -> str:
    if isinstance(xsd_type, builtins.Integer):
        return INT
    if isinstance(xsd_type, builtins.Double):
        return DOUBLE
    for cls, kind in _BUILTINS:
        if isinstance(xsd_type, cls):
            return kind
    raise TypeError(f"unsupported schema type {xsd_type!r}")


def enumerations(wsdl: Path) -> dict[str, tuple[str, ...]]:
    """Simple type name -> its enumeration values, for every named simple type in `wsdl`."""
    tree = etree.parse(str(wsdl))
    found: dict[str, tuple[str, ...]] = {}
    for simple in tree.iter(f"{{{XSD}}}simpleType"):
        values = tuple(e.get("value") for e in simple.iter(f"{{{XSD}}}enumeration"))
        if simple.get("name") and values:
            found[simple.get("name")] = values
    return found
