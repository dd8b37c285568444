"""The element structure of the vendors' real service descriptions, read with lxml, for generating replies.

Only what replies of the operations the clients call use: complex types that are sequences of
elements (with complexContent extension), simple types that are XSD built-ins or string restrictions
(enumerations, patterns). Anything else reached from an operation's output raises, so a new
construct in a description cannot be skipped silently.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sync_pipeline_tests.contracts.real import WSDL_NS, XSD_NS, contracts_dir

Name = tuple[str, str]  # (namespace, local name)


@dataclass(frozen=True)
class SimpleType:
    """An XSD built-in ("string", "int", "decimal", "dateTime", ...) or a restriction of one."""

    base: str
    name: str
    enumeration: tuple[str, ...] = ()
    pattern: str | None = None


@dataclass(eq=False)
class ComplexType:
    """A sequence of elements; `name` is the element's name for an anonymous type."""

    name: str
    children: tuple[Decl, ...] = field(default=(), repr=False)

    def __deepcopy__(self, memo: dict) -> ComplexType:
        return self  # schema objects are shared by every tree built from them

    def child(self, name: str) -> Decl | None:
        return next((decl for decl in self.children if decl.name == name), None)


@dataclass(frozen=True, eq=False)
class Decl:
    """An element declaration inside a sequence (or a top-level element)."""

    name: str
    namespace: str
    type: SimpleType | ComplexType
    min_occurs: int = 1
    max_occurs: int | None = 1  # None: unbounded
    nillable: bool = False

    def __deepcopy__(self, memo: dict) -> Decl:
        return self

    @property
    def optional(self) -> bool:
        return self.min_occurs == 0

    @property
    def repeated(self) -> bool:
        return self.max_occurs != 1

    @property
    def complex(self) -> bool:
        return isinstance(self.type, ComplexType)


class Description:
    """One real WSDL: its operations' output elements and every element name it declares."""

    def __init__(self, path: Path):
        self.path = path
        self._root = etree.parse(str(path)).getroot()
        self.namespace = self._root.get("targetNamespace")
        self._types: dict[Name, etree._Element] = {}
        self._elements: dict[Name, etree._Element] = {}
        for schema in self._root.iterfind(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema"):
            if schema.get("elementFormDefault") != "qualified":
                raise NotImplementedError(f"{path.name}: unqualified local elements")
            target = schema.get("targetNamespace")
            for node in schema.iterchildren(f"{{{XSD_NS}}}*"):
                kind = etree.QName(node).localname
                if kind in ("complexType", "simpleType"):
                    self._types[(target, node.get("name"))] = node
                elif kind == "element":
                    self._elements[(target, node.get("name"))] = node
        self._built: dict[Name, SimpleType | ComplexType] = {}

    @functools.cached_property
    def element_names(self) -> frozenset[str]:
        return frozenset(node.get("name") for node in self._root.iter(f"{{{XSD_NS}}}element"))

    def output(self, operation: str) -> Decl:
        """The element a document/literal operation answers with (<Op>Response)."""
        for port_type in self._root.iterfind(f"{{{WSDL_NS}}}portType"):
            found = port_type.find(f"{{{WSDL_NS}}}operation[@name='{operation}']/{{{WSDL_NS}}}output")
            if found is None:
                continue
            message = self._root.find(f"{{{WSDL_NS}}}message[@name='{_qname(found, 'message')[1]}']")
            part = message.find(f"{{{WSDL_NS}}}part")
            if part is not None and part.get("element"):
                name = _qname(part, "element")
                return self._decl(self._elements[name], name[0])
        raise KeyError(f"{self.path.name} has no document/literal operation {operation}")

    # -- building the type tree ---------------------------------------------------------------

    def _decl(self, node: etree._Element, namespace: str) -> Decl:
        if node.get("ref") or node.get("substitutionGroup") or node.get("fixed"):
            raise NotImplementedError(f"{self.path.name}: element {node.get('name')} uses ref/fixed")
        inline = node.find(f"{{{XSD_NS}}}complexType")
        if inline is not None:
            xsd_type: SimpleType | ComplexType = self._complex(inline, node.get("name"), namespace)
        else:
            xsd_type = self._type(_qname(node, "type"))
        maximum = node.get("maxOccurs", "1")
        return Decl(node.get("name"), namespace, xsd_type, int(node.get("minOccurs", "1")),
                    None if maximum == "unbounded" else int(maximum), node.get("nillable") == "true")

    def _type(self, name: Name) -> SimpleType | ComplexType:
        if name[0] == XSD_NS:
            return SimpleType(name[1], name[1])
        if name not in self._built:
            node = self._types[name]
            if etree.QName(node).localname == "simpleType":
                self._built[name] = _simple(node, name[1])
            else:
                self._complex(node, name[1], name[0])  # registers itself before its children (recursion)
        return self._built[name]

    def _complex(self, node: etree._Element, name: str, namespace: str) -> ComplexType:
        built = ComplexType(name)
        if node.get("name"):
            self._built[(namespace, name)] = built
        if node.get("mixed") == "true" or node.find(f"{{{XSD_NS}}}attribute") is not None:
            raise NotImplementedError(f"{self.path.name}: {name} has attributes or mixed content")
        children: list[Decl] = []
        body = node
        content = node.find(f"{{{XSD_NS}}}complexContent")
        if content is not None:
            extension = content.find(f"{{{XSD_NS}}}extension")
            if extension is None or extension.find(f"{{{XSD_NS}}}attribute") is not None:
                raise NotImplementedError(f"{self.path.name}: {name} is not a plain extension")
            base = self._type(_qname(extension, "base"))
            children.extend(base.children)
            body = extension
        for particle in body.iterchildren(f"{{{XSD_NS}}}*"):
            if etree.QName(particle).localname != "sequence":
                raise NotImplementedError(f"{self.path.name}: {name} has a {etree.QName(particle).localname}")
            for child in particle.iterchildren(f"{{{XSD_NS}}}*"):
                if etree.QName(child).localname != "element":
                    raise NotImplementedError(f"{self.path.name}: {name} has a {etree.QName(child).localname}")
                children.append(self._decl(child, namespace))
        built.children = tuple(children)
        return built


def _simple(node: etree._Element, name: str) -> SimpleType:
    restriction = node.find(f"{{{XSD_NS}}}restriction")
    if restriction is None:
        raise NotImplementedError(f"simple type {name} is not a restriction")
    base = _qname(restriction, "base")
    facets = {etree.QName(facet).localname for facet in restriction.iterchildren(f"{{{XSD_NS}}}*")}
    if base != (XSD_NS, "string") or not facets <= {"enumeration", "pattern"}:
        raise NotImplementedError(f"simple type {name}: {base[1]} with {sorted(facets)}")
    values = tuple(facet.get("value") for facet in restriction.iterfind(f"{{{XSD_NS}}}enumeration"))
    pattern = restriction.find(f"{{{XSD_NS}}}pattern")
    return SimpleType("string", name, values, None if pattern is None else pattern.get("value"))


def _qname(node: etree._Element, attribute: str) -> Name:
    prefix, _, local = node.get(attribute).rpartition(":")
    return node.nsmap[prefix or None], local


@functools.cache
def description(relative: str) -> Description:
    """A real description by its path relative to contracts_dir(), e.g. "24sevenoffice/productService.wsdl"."""
    return Description(contracts_dir() / relative)
