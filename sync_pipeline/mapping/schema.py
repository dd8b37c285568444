"""Element names and types from the project's own service descriptions.

Configuration that names fields (extra field rows, order states) is checked against these files, so
a typo is refused at start instead of being silently dropped by zeep or refused by a service later.
The files hold the real records whole (tools/generate_descriptions.py), so the types are recursive
in places (ArticleDefinition ⇒ ArticleStructureSpecification ⇒ … ⇒ SubArticleDefinition is an
ArticleDefinition again): code here follows dotted paths step by step and never walks a type's
whole tree.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

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
    base: str | None = None  # the XSD built-in the value is written as (a restricted simple type's base)
    repeated: bool = False  # maxOccurs above 1
    required: bool = False  # minOccurs 1 or more
    nillable: bool = False

    @property
    def value_kind(self) -> str | None:
        """What a single value of this element is: "enum", an XSD built-in ("short", "guid" as
        "string"'s restriction keeps its own name), or None for structures and repeated elements."""
        if self.is_complex or self.repeated:
            return None
        if self.enumeration:
            return "enum"
        if self.builtin:
            return self.type_name
        return self.type_name if self.base else None


@dataclass(frozen=True)
class _Simple:
    base: str | None
    enumeration: tuple[str, ...]


class ServiceSchema:
    """The complex and simple types of one or more WSDL files, by type name."""

    def __init__(self, wsdl_paths: tuple[Path, ...]):
        self.sources = wsdl_paths
        self._complex: dict[str, dict[str, SchemaField]] = {}
        self._required_attributes: dict[str, tuple[str, ...]] = {}
        simple: dict[str, _Simple] = {}
        raw_complex: dict[str, list[etree._Element]] = {}
        for path in wsdl_paths:
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
            for simple_type in tree.iter(f"{{{_XSD}}}simpleType"):
                if simple_type.get("name"):
                    simple[simple_type.get("name")] = _simple(simple_type)
            for complex_type in tree.iter(f"{{{_XSD}}}complexType"):
                name = complex_type.get("name")
                if not name:
                    continue  # anonymous wrapper types of operation elements
                raw_complex[name] = [e for e in complex_type.iter(f"{{{_XSD}}}element")
                                     if _owner(e) is complex_type]
                self._required_attributes[name] = tuple(
                    a.get("name") for a in complex_type.iter(f"{{{_XSD}}}attribute") if a.get("use") == "required")
        for name, elements in raw_complex.items():
            self._complex[name] = {e.get("name"): _field(e, simple, raw_complex) for e in elements}

    def fields(self, type_name: str) -> Mapping[str, SchemaField]:
        """The type's elements, read-only: the mapping asks for them per record, so they are not copied."""
        return MappingProxyType(self._complex[type_name])

    def required_attributes(self, type_name: str) -> tuple[str, ...]:
        return self._required_attributes.get(type_name, ())

    def resolve(self, type_name: str, path: str) -> SchemaField:
        """The element at dotted `path` inside `type_name`; SchemaPathError names the bad step."""
        return self.steps(type_name, path)[-1]

    def steps(self, type_name: str, path: str) -> list[SchemaField]:
        """The elements along dotted `path` inside `type_name`, outermost first."""
        current_type = type_name
        names = path.split(".")
        found: list[SchemaField] = []
        for position, step in enumerate(names):
            elements = self._complex[current_type]
            if step not in elements:
                hint = difflib.get_close_matches(step, list(elements), n=1)
                suggestion = f" (did you mean {hint[0]}?)" if hint else ""
                raise SchemaPathError(f"{current_type} has no element {step!r}{suggestion}")
            field = elements[step]
            found.append(field)
            if position < len(names) - 1:
                if not field.is_complex:
                    raise SchemaPathError(
                        f"{current_type}.{step} is a single value and has no element {names[position + 1]!r}")
                current_type = field.type_name
        return found


def _owner(element: etree._Element) -> etree._Element | None:
    """The complexType an element belongs to (elements of anonymous inner types belong to those)."""
    parent = element.getparent()
    while parent is not None and parent.tag != f"{{{_XSD}}}complexType":
        parent = parent.getparent()
    return parent


def _qualified(node: etree._Element, value: str) -> tuple[str | None, str]:
    prefix, _, local = value.rpartition(":")
    return node.nsmap.get(prefix or None), local


def _simple(simple_type: etree._Element) -> _Simple:
    restriction = simple_type.find(f"{{{_XSD}}}restriction")
    base = None
    if restriction is not None and restriction.get("base"):
        namespace, local = _qualified(restriction, restriction.get("base"))
        base = local if namespace == _XSD else None
    values = tuple(e.get("value") for e in simple_type.iter(f"{{{_XSD}}}enumeration"))
    return _Simple(base, values)


def _field(element: etree._Element, simple: dict[str, _Simple], raw_complex: dict[str, list[etree._Element]]) -> SchemaField:
    namespace, local = _qualified(element, element.get("type", ""))
    builtin = namespace == _XSD
    restricted = simple.get(local) if not builtin else None
    max_occurs = element.get("maxOccurs", "1")
    return SchemaField(
        name=element.get("name"),
        type_name=local,
        builtin=builtin,
        is_complex=not builtin and local in raw_complex,
        enumeration=restricted.enumeration if restricted else (),
        base=local if builtin else (restricted.base if restricted else None),
        repeated=max_occurs == "unbounded" or int(max_occurs) > 1,
        required=int(element.get("minOccurs", "1")) >= 1,
        nillable=element.get("nillable") == "true",
    )


@functools.cache
def wms_schema() -> ServiceSchema:
    return ServiceSchema((WMS_WSDL,))


@functools.cache
def erp_schema() -> ServiceSchema:
    # The ERP services repeat shared types (Address, Addresses, APIException) identically.
    return ServiceSchema(ERP_WSDLS)

