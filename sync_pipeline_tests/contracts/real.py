"""The vendors' real service descriptions, and validation of messages against their schemas.

The real WSDL files live outside the project (see ../shared/contracts/*/SOURCE.md) and are never
copied into it. Tests use them as the yardstick for our own subset descriptions and for every
message our clients send or our sandboxes answer.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any

import zeep
from lxml import etree

PROJECT_ROOT = Path(__file__).resolve().parents[2]

XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP_ENV_NS = (
    "http://schemas.xmlsoap.org/soap/envelope/",  # SOAP 1.1
    "http://www.w3.org/2003/05/soap-envelope",  # SOAP 1.2
)

ERP_WSDL_DIR = PROJECT_ROOT / "sync_pipeline" / "erp" / "wsdl"
WMS_WSDL_DIR = PROJECT_ROOT / "sync_pipeline" / "wms" / "wsdl"

ONGOING_2024 = "ongoing/ongoing-wsi-service-2024.wsdl"
ONGOING_2017 = "ongoing/ongoing-wsi-service-2017.wsdl"

# Our subset file -> the real file(s), relative to contracts_dir(); the first one is the one we follow.
REAL_WSDL: dict[Path, tuple[str, ...]] = {
    ERP_WSDL_DIR / "authenticate.wsdl": ("24sevenoffice/authService.wsdl",),
    ERP_WSDL_DIR / "product.wsdl": ("24sevenoffice/productService.wsdl",),
    ERP_WSDL_DIR / "invoice.wsdl": ("24sevenoffice/invoiceService.wsdl",),
    ERP_WSDL_DIR / "company.wsdl": ("24sevenoffice/companyService.wsdl",),
    WMS_WSDL_DIR / "ongoing.wsdl": (ONGOING_2024, ONGOING_2017),
}


def contracts_dir() -> Path:
    """Where the real service descriptions are; raises (never skips) when they cannot be found."""
    configured = os.environ.get("SYNC_CONTRACTS_DIR")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise FileNotFoundError(f"SYNC_CONTRACTS_DIR={configured!r} is not a directory")
        return path
    beside = PROJECT_ROOT.parent / "shared" / "contracts"
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"real service descriptions not found; set SYNC_CONTRACTS_DIR or provide {beside}")


def real_wsdl(ours: Path | str, index: int = 0) -> Path:
    """The real file for one of our subset files, given by path or file name ("ongoing.wsdl").

    index 0 is the file we follow; for Ongoing, index 1 is the 2017 description.
    """
    matches = [path for path in REAL_WSDL if path == Path(ours) or path.name == str(ours)]
    if len(matches) != 1:
        raise KeyError(f"not one of our subset service descriptions: {ours}")
    return contracts_dir() / REAL_WSDL[matches[0]][index]


class _InMemorySchemas(etree.Resolver):
    """Serves the schemas of one WSDL's <types> to xs:import by made-up URLs."""

    def __init__(self, documents: dict[str, bytes]):
        super().__init__()
        self._documents = documents

    def resolve(self, url: str, pubid: str, context: Any) -> Any:
        if url in self._documents:
            return self.resolve_string(self._documents[url], context)
        return None


def _schema_url(index: int) -> str:
    return f"wsdl-types:schema-{index}.xsd"


def _standalone_schema(schema: etree._Element, locations: dict[str, str]) -> bytes:
    # A fresh root declaring every prefix in scope keeps QName values such as type="tns:X" resolvable.
    root = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap=schema.nsmap)
    for child in schema:
        root.append(_copy(child))
    for imported in root.iterfind(f"{{{XSD_NS}}}import"):
        namespace = imported.get("namespace")
        if namespace in locations and not imported.get("schemaLocation"):
            imported.set("schemaLocation", locations[namespace])
    return etree.tostring(root)


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _schema_from_wsdl(wsdl: Path) -> etree.XMLSchema:
    document = etree.parse(str(wsdl))
    schemas = document.getroot().findall(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
    if not schemas:
        raise ValueError(f"{wsdl} has no <types>/<schema>")
    locations = {s.get("targetNamespace", ""): _schema_url(i) for i, s in enumerate(schemas)}
    documents = {_schema_url(i): _standalone_schema(s, locations) for i, s in enumerate(schemas)}

    wrapper = etree.Element(f"{{{XSD_NS}}}schema", nsmap={"xs": XSD_NS})
    for namespace, url in locations.items():
        etree.SubElement(wrapper, f"{{{XSD_NS}}}import", namespace=namespace, schemaLocation=url)

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(_InMemorySchemas(documents))
    wrapper_doc = etree.fromstring(etree.tostring(wrapper), parser).getroottree()
    return etree.XMLSchema(wrapper_doc)


@functools.lru_cache(maxsize=None)
def real_schema(path: Path | str) -> etree.XMLSchema:
    """One XML Schema combining every <s:schema> in the WSDL's <types>."""
    return _schema_from_wsdl(Path(path))


# A schema keeps the error log of its last run; clients and sandbox threads may validate at once.
_validation_lock = threading.Lock()


def validate_element(real_wsdl_path: Path | str, element: etree._Element) -> None:
    """Validate one SOAP Body child (a request or reply wrapper element) against the real schema."""
    schema = real_schema(Path(real_wsdl_path))
    standalone = _copy(element)  # validate it as a document root, detached from the envelope
    with _validation_lock:
        if schema.validate(standalone):
            return
        errors = "\n".join(f"  line {e.line}: {e.message}" for e in schema.error_log)
    raise AssertionError(
        f"{etree.QName(element).localname} does not match {Path(real_wsdl_path).name}:\n{errors}"
    )


def body_child(envelope: bytes | etree._Element) -> etree._Element:
    """The single payload element of a SOAP 1.1 or 1.2 envelope."""
    root = etree.fromstring(envelope) if isinstance(envelope, bytes) else envelope
    for namespace in SOAP_ENV_NS:
        body = root.find(f"{{{namespace}}}Body")
        if body is not None:
            children = [child for child in body if isinstance(child.tag, str)]
            if len(children) != 1:
                raise AssertionError(f"SOAP Body has {len(children)} elements, expected 1")
            return children[0]
    raise AssertionError(f"not a SOAP envelope: root is {root.tag}")


def is_fault(element: etree._Element) -> bool:
    return etree.QName(element).localname == "Fault" and etree.QName(element).namespace in SOAP_ENV_NS


def validate_envelope(real_wsdl_path: Path | str, envelope: bytes | etree._Element) -> etree._Element:
    """Validate the Body's child of an envelope; returns that child."""
    child = body_child(envelope)
    validate_element(real_wsdl_path, child)
    return child


class RealSchemaValidator(zeep.Plugin):
    """zeep plugin: every outgoing request (and optionally every reply) must match the real schema.

    Add it to a client under test and assert on `validated` afterwards, so that a request that never
    went through the plugin cannot pass unnoticed.
    """

    def __init__(self, real_wsdl_path: Path | str, *, validate_replies: bool = False):
        self.real_wsdl_path = Path(real_wsdl_path)
        self.validate_replies = validate_replies
        self.validated: list[str] = []
        self.validated_replies: list[str] = []

    def egress(self, envelope: etree._Element, http_headers: dict, operation: Any, binding_options: Any):
        validate_envelope(self.real_wsdl_path, envelope)
        self.validated.append(operation.name)
        return envelope, http_headers

    def ingress(self, envelope: etree._Element, http_headers: dict, operation: Any):
        if self.validate_replies:
            child = body_child(envelope)
            if not is_fault(child):  # faults are SOAP's own, not the service schema's
                validate_element(self.real_wsdl_path, child)
                self.validated_replies.append(operation.name)
        return envelope, http_headers
