"""Chosen elements of a reply read in one pass into the plain values zeep's serialize_object gives.

A client that builds its records from zeep's values (`serialize_object(result, dict)`) reads only some
of them. `values_plan(xsd_type, wanted)` reads an element of a complex type into those values and no
others: `wanted` has the shape of zeep's values, e.g. {"Article": {"SystemId": None}, "Count": None}
(None: a simple element; a dict: a complex one and the elements wanted of it; {"Item": [wanted]}: an
ArrayOf… element and what is wanted of each item). The result is zeep's dict with only those keys.

An element is read as zeep reads it: a simple one from its text alone (zeep's own conversion, None
without text), a complex one without children as None, an array as {"Item": [...]}. Each element
that is not wanted is still checked where zeep's conversion could refuse it (a decimal zeep cannot
read raises, a date-time zeep cannot read is logged): such a reply, an unknown, repeated or
out-of-order element, or a required one missing raise Unusual, and zeep decodes the reply instead.
So does any attribute but xsi:nil="true" (zeep switches type on xsi:type), and xsi:nil on a complex
element without children (zeep gives a record of Nones for it); elsewhere xsi:nil changes nothing
for zeep, which reads a simple element from its text alone and a complex one from its children.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree
from zeep.xsd import ComplexType
from zeep.xsd.types import builtins

from sync_pipeline.soap.fast_reply import CANONICAL_DATETIME, INT_TYPES, Unusual, reads_as_text, sequence_elements

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
SKIP, TEXT, INT, DECIMAL, DATETIME, COMPLEX = range(6)


class ValuesPlan:
    """Reads one complex type (a plain sequence of single elements) into the wanted part of zeep's values."""

    def __init__(self, xsd_type: ComplexType, wanted: dict[str, Any]):
        self.entries: dict[str, tuple[int, str | None, int, Any, int]] = {}
        elements = sequence_elements(xsd_type)
        for index, (name, element) in enumerate(elements):
            if element.max_occurs != 1:
                raise Unusual(f"{xsd_type.name}.{name} is not a single element")
            kind, plan = _kind(element.type, wanted.get(name), name in wanted)
            self.entries[element.qname.text] = (index, name if name in wanted else None, kind, plan,
                                                int(element.min_occurs > 0))
        if unknown := set(wanted) - {name for name, _ in elements}:
            raise Unusual(f"{xsd_type.name} has no {sorted(unknown)}")
        self.template = dict.fromkeys(wanted)
        self.required = sum(required for *_, required in self.entries.values())

    def read(self, node: etree._Element) -> dict[str, Any] | None:
        if len(node) == 0:
            if node.attrib:
                raise Unusual(f"{node.tag!r}: zeep gives a record of Nones for it")  # xsi:nil
            return None  # as zeep gives it
        values = dict(self.template)
        entries = self.entries
        position = -1
        required = 0
        try:
            for child in node:
                index, name, kind, plan, is_required = entries[child.tag]
                if index <= position:
                    raise Unusual(f"{child.tag!r} repeated or out of order")
                position = index
                required += is_required
                attributes = child.attrib
                if attributes and _unusual(attributes):
                    raise Unusual(f"{child.tag!r}: an attribute zeep reads its own way")
                if kind == SKIP:
                    continue
                if kind == COMPLEX:
                    values[name] = plan.read(child)
                    continue
                value = text = child.text
                if text is None or kind == TEXT:
                    pass
                elif kind == DECIMAL:
                    value = Decimal(text)  # zeep collapses whitespace first; Decimal() strips it itself
                elif kind == INT:
                    value = int(text)  # zeep's own conversion for these types
                elif not (CANONICAL_DATETIME.fullmatch(text) and datetime.fromisoformat(text)):
                    raise Unusual(f"a date-time zeep reads its own way: {text!r}")
                if name is not None:
                    values[name] = value
        except KeyError as unknown:
            raise Unusual(f"unexpected element {unknown}") from None
        except (ValueError, ArithmeticError) as bad:
            # zeep logs an unreadable number and gives None, or raises: let it do so
            raise Unusual(f"a value zeep reads its own way ({bad})") from None
        if required != self.required:
            raise Unusual(f"a required element of {node.tag!r} is missing")  # zeep may refuse the reply
        return values


class ArrayPlan:
    """Reads an ArrayOf… element into zeep's values: {"Item": [each item's values]}, None when empty."""

    def __init__(self, xsd_type: ComplexType, wanted: dict[str, Any]):
        (name, item), = sequence_elements(xsd_type)
        if not item.accepts_multiple or list(wanted) != [name] or not isinstance(wanted[name], list):
            raise Unusual(f"{xsd_type.name} is not read as an array of {name}")
        (item_wanted,) = wanted[name]
        self.name, self.tag = name, item.qname.text
        self.item = values_plan(item.type, item_wanted)

    def read(self, node: etree._Element) -> dict[str, list[Any]] | None:
        if len(node) == 0:
            if node.attrib:
                raise Unusual(f"{node.tag!r}: zeep gives a record of Nones for it")
            return None
        tag, read = self.tag, self.item.read
        items = []
        for child in node:
            if child.tag != tag:
                raise Unusual(f"unexpected element {child.tag!r} in an array of {tag!r}")
            attributes = child.attrib
            if attributes and _unusual(attributes):
                raise Unusual(f"{child.tag!r}: an attribute zeep reads its own way")
            items.append(read(child))
        return {self.name: items}


def values_plan(xsd_type: Any, wanted: dict[str, Any]) -> ValuesPlan | ArrayPlan:
    """The plan for a complex type: an array when `wanted` is {"Item": [...]}, else a sequence."""
    if not isinstance(xsd_type, ComplexType):
        raise Unusual(f"{xsd_type.name} is not a complex type")
    if len(wanted) == 1 and isinstance(next(iter(wanted.values())), list):
        return ArrayPlan(xsd_type, wanted)
    return ValuesPlan(xsd_type, wanted)


def _unusual(attributes: Any) -> bool:
    """Attributes other than xsi:nil="true" (namespace declarations are not attributes)."""
    return len(attributes) != 1 or attributes.get(XSI_NIL) != "true"


def _kind(xsd_type: Any, wanted: Any, is_wanted: bool) -> tuple[int, Any]:
    """How an element is read: its kind, and the plan of a wanted complex element."""
    if isinstance(xsd_type, ComplexType):
        if not isinstance(wanted, dict):
            raise Unusual(f"{xsd_type.name}: a complex element not wanted, or wanted as a simple value")
        return COMPLEX, values_plan(xsd_type, wanted)
    if wanted is not None:
        raise Unusual(f"{xsd_type.name}: a simple element wanted as a complex one")
    kind = type(xsd_type)
    if not is_wanted and (reads_as_text(xsd_type) or kind is builtins.Boolean):
        return SKIP, None  # zeep's conversion cannot fail
    if reads_as_text(xsd_type):
        return TEXT, None
    if kind in INT_TYPES:
        return INT, None
    if kind is builtins.Decimal:
        return DECIMAL, None
    if kind is builtins.DateTime and not is_wanted:
        return DATETIME, None
    raise Unusual(f"{xsd_type.name}: a type the fast path does not read")
