"""Chosen elements of a reply read in one pass into the plain values zeep's serialize_object gives.

A client that builds its records from zeep's values (`serialize_object(result, dict)`) reads only some
of them. `values_plan(xsd_type, wanted, element)` reads an element of a complex type into those values
and no others: `wanted` has the shape of zeep's values, e.g. {"Article": {"SystemId": None}, "Count": None}
(None: a simple element; a dict: a complex one and the elements wanted of it; {"Item": [wanted]}: an
ArrayOf… element and what is wanted of each item). The result is zeep's dict with only those keys.

An element is read as zeep reads it after TolerantReading (soap/tolerant.py) tidied the reply: a
simple one from its text alone (zeep's own conversion, None without text), a complex one without
children as None, an array as {"Item": [...]}; an element the type does not define is skipped and
noted as TolerantReading notes it, known ones are read in whatever order they come. Each element
that is not wanted is still checked where zeep's conversion could refuse it (a decimal zeep cannot
read raises, a date-time zeep cannot read is logged; a complex one is checked, and its skipped
elements noted, all the way down): such a reply, a repeated single element, or a required one
missing before a later one raise Unusual, and zeep decodes the reply instead. So does any attribute but
xsi:nil="true" (zeep switches type on xsi:type), and xsi:nil on a complex element without children
(zeep gives a record of Nones for it); elsewhere xsi:nil changes nothing for zeep, which reads a
simple element from its text alone and a complex one from its children.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree
from zeep.xsd import ComplexType

from sync_pipeline.soap.fast_reply import (
    BOOL,
    CANONICAL_DATETIME,
    DATETIME,
    DECIMAL,
    INT,
    SIMPLE_KINDS,
    TEXT,
    Unusual,
    repeated,
    sequence_elements,
    simple_kind,
    skip_unknown,
)
from sync_pipeline.soap.tolerant import type_label
from sync_pipeline.soap.unknown import Notes

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
SKIP, COMPLEX = range(SIMPLE_KINDS, SIMPLE_KINDS + 2)
Plans = dict[ComplexType, "ValuesPlan"]  # the plans of complex elements nothing is wanted of, by type


class ValuesPlan:
    """Reads one complex type (a plain sequence of elements) into the wanted part of zeep's values."""

    def __init__(self, xsd_type: ComplexType, wanted: dict[str, Any], label: str, checks: Plans):
        if not wanted:
            checks[xsd_type] = self  # a type that contains itself is checked by this same plan
        self.label = label
        # tag -> (index, name if wanted, kind, plan, required bit, repeatable)
        self.entries: dict[str, tuple[int, str | None, int, Any, int, bool]] = {}
        elements = sequence_elements(xsd_type)
        self.required = 0
        for index, (name, element) in enumerate(elements):
            repeatable = element.max_occurs == "unbounded"
            if element.max_occurs != 1 and (name in wanted or not repeatable):
                raise Unusual(f"{label}.{name} is read as a single element, or repeats a bounded number of times")
            kind, plan = _kind(element, wanted.get(name), name in wanted, checks)
            bit = 1 << index if element.min_occurs > 0 else 0
            self.required |= bit
            self.entries[element.qname.text] = (index, name if name in wanted else None, kind, plan, bit, repeatable)
        if unknown := set(wanted) - {name for name, _ in elements}:
            raise Unusual(f"{label} has no {sorted(unknown)}")
        self.template = dict.fromkeys(wanted)

    def read(self, node: etree._Element, notes: Notes) -> dict[str, Any] | None:
        if len(node) == 0:
            if node.attrib:
                raise Unusual(f"{node.tag!r}: zeep gives a record of Nones for it")  # xsi:nil
            return None  # as zeep gives it
        values = dict(self.template)
        entries = self.entries
        position = -1
        required = skipped = 0
        try:
            for child in node:
                entry = entries.get(child.tag)
                if entry is None:
                    skip_unknown(child, self.label, notes)
                    skipped += 1
                    continue
                index, name, kind, plan, bit, repeatable = entry
                if index > position:
                    position = index
                elif not repeatable and repeated(child):
                    raise Unusual(f"{child.tag!r} repeated")
                required |= bit
                attributes = child.attrib
                if attributes and _unusual(attributes):
                    raise Unusual(f"{child.tag!r}: an attribute zeep reads its own way")
                if kind == SKIP:
                    continue
                if kind == COMPLEX:
                    value = plan.read(child, notes)
                    if name is not None:
                        values[name] = value
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
        except (ValueError, ArithmeticError) as bad:
            # zeep logs an unreadable number and gives None, or raises: let it do so
            raise Unusual(f"a value zeep reads its own way ({bad})") from None
        missing = self.required & ~required
        if missing and (missing & -missing).bit_length() - 1 < position:
            # zeep refuses a missing required element when a later one follows (not at the end)
            raise Unusual(f"a required element of {node.tag!r} is missing")
        if skipped == len(node):
            raise Unusual(f"{node.tag!r} holds only elements that were skipped")  # zeep: None, or refused
        return values


class ArrayPlan:
    """Reads an ArrayOf… element into zeep's values: {"Item": [each item's values]}, None when empty."""

    def __init__(self, xsd_type: ComplexType, wanted: dict[str, Any], label: str, checks: Plans):
        (name, item), = sequence_elements(xsd_type)
        if not item.accepts_multiple or list(wanted) != [name] or not isinstance(wanted[name], list):
            raise Unusual(f"{label} is not read as an array of {name}")
        (item_wanted,) = wanted[name]
        self.name, self.tag, self.label = name, item.qname.text, label
        self.item = values_plan(item.type, item_wanted, item, checks)

    def read(self, node: etree._Element, notes: Notes) -> dict[str, list[Any]] | None:
        if len(node) == 0:
            if node.attrib:
                raise Unusual(f"{node.tag!r}: zeep gives a record of Nones for it")
            return None
        tag, read, label = self.tag, self.item.read, self.label
        items = []
        for child in node:
            if child.tag != tag:
                skip_unknown(child, label, notes)
                continue
            attributes = child.attrib
            if attributes and _unusual(attributes):
                raise Unusual(f"{child.tag!r}: an attribute zeep reads its own way")
            items.append(read(child, notes))
        if not items:
            raise Unusual(f"{node.tag!r} holds only elements that were skipped")  # zeep: an empty list or None
        return {self.name: items}


def values_plan(xsd_type: Any, wanted: dict[str, Any], element: Any,
                checks: Plans | None = None) -> ValuesPlan | ArrayPlan:
    """The plan for a complex type: an array when `wanted` is {"Item": [...]}, else a sequence.

    `element`: the element of that type (its name labels the notes of an anonymous type).
    """
    if not isinstance(xsd_type, ComplexType):
        raise Unusual(f"{xsd_type.name} is not a complex type")
    checks = {} if checks is None else checks
    label = type_label(xsd_type, element)
    if len(wanted) == 1 and isinstance(next(iter(wanted.values())), list):
        return ArrayPlan(xsd_type, wanted, label, checks)
    if not wanted and xsd_type in checks:
        return checks[xsd_type]
    return ValuesPlan(xsd_type, wanted, label, checks)


def _unusual(attributes: Any) -> bool:
    """Attributes other than xsi:nil="true" (namespace declarations are not attributes)."""
    return len(attributes) != 1 or attributes.get(XSI_NIL) != "true"


def _kind(element: Any, wanted: Any, is_wanted: bool, checks: Plans) -> tuple[int, Any]:
    """How an element is read: its kind, and the plan of a complex element (wanted or only checked)."""
    xsd_type = element.type
    if isinstance(xsd_type, ComplexType):
        if is_wanted and not isinstance(wanted, dict):
            raise Unusual(f"{xsd_type.name}: a complex element wanted as a simple value")
        return COMPLEX, values_plan(xsd_type, wanted or {}, element, checks)
    if wanted is not None:
        raise Unusual(f"{xsd_type.name}: a simple element wanted as a complex one")
    kind = simple_kind(xsd_type)
    if not is_wanted and kind in (TEXT, BOOL):
        return SKIP, None  # zeep's conversion cannot fail
    if kind in (TEXT, INT, DECIMAL) or (kind == DATETIME and not is_wanted):
        return kind, None  # a date-time is only checked (zeep reads a wanted one)
    raise Unusual(f"{xsd_type.name}: a type the fast path does not read")
