"""The fault `unknown_elements`: records in replies carry elements no service description defines.

Both vendors' services grow: Ongoing's 2024 description has many elements its 2017 one lacks, and a
client built from today's description will meet elements it has never heard of. With the fault on,
every record of a reply (each system names its record elements, see SoapService.records) gets two
such elements: a simple one just after its first child, where a sequence reader that stops at an
element it does not know would lose the rest of the record, and one with children of its own at
its end. Neither name is defined by any description of either vendor.
"""

from __future__ import annotations

from lxml import etree

ADDED_VALUE = "SandboxAddedValue"
ADDED_RECORD = "SandboxAddedRecord"
ADDED_NAMES = (ADDED_VALUE, ADDED_RECORD)
_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def add_unknown_elements(root: etree._Element, records: frozenset[str]) -> None:
    """Add the two unknown elements to every element under `root` whose local name is in `records`."""
    found = [element for element in root.iter() if isinstance(element.tag, str)
             and etree.QName(element).localname in records and element.get(_NIL) != "true"]
    for record in found:
        namespace = etree.QName(record).namespace
        value = etree.Element(_tag(namespace, ADDED_VALUE))
        value.text = "added by the sandbox's unknown_elements fault"
        record.insert(min(1, len(record)), value)
        added = etree.SubElement(record, _tag(namespace, ADDED_RECORD))
        etree.SubElement(added, _tag(namespace, "Code")).text = "GROWN-1"
        etree.SubElement(added, _tag(namespace, "Since")).text = "2026-01-01T00:00:00"


def _tag(namespace: str | None, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name
