"""Reading replies as the real services send them: the zeep ingress plugin TolerantReading.

zeep reads strictly (Settings(strict=True)): an element the description does not define, or one
out of the sequence's order, fails the whole reply. The real services send both: they grow
elements, and 24SevenOffice puts APIException where the sequence does not. So before zeep decodes
a reply, this plugin tidies it by the client's own schema (the types of the operation's output
element, extension types merged as zeep merges them):

- an element its parent's type does not define is removed and noted in the client's collector
  (soap/unknown.py) as "<ParentTypeName>.<localname>" (for an anonymous type, the element's name);
- the known children of each element are put into the sequence's order (repeated ones keep theirs);
- an APIException inside a record whose type does not define one (in a row, in an address) moves
  to the nearest enclosing element whose type does: it is that record's refusal. A record keeps one:
  its own, else the first found inside it; any other is removed and noted like an unknown element.

Elements match as zeep matches them (both qualified: by namespace and name; otherwise by name),
an xsi:type is followed as zeep follows it. A type that is not a plain sequence of elements (a
choice, xsd:any, simple content, SOAP-encoded arrays) is left as it came, for zeep to read as
always. Faults, envelopes without a Body and anything that is not an envelope are left to zeep,
which refuses them as before; a reply of another operation is refused here with a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import zeep
from lxml import etree
from zeep.exceptions import XMLParseError
from zeep.utils import qname_attr
from zeep.xsd import ComplexType, Element, Sequence
from zeep.xsd.const import xsi_ns

from sync_pipeline.soap.unknown import Notes, UnknownElements

HOISTED = "APIException"  # a record's refusal (24SevenOffice), wherever inside the record it is
SOAP_ENVELOPES = ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")
XSI_TYPE = xsi_ns("type")


def type_label(xsd_type: Any, element: Any) -> str:
    """How notes name a parent: its type's name, or for an anonymous type the element's name."""
    if getattr(xsd_type, "is_global", False) and xsd_type.qname is not None:
        type_name: str = xsd_type.qname.localname
        return type_name
    element_name: str = element.qname.localname
    return element_name


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


@dataclass(eq=False)
class Slot:
    """One element of a type's sequence."""

    index: int
    element: Element


class Shape:
    """The elements one complex type defines, in sequence order, for tidying an element of that type."""

    def __init__(self, xsd_type: ComplexType, label: str):
        self.label = label
        self.regular = is_plain_sequence(xsd_type)
        self.by_tag: dict[str, Slot] = {}  # "{ns}name" and, for unqualified children, "name"
        self.unqualified: dict[str, Slot] = {}  # elements the schema leaves without a namespace
        self.api: Slot | None = None
        if not self.regular:
            return
        for index, (_, element) in enumerate(xsd_type.elements):
            slot = Slot(index, element)
            qname = element.qname
            self.by_tag.setdefault(qname.text, slot)
            self.by_tag.setdefault(qname.localname, slot)
            if not qname.namespace:
                self.unqualified.setdefault(qname.localname, slot)
            if qname.localname == HOISTED and self.api is None:
                self.api = slot

    def find(self, tag: str) -> Slot | None:
        """The element a child with this tag is, as zeep matches it; None: the type does not define it."""
        slot = self.by_tag.get(tag)
        if slot is None and self.unqualified and tag[:1] == "{":
            slot = self.unqualified.get(local_name(tag))
        return slot


def is_plain_sequence(xsd_type: Any) -> bool:
    """Whether a complex type's content is one sequence of named elements (what tidying understands)."""
    if not isinstance(xsd_type, ComplexType) or xsd_type._array_type:
        return False
    content = xsd_type._element
    if content is None:
        return True
    return isinstance(content, Sequence) and all(
        isinstance(item, Element) and item.qname is not None for item in content)


@dataclass(eq=False)
class _Holder:
    """An element whose type defines APIException, and those found inside it to move to it (with the
    name of the element each was found in)."""

    node: etree._Element
    shape: Shape
    found: list[tuple[etree._Element, str]] = field(default_factory=list)
    has_one: bool = False


class TolerantReading(zeep.Plugin):
    """Tidies every reply of one client by its schema before zeep reads it; notes what it removes."""

    def __init__(self, schema: Any, collector: UnknownElements):
        self.schema = schema
        self.collector = collector
        self._shapes: dict[tuple[ComplexType, str], Shape] = {}  # zeep's types compare by identity

    def ingress(self, envelope: etree._Element, http_headers: dict[str, str],
                operation: Any) -> tuple[etree._Element, dict[str, str]]:
        notes: Notes = {}
        self.tidy(envelope, operation, notes)
        self.collector.add(operation.name, notes)
        return envelope, http_headers

    def tidy(self, envelope: etree._Element, operation: Any, notes: Notes) -> None:
        """Tidy a reply envelope in place, the skipped elements counted into `notes`."""
        body = _soap_body(envelope)
        if body is None:
            return
        replies = [child for child in body if isinstance(child.tag, str)]
        if len(replies) != 1 or (local_name(replies[0].tag) == "Fault"
                                 and etree.QName(replies[0]).namespace in SOAP_ENVELOPES):
            return
        expected = getattr(operation.output, "body", None)
        if not isinstance(expected, Element) or not isinstance(expected.type, ComplexType):
            return
        (reply,) = replies
        if not _matches(reply.tag, expected.qname):
            raise XMLParseError(
                f"the reply is {local_name(reply.tag)!r}, not a reply of {operation.name} "
                                f"({expected.qname.localname!r})")
        self._tidy(reply, self.shape(expected.type, expected), None, notes)

    def tidy_part(self, node: etree._Element, element: Element, notes: Notes) -> None:
        """Tidy one element of a reply (of `element`'s type, or the xsi:type it names) in place.

        For readers that leave a part of a record to zeep: an APIException inside it is not moved out
        (it has no record here), so such a part is theirs to refuse.
        """
        shape = self._child_shape(node, Slot(0, element))
        if shape is not None:
            self._tidy(node, shape, None, notes)

    def shape(self, xsd_type: ComplexType, element: Any) -> Shape:
        label = type_label(xsd_type, element)
        key = (xsd_type, label)
        found = self._shapes.get(key)
        if found is None:
            found = self._shapes[key] = Shape(xsd_type, label)
        return found

    def _child_shape(self, child: etree._Element, slot: Slot) -> Shape | None:
        xsd_type = slot.element.type
        if XSI_TYPE in child.attrib:  # zeep reads the element as the type it names, if it knows it
            named = self.schema.get_type(qname_attr(child, XSI_TYPE), fail_silently=True)
            xsd_type = named or xsd_type
        return self.shape(xsd_type, slot.element) if isinstance(xsd_type, ComplexType) else None

    def _tidy(self, node: etree._Element, shape: Shape, holder: _Holder | None, notes: Notes) -> None:
        if not shape.regular:
            return
        own = _Holder(node, shape) if shape.api is not None else None
        known: list[tuple[int, etree._Element]] = []
        in_order, only_elements, last = True, True, -1
        for child in list(node):
            tag = child.tag
            if not isinstance(tag, str):
                only_elements = False  # a processing instruction: zeep refuses it, left where it is
                continue
            slot = shape.find(tag)
            hoisted = (slot is None and holder is not None and local_name(tag) == HOISTED
                       and holder.shape.find(tag) is holder.shape.api)
            if slot is None or (own is not None and slot is shape.api and own.has_one):
                node.remove(child)
                if hoisted and holder is not None:
                    holder.found.append((child, shape.label))
                else:
                    note_skipped(notes, shape.label, tag)
                continue
            if own is not None and slot is shape.api:
                own.has_one = True
            if slot.index < last:
                in_order = False
            last = max(last, slot.index)
            known.append((slot.index, child))
            inner = self._child_shape(child, slot)
            if inner is not None:
                self._tidy(child, inner, own or holder, notes)
        api = shape.api  # set exactly when `own` is
        if own is not None and api is not None and own.found:
            for found, where in own.found:
                if own.has_one:
                    note_skipped(notes, where, found.tag)
                    continue
                own.has_one = True
                inner = self._child_shape(found, api)
                if inner is not None:
                    self._tidy(found, inner, holder, notes)
                node.append(found)
                known.append((api.index, found))
            in_order = False
        if not in_order and only_elements:
            known.sort(key=lambda entry: entry[0])  # stable: repeated elements keep their order
            for _, child in known:
                node.append(child)


def note_skipped(notes: Notes, parent: str, tag: str) -> None:
    """Count a child of `parent` (its type's label) that was removed, by "<parent>.<localname>"."""
    name = f"{parent}.{local_name(tag)}"
    notes[name] = notes.get(name, 0) + 1


def _soap_body(envelope: etree._Element) -> etree._Element | None:
    if not isinstance(envelope.tag, str) or etree.QName(envelope).namespace not in SOAP_ENVELOPES:
        return None
    return next((child for child in envelope if isinstance(child.tag, str) and local_name(child.tag) == "Body"
                 and etree.QName(child).namespace in SOAP_ENVELOPES), None)


def _matches(tag: str, qname: etree.QName) -> bool:
    """Whether an element with this tag is the element `qname` as zeep matches elements."""
    namespace = etree.QName(tag).namespace
    return local_name(tag) == qname.localname and not (namespace and qname.namespace and namespace != qname.namespace)


def tolerant_plugin(client: zeep.Client) -> TolerantReading | None:
    """The client's TolerantReading plugin, if it has one."""
    return next((plugin for plugin in client.plugins if isinstance(plugin, TolerantReading)), None)
