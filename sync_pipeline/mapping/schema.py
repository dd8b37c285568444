"""Element names and types from the project's own service descriptions (the WSDL subsets).

Configuration that names fields (extra field rows, order states) is checked against these files, so
a typo is refused at start instead of being silently dropped by zeep or refused by a service later.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

_PACKAGE = Path(__file__).resolve().parent.parent
WMS_WSDL = _PACKAGE / "wms" / "wsdl" / "ongoing.wsdl"
ERP_WSDLS = tuple(_PACKAGE / "erp" / "wsdl" / name for name in ("product.wsdl", "invoice.wsdl", "company.wsdl"))

_XSD = "http://www.w3.org/2001/XMLSchema"


class SchemaPathError(LookupError):
    """A field path that does not exist in a service description; the message says why."""


@dataclass(frozen=True)
class SchemaField:
    """One element of a complex type."""

    name: str
    type_name: str  # XSD built-in ("string", "decimal", ...) or the name of a type in the file
    builtin: bool
    is_complex: bool
    enumeration: tuple[str, ...] = ()

    @property
    def is_simple_value(self) -> bool:
        """A plain value (string, number, date, boolean), not a structure or an enumeration."""
        return self.builtin and not self.is_complex


class ServiceSchema:
    """The complex and simple types of one or more WSDL files, by type name."""

    def __init__(self, wsdl_paths: tuple[Path, ...]):
        self.sources = wsdl_paths
        self._complex: dict[str, dict[str, SchemaField]] = {}
        self._enums: dict[str, tuple[str, ...]] = {}
        raw_complex: dict[str, list[tuple[str, str]]] = {}
        for path in wsdl_paths:
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
            for simple in tree.iter(f"{{{_XSD}}}simpleType"):
                values = tuple(e.get("value") for e in simple.iter(f"{{{_XSD}}}enumeration"))
                if simple.get("name"):
                    self._enums[simple.get("name")] = values
            for complex_type in tree.iter(f"{{{_XSD}}}complexType"):
                name = complex_type.get("name")
                if not name:
                    continue  # anonymous wrapper types of operation elements
                raw_complex[name] = [
                    (e.get("name"), e.get("type", "")) for e in complex_type.iter(f"{{{_XSD}}}element")
                ]
        for name, elements in raw_complex.items():
            self._complex[name] = {
                element: self._field(element, qualified_type, raw_complex) for element, qualified_type in elements
            }

    def _field(self, element: str, qualified_type: str, raw_complex: dict) -> SchemaField:
        prefix, _, local = qualified_type.rpartition(":")
        builtin = prefix == "s"
        return SchemaField(
            name=element,
            type_name=local,
            builtin=builtin,
            is_complex=not builtin and local in raw_complex,
            enumeration=self._enums.get(local, ()) if not builtin else (),
        )

    def has_type(self, type_name: str) -> bool:
        return type_name in self._complex

    def fields(self, type_name: str) -> dict[str, SchemaField]:
        return dict(self._complex[type_name])

    def enumeration(self, type_name: str) -> tuple[str, ...]:
        return self._enums[type_name]

    def resolve(self, type_name: str, path: str) -> SchemaField:
        """The element at dotted `path` inside `type_name`; SchemaPathError names the bad step."""
        current_type = type_name
        steps = path.split(".")
        for position, step in enumerate(steps):
            elements = self._complex[current_type]
            if step not in elements:
                hint = difflib.get_close_matches(step, list(elements), n=1)
                suggestion = f" (did you mean {hint[0]}?)" if hint else ""
                raise SchemaPathError(f"{current_type} has no element {step!r}{suggestion}")
            found = elements[step]
            if position < len(steps) - 1:
                if not found.is_complex:
                    raise SchemaPathError(f"{current_type}.{step} is a single value and has no element {steps[position + 1]!r}")
                current_type = found.type_name
        return found


@functools.cache
def wms_schema() -> ServiceSchema:
    return ServiceSchema((WMS_WSDL,))


@functools.cache
def erp_schema() -> ServiceSchema:
    # The ERP services repeat shared types (Address, Addresses, APIException) identically.
    return ServiceSchema(ERP_WSDLS)


@functools.cache
def order_states() -> tuple[str, ...]:
    """The ERP's order status names (OrderSlipStateType), exactly as the service spells them."""
    return erp_schema().enumeration("OrderSlipStateType")
