"""Reading large SOAP replies faster than zeep does, with exactly zeep's results and zeep's errors.

zeep decodes a reply by walking its schema objects for every element: a reply of 50,000 records
costs seconds. A fast reader sends the request through zeep as always (same envelope, plugins,
transport, timeouts) but takes the HTTP reply as it came (`raw_reply`); `ReplyReader.read` then:

1. leaves anything but a plain HTTP 200 SOAP reply (other statuses, empty or multipart bodies,
   WS-Security) to zeep's own reply processing, so failures raise exactly what they always raised;
2. parses the bytes with zeep's own safe parser and the client's settings (no DTD, no entities, no
   network; huge_tree as configured) and lets the client's ingress plugins see the envelope, all
   but TolerantReading (soap/tolerant.py), whose work the fast pass does inline;
3. raises a SOAP fault by zeep's own fault handling (so classify() sorts it as before);
4. reads the records in one pass (`fast_items`, written for each operation), with cyclic garbage
   collection paused. Like TolerantReading, the pass skips the elements the description does not
   define there (noting them by the same names) and reads known ones in whatever order they come.
   Whatever that pass does not know to give exactly as TolerantReading and zeep's path do raises
   `Unusual` (as does any error while it reads), and TolerantReading then zeep decode the envelope.
   The notes of a pass count only when it succeeds, so both ways note the same for every reply.

`records()` turns zeep's values into records as the client always did. A client whose models'
errors were always raised outside its retries calls `read()` inside them and `records()` outside.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, NamedTuple, TypeVar

from lxml import etree
from zeep.exceptions import XMLSyntaxError
from zeep.helpers import serialize_object
from zeep.loader import parse_xml
from zeep.utils import get_media_type
from zeep.xsd import ComplexType, Element, Sequence
from zeep.xsd.types import builtins

from sync_pipeline.soap.tolerant import HOISTED, local_name, note_skipped, tolerant_plugin
from sync_pipeline.soap.unknown import Notes

R = TypeVar("R")

# What datetime.fromisoformat and isodate (zeep's parser) read alike; both drop digits of a fraction
# beyond the sixth. Anything else goes to zeep's own conversion.
CANONICAL_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?")
INT_TYPES = (builtins.Int, builtins.Long, builtins.Integer, builtins.Short)  # zeep reads them with int()


class Unusual(Exception):
    """Not something the fast path gives identically: zeep decodes the reply instead."""


def reads_as_text(xsd_type: Any) -> bool:
    """Whether zeep gives an element of this simple type as its text, unchanged (strings, enumerations)."""
    return isinstance(xsd_type, builtins.String) and type(xsd_type).pythonvalue is builtins.String.pythonvalue


# How zeep reads a simple element from its text; the fast readers number their own kinds from SIMPLE_KINDS.
TEXT, INT, DECIMAL, BOOL, DATETIME = range(5)
SIMPLE_KINDS = 5
_BY_BUILTIN = {builtins.Decimal: DECIMAL, builtins.Boolean: BOOL, builtins.DateTime: DATETIME}


def simple_kind(xsd_type: Any) -> int | None:
    """TEXT (unchanged), INT (int()), DECIMAL, BOOL or DATETIME; None for any other type, complex ones too."""
    if reads_as_text(xsd_type):
        return TEXT
    kind = type(xsd_type)
    if kind in INT_TYPES:
        return INT
    return _BY_BUILTIN.get(kind)


def sequence_elements(xsd_type: ComplexType) -> list[tuple[str, Element]]:
    """The elements of a complex type that is a plain sequence of qualified elements (no attributes,
    choices, any): a child with another tag is one the type does not define."""
    sequence = xsd_type._element
    if (xsd_type.attributes or not isinstance(sequence, Sequence) or len(sequence) != len(xsd_type.elements)
            or not all(isinstance(element, Element) and element.qname is not None and element.qname.namespace
                       for element in sequence)):
        raise Unusual(f"{xsd_type.name} is not a plain sequence of qualified elements")
    return list(xsd_type.elements)


def repeated(child: etree._Element) -> bool:
    """Whether an element with the same tag came before this one (a single element, repeated)."""
    tag = child.tag
    return any(sibling.tag == tag for sibling in child.itersiblings(preceding=True))


def skip_unknown(child: etree._Element, label: str, notes: Notes) -> None:
    """Note a child its parent's type does not define (`label`: the parent's name), as TolerantReading does.

    What TolerantReading does not simply remove is Unusual: a processing instruction, an unqualified
    element (zeep matches it by its local name) and an APIException (moved to its record).
    """
    tag = child.tag
    if not isinstance(tag, str) or tag[:1] != "{":
        raise Unusual(f"{label}: a processing instruction or an unqualified element")
    if local_name(tag) == HOISTED:
        raise Unusual(f"{label}: an {HOISTED} where the type has none")
    note_skipped(notes, label, tag)


class Decoded(NamedTuple):
    """One reply, read: the fast path's records, or else (records None) zeep's result as plain values."""

    records: list[Any] | None
    zeep_values: Any = None


class ReplyReader(Generic[R]):
    """The replies of one operation as records. Subclasses give `fast_items` and `by_zeep_values`.

    The reply's shape: Envelope > Body > <Op>Response > <Op>Result > what `fast_items` reads.
    """

    def __init__(self, client: Any, binding: Any, operation_name: str):
        self.client = client
        self.binding = binding
        self.operation = binding.get(operation_name)
        self.tolerant = tolerant_plugin(client)
        if self.tolerant is None:
            # Without it zeep's path refuses what the fast pass would skip: the two would differ.
            raise Unusual(f"{operation_name}: the client does not read tolerantly (no TolerantReading)")
        response = self.operation.output.body
        if len(response.type.elements) != 1:
            raise Unusual(f"{operation_name} does not answer with one result element")
        (_, self.result_element), = response.type.elements
        soap = binding.nsmap["soap-env"]
        self._path = (f"{{{soap}}}Envelope", f"{{{soap}}}Body", response.qname.text, self.result_element.qname.text)

    # -- one operation's own part ---------------------------------------------------------------

    def fast_items(self, result: etree._Element, notes: Notes) -> list[R]:
        """The records in the <Op>Result element, skipped elements noted; Unusual for what only zeep's path decodes."""
        raise NotImplementedError

    def by_zeep_values(self, values: Any) -> list[R]:
        """The records from zeep's result as plain values (serialize_object): the client's old way."""
        raise NotImplementedError

    # -- replies ------------------------------------------------------------------------------

    def reply(self, response: Any) -> list[R]:
        """The records in an HTTP reply (requests.Response); raises what zeep's path would raise."""
        return self.records(self.read(response))

    def read(self, response: Any) -> Decoded:
        """An HTTP reply read; raises what zeep raises for it (faults, transport and XML errors)."""
        client, binding, operation = self.client, self.binding, self.operation
        if (response.status_code != 200 or not response.content or client.wsse
                or get_media_type(response.headers.get("Content-Type", "text/xml")) == "multipart/related"):
            return Decoded(None, serialize_object(binding.process_reply(client, operation, response), dict))
        try:
            document = parse_xml(response.content, client.transport, settings=client.settings)
        except XMLSyntaxError:
            binding.process_reply(client, operation, response)  # raises zeep's TransportError for it
            raise
        headers = response.headers
        for plugin in client.plugins:  # zeep's apply_ingress, but for TolerantReading (the fast pass does its work)
            if plugin is not self.tolerant:
                document, headers = plugin.ingress(document, headers, operation) or (document, headers)
        if document.find("soap-env:Body/soap-env:Fault", namespaces=binding.nsmap) is not None:
            binding.process_error(document, operation)  # raises zeep.exceptions.Fault
        return self.read_envelope(document)

    def read_envelope(self, document: etree._Element) -> Decoded:
        """The reply's records by the fast pass, or else zeep's values (its skipped elements noted either way)."""
        notes: Notes = {}
        try:
            records = self.fast_records(document, notes)  # notes only when it succeeds
        except Unusual:
            return Decoded(None, self.zeep_values(document))
        if self.tolerant is not None:
            self.tolerant.collector.add(self.operation.name, notes)
        return Decoded(records)

    def zeep_values(self, document: etree._Element, notes: Notes | None = None) -> Any:
        """TolerantReading, then zeep's decoding, as plain values (serialize_object).

        The skipped elements go into `notes` if given, else into the client's collector.
        """
        if self.tolerant is not None:
            if notes is None:
                self.tolerant.ingress(document, {}, self.operation)
            else:
                self.tolerant.tidy(document, self.operation, notes)
        return serialize_object(self.operation.process_reply(document), dict)

    def records(self, decoded: Decoded) -> list[R]:
        """The records of a reply read; for zeep's values, made (and refused) as the client always did."""
        return decoded.records if decoded.records is not None else self.by_zeep_values(decoded.zeep_values)

    def content(self, content: bytes) -> list[R]:
        """The records in the bytes of a successful reply, as the client reads them (notes: its collector)."""
        document = parse_xml(content, self.client.transport, settings=self.client.settings)  # type: ignore[arg-type]  # zeep says str, reads bytes
        return self.records(self.read_envelope(document))

    def fast_records(self, envelope: etree._Element, notes: Notes | None = None) -> list[R]:
        """The records by the fast path alone; raises Unusual for what only zeep's path decodes.

        The elements it skipped are counted into `notes` (a dict of the caller's) if it succeeds.
        """
        node = envelope
        if node.tag != self._path[0]:
            raise Unusual(f"unexpected root {node.tag!r}")
        for tag in self._path[1:]:
            if node.attrib or len(node) != 1 or node[0].tag != tag:
                raise Unusual(f"unexpected content in {node.tag!r}")
            node = node[0]
        if node.attrib or len(node) == 0:
            raise Unusual("an empty result, or one with attributes")
        skipped: Notes = {}
        try:
            with gc_paused():
                records = self.fast_items(node, skipped)
        except Unusual:
            raise
        except Exception as error:  # noqa: BLE001 - from an element zeep parsed, or that a model refused:
            raise Unusual(repr(error)) from error  # zeep's whole path then ends as it ends
        if notes is not None:
            for name, count in skipped.items():
                notes[name] = notes.get(name, 0) + count
        return records


def raw_reply(proxy: Any, operation_name: str, **arguments: Any) -> Any:
    """What `proxy.<operation>(**arguments)` posts, and the HTTP reply as it came (requests.Response)."""
    with proxy._client.settings(raw_response=True):  # a thread's own setting
        return getattr(proxy, operation_name)(**arguments)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building many records at once.

    Each collection would walk every object of the process, over and over, while tens of thousands
    of records are built that are all kept anyway (a fifth of the decoding time in a busy process).
    Reference counting still frees everything at once; collection resumes afterwards.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
