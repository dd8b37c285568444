"""The shape of each record type, read from the project's own service descriptions.

Admin input, SOAP input and replies are all checked and converted by these shapes, so the sandbox
can hold nothing that its service description could not render.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import zeep
from lxml import etree
from zeep.xsd.types import builtins

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL_DIR = Path(__file__).resolve().parents[2] / "erp" / "wsdl"
AUTHENTICATE_WSDL = WSDL_DIR / "authenticate.wsdl"
PRODUCT_WSDL = WSDL_DIR / "product.wsdl"
INVOICE_WSDL = WSDL_DIR / "invoice.wsdl"
COMPANY_WSDL = WSDL_DIR / "company.wsdl"

INT, DECIMAL, DATETIME, BOOLEAN, STRING, ENUM, RECORD, LIST = (
    "int", "decimal", "dateTime", "boolean", "string", "enum", "record", "list")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    shape: "Shape | None" = None  # RECORD: the nested record; LIST: the repeated record
    item_name: str | None = None  # LIST: the repeated element's name, e.g. "InvoiceRow"
    choices: tuple[str, ...] = ()  # ENUM: the allowed values
    required: bool = False  # minOccurs=1: always rendered, even when the record has no value


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
    return _shape(client.get_type(f"{{{namespace}}}{type_name}"), _enumerations(wsdl), {})


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
    return Field(name, _scalar_kind(xsd_type), required=required)


def _scalar_kind(xsd_type) -> str:
    if isinstance(xsd_type, builtins.Integer):
        return INT
    for cls, kind in _BUILTINS:
        if isinstance(xsd_type, cls):
            return kind
    raise TypeError(f"unsupported schema type {xsd_type!r}")


def _enumerations(wsdl: Path) -> dict[str, tuple[str, ...]]:
    tree = etree.parse(str(wsdl))
    found: dict[str, tuple[str, ...]] = {}
    for simple in tree.iter(f"{{{XSD}}}simpleType"):
        values = tuple(e.get("value") for e in simple.iter(f"{{{XSD}}}enumeration"))
        if simple.get("name") and values:
            found[simple.get("name")] = values
    return found
