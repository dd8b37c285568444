"""A SOAP 1.1 endpoint driven by a service description: requests parsed and replies rendered by zeep.

Requests are read as leniently as ASP.NET web services (the XmlSerializer behind both vendors' .asmx
endpoints) read them: elements in any order, elements the schema requires left out, elements the
description does not define ignored (see docs/sandboxes.md). What is not XML, not a SOAP 1.1 envelope,
or not an operation of the service is still a fault, and so is a value its type cannot hold.
Replies are rendered strictly, by the description.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import zeep
from lxml import etree
from zeep.helpers import serialize_object

from sync_pipeline.sandbox.fit import ReplyFitter
from sync_pipeline.sandbox.unknown_elements import add_unknown_elements

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
# Characters XML 1.0 forbids. ASP.NET web services write them as numeric character references
# (&#x1B;) rather than refusing to answer, and so does the sandbox: lxml refuses them (ValueError),
# so a reply that holds one is rendered again with private-use markers in their place, which become
# the references in the bytes. Replies almost never hold one: the plain rendering is tried first.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_MARKED = re.compile("\U000f0000([0-9A-F]+)\U000f0001".encode())


class SoapFault(Exception):
    """Raised by a handler to answer with a SOAP fault (HTTP 500 by default)."""

    def __init__(self, message: str, code: str = "soap:Server", http_status: int = 500):
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status


@dataclass
class RequestContext:
    """What a handler may read from, and set on, the HTTP exchange."""

    operation: str
    cookies: Mapping[str, str]
    headers: Mapping[str, str]
    set_cookies: dict[str, str] = field(default_factory=dict)
    record_key: str | None = None  # shown in the sandbox call log
    detail: str | None = None  # what the call did to its record ("created", "updated"...), shown there too
    unknown_elements: bool = False  # the reply's records carry elements no description defines (a fault)


Handler = Callable[[dict[str, Any], RequestContext], Mapping[str, Any]]


class SoapService:
    """One SOAP endpoint: a service description plus a handler per operation.

    `records`: the local names of the reply elements that are records (Product, InventoryLine...),
    where the fault `unknown_elements` adds elements. `fit_replies`: handlers may answer with elements
    the description lacks; they are left out (see fit.py).
    """

    def __init__(self, wsdl_path: Path, handlers: Mapping[str, Handler], records: Iterable[str] = (),
                 fit_replies: bool = False):
        self.wsdl_path = wsdl_path
        self.client = zeep.Client(str(wsdl_path))
        self.namespace = _target_namespace(wsdl_path)
        self.handlers = dict(handlers)
        self.records = frozenset(records)
        self._fitter = ReplyFitter(self.client) if fit_replies else None
        operations = {op for binding in self.client.wsdl.bindings.values() for op in binding._operations}
        missing = set(self.handlers) - operations
        if missing:
            raise ValueError(f"handlers for operations not in {wsdl_path.name}: {sorted(missing)}")

    def wsdl_text(self, address: str) -> bytes:
        """The service description with its soap:address pointing at `address`."""
        tree = etree.parse(str(self.wsdl_path), _SAFE_PARSER)
        for node in tree.iter("{http://schemas.xmlsoap.org/wsdl/soap/}address"):
            node.set("location", address)
        return etree.tostring(tree, xml_declaration=True, encoding="utf-8")

    @staticmethod
    def read(body: bytes) -> etree._Element:
        """The request a body carries (the Body's first child); raises SoapFault for an unreadable one."""
        return _body_child(_parse(body))

    @staticmethod
    def operation_of(request: etree._Element) -> str:
        """The operation a request (see read) asks for."""
        return etree.QName(request).localname

    def handle(self, body: bytes, context: RequestContext) -> tuple[int, bytes]:
        """Answer one request body: (HTTP status, envelope bytes)."""
        try:
            request = self.read(body)
        except SoapFault as fault:
            return fault.http_status, render_fault(fault.message, fault.code)
        return self.answer(request, context)

    def answer(self, request: etree._Element, context: RequestContext) -> tuple[int, bytes]:
        """Answer one request read already (see read): (HTTP status, envelope bytes)."""
        try:
            name = etree.QName(request)
            if name.namespace != self.namespace:
                raise SoapFault(f"Unknown namespace {name.namespace!r}", code="soap:Client")
            handler = self.handlers.get(name.localname)
            if handler is None:
                raise SoapFault(f"Unknown operation {name.localname!r}", code="soap:Client")
            values = self.parse(request)
            reply = handler(values, context)
            records = self.records if context.unknown_elements else frozenset()
            return 200, self._render(name.localname + "Response", reply, records)
        except SoapFault as fault:
            return fault.http_status, render_fault(fault.message, fault.code)

    def parse(self, request: etree._Element) -> dict[str, Any]:
        """The values of a request of one of this service's operations, read as leniently as ASP.NET reads it.

        zeep's strict reading refuses what the real services take: with strict off, a required element
        left out is None and an element the schema does not have is ignored; with the sequence order
        ignored, elements in any order are found by name. A value its type cannot hold is still refused.
        """
        element = self.client.get_element(request.tag)
        try:
            with self.client.settings(strict=False, xsd_ignore_sequence_order=True):
                parsed = element.parse(request, self.client.wsdl.types)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the caller's fault
            raise SoapFault(f"Server was unable to read request. ---> {exc}", code="soap:Client") from exc
        return _without_ignored(serialize_object(parsed, dict) or {})

    def _render(self, element_name: str, values: Mapping[str, Any], records: frozenset[str] = frozenset()) -> bytes:
        qname = f"{{{self.namespace}}}{element_name}"
        element = self.client.get_element(qname)
        if self._fitter is not None:
            values = self._fitter.element(qname)(values)
        try:
            return _envelope(element, values, records)
        except ValueError:  # lxml refuses a character XML 1.0 forbids: rare, so marked only now
            return _as_references(_envelope(element, _marked(values), records))


CHECK_RENDER = "SANDBOX_CHECK_RENDER"  # "1": every reply rendered both ways and compared (see _envelope)


def _envelope(element: Any, values: Mapping[str, Any], records: frozenset[str]) -> bytes:
    """The reply's envelope, rendered by zeep from the handler's plain values.

    zeep renders nested dicts and lists as it renders its own value objects, so the objects are
    not built: a third of the time for a long reply (a 100,000-product catalogue took 26 s). With
    CHECK_RENDER set in the environment (the test suite sets it) every reply is also rendered the
    long way, which refuses a name the schema does not have, and the two must be the same bytes.
    """
    rendered = _rendered(lambda body: element.render(body, values), records)
    if os.environ.get(CHECK_RENDER) == "1":
        built = _rendered(lambda body: element.render(body, element(**values)), records)
        if built != rendered:
            raise AssertionError(f"{element.qname}: rendered from plain values, the reply differs from zeep's own")
    return rendered


def _rendered(render: Callable[[etree._Element], None], records: frozenset[str]) -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    render(body)
    if records:
        add_unknown_elements(body, records)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


# Where zeep puts the elements a lenient parse did not place: the sandbox ignores them, as ASP.NET does.
_IGNORED = "_raw_elements"


def _without_ignored(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_ignored(item) for key, item in value.items() if key != _IGNORED}
    if isinstance(value, list):
        return [_without_ignored(item) for item in value]
    return value


def render_fault(message: str, code: str = "soap:Server") -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = _marked(message)
    return _as_references(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def _marked(value: Any) -> Any:
    """`value` with every character XML 1.0 forbids replaced by a marker (see _UNWRITABLE)."""
    if isinstance(value, str):
        if not _UNWRITABLE.search(value):
            return value
        return _UNWRITABLE.sub(lambda m: f"\U000f0000{ord(m[0]):X}\U000f0001", value)
    if isinstance(value, Mapping):
        return {key: _marked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_marked(item) for item in value]
    return value


def _as_references(document: bytes) -> bytes:
    return _MARKED.sub(lambda m: b"&#x" + m[1] + b";", document)


def _parse(body: bytes) -> etree._Element:
    try:
        root = etree.fromstring(body, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapFault(f"Server was unable to read request. ---> {exc}", code="soap:Client") from exc
    if root.getroottree().docinfo.doctype:
        raise SoapFault("DTD is prohibited in this XML document.", code="soap:Client")
    return root


def _body_child(envelope: etree._Element) -> etree._Element:
    body = envelope.find(f"{{{SOAP_ENV}}}Body")
    if body is None or len(body) == 0:
        raise SoapFault("Request has no SOAP 1.1 Body.", code="soap:Client")
    return body[0]


def _target_namespace(wsdl_path: Path) -> str:
    return etree.parse(str(wsdl_path), _SAFE_PARSER).getroot().get("targetNamespace")
