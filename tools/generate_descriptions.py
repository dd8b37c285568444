"""Builds the project's service descriptions from the vendors' real ones.

    .venv/bin/python tools/generate_descriptions.py [CONTRACTS_DIR]      # writes them
    .venv/bin/python tools/generate_descriptions.py --check [CONTRACTS_DIR]  # exit 1 if any differs

Each of our descriptions (sync_pipeline/erp/wsdl/*.wsdl, sync_pipeline/wms/wsdl/ongoing.wsdl) holds
the operations the project calls, SOAP 1.1 only, and every type those operations reach, with all of
the type's elements as the real description defines them: the clients then know the whole record a
real service may send, and requests are rendered against the real types. The real descriptions are
read from CONTRACTS_DIR (default: $SYNC_CONTRACTS_DIR, else ../shared/contracts beside the project);
the package itself never needs them. Documentation text is left out: only the interface (names,
types, occurrences, order) is taken. Ongoing follows its 2024 description, which holds every element
of the 2017 one for these types (checked by the contract tests). See docs/contracts.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

PROJECT = Path(__file__).resolve().parents[1]
XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"

# Our file -> (the real file it is built from, the operations the project calls, what they are for).
DESCRIPTIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "sync_pipeline/erp/wsdl/authenticate.wsdl": (
        "24sevenoffice/authService.wsdl", ("Login", "HasSession"),
        "24SevenOffice Authenticate: Login and HasSession"),
    "sync_pipeline/erp/wsdl/product.wsdl": (
        "24sevenoffice/productService.wsdl", ("GetProducts", "SetStockQuantity"),
        "24SevenOffice ProductService: read products, write stock"),
    "sync_pipeline/erp/wsdl/invoice.wsdl": (
        "24sevenoffice/invoiceService.wsdl", ("GetOrderSyncList", "GetInvoices", "SaveInvoices"),
        "24SevenOffice InvoiceService: order sync list, read orders, change orders"),
    "sync_pipeline/erp/wsdl/company.wsdl": (
        "24sevenoffice/companyService.wsdl", ("GetCompanies",),
        "24SevenOffice CompanyService: read companies (suppliers, customer contact fallbacks)"),
    "sync_pipeline/wms/wsdl/ongoing.wsdl": (
        "ongoing/ongoing-wsi-service-2024.wsdl",
        ("ProcessArticle", "ProcessOrder", "UpdateOrder", "GetInventoryByQuery", "GetOrdersByQuery",
         "GetOrderStatuses", "GetReturnOrdersByQuery", "GetInventoryChanges", "SetInventoryChangesToReported"),
        "Ongoing WMS WSI service: article and order writes, stock and its change feed, order and return order reads"),
}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True, remove_comments=True)
# Which kind of global component each referring attribute names (elements and types share names).
_REFERENCE_ATTRIBUTES = {"type": "type", "base": "type", "itemType": "type", "ref": "element",
                         "substitutionGroup": "element"}
_KIND_OF_TAG = {"element": "element", "complexType": "type", "simpleType": "type"}
Key = tuple[str, str | None, str]  # (kind, namespace, name)


def contracts_dir(given: str | None) -> Path:
    for candidate in (given, os.environ.get("SYNC_CONTRACTS_DIR"), str(PROJECT.parent / "shared" / "contracts")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise SystemExit("the real service descriptions were not found: give CONTRACTS_DIR or set SYNC_CONTRACTS_DIR")


def _q(tag: str, namespace: str = XSD) -> str:
    return f"{{{namespace}}}{tag}"


def _clark(node: etree._Element, value: str) -> tuple[str | None, str]:
    prefix, _, local = value.rpartition(":")
    return node.nsmap.get(prefix or None), local


class RealDescription:
    """The parts of one real WSDL the generator copies from, by name."""

    def __init__(self, path: Path):
        self.root = etree.parse(str(path), _PARSER).getroot()
        self.target = self.root.get("targetNamespace")
        self.schemas = {s.get("targetNamespace"): s for s in self.root.iterfind(f"{_q('types', WSDL)}/{_q('schema')}")}
        self.globals: dict[Key, etree._Element] = {}
        for namespace, schema in self.schemas.items():
            for node in schema:
                if isinstance(node.tag, str) and node.get("name"):
                    kind = _KIND_OF_TAG.get(etree.QName(node).localname)
                    if kind is None:
                        raise ValueError(f"unsupported global {etree.QName(node).localname} {node.get('name')!r}")
                    self.globals[(kind, namespace, node.get("name"))] = node

    def soap11_binding(self) -> etree._Element:
        for binding in self.root.iterfind(_q("binding", WSDL)):
            if binding.find(_q("binding", SOAP11)) is not None:
                return binding
        raise ValueError("no SOAP 1.1 binding")

    def named(self, tag: str, name: str) -> etree._Element:
        for node in self.root.iterfind(_q(tag, WSDL)):
            if node.get("name") == name:
                return node
        raise KeyError(f"wsdl:{tag} {name!r} not found")

    def closure(self, roots: Iterable[Key]) -> list[Key]:
        """The global schema components `roots` name and everything they reach, in document order."""
        seen: set[Key] = set()
        pending = list(roots)
        while pending:
            key = pending.pop()
            if key in seen or key[1] == XSD:
                continue
            if key not in self.globals:
                raise KeyError(f"{key[0]} {key[2]} ({key[1]}) is not defined in the description")
            seen.add(key)
            for node in self.globals[key].iter():
                for attribute, kind in _REFERENCE_ATTRIBUTES.items():
                    if node.get(attribute):
                        pending.append((kind, *_clark(node, node.get(attribute))))
        return [key for key in self.globals if key in seen]


def _strip_documentation(node: etree._Element) -> etree._Element:
    for doc in list(node.iter(_q("annotation"), _q("documentation", WSDL))):
        doc.getparent().remove(doc)
    return node


def _copy(node: etree._Element) -> etree._Element:
    return _strip_documentation(etree.fromstring(etree.tostring(node), _PARSER))


def generate(real_path: Path, operations: tuple[str, ...], purpose: str, source: str) -> bytes:
    real = RealDescription(real_path)
    binding = real.soap11_binding()
    port_type = real.named("portType", _clark(binding, binding.get("type"))[1])
    port_ops = {op.get("name"): op for op in port_type.iterfind(_q("operation", WSDL))}
    binding_ops = {op.get("name"): op for op in binding.iterfind(_q("operation", WSDL))}
    missing = [name for name in operations if name not in port_ops or name not in binding_ops]
    if missing:
        raise KeyError(f"{real_path.name} has no operation(s) {missing}")

    messages, elements = [], []
    for name in operations:
        for direction in ("input", "output"):
            message = real.named("message", _clark(port_ops[name], port_ops[name].find(_q(direction, WSDL)).get("message"))[1])
            messages.append(message)
            for part in message.iterfind(_q("part", WSDL)):
                elements.append(("element", *_clark(part, part.get("element"))))

    root = etree.Element(real.root.tag, nsmap=real.root.nsmap, targetNamespace=real.target)
    documentation = etree.SubElement(root, _q("documentation", WSDL))
    documentation.text = (f"sync_pipeline's description of the {purpose}. Generated by tools/generate_descriptions.py "
                          f"from {source}: these operations, SOAP 1.1, with every type they reach in full. Do not edit.")
    types = etree.SubElement(root, _q("types", WSDL))
    reached = real.closure(elements)
    for namespace, schema in real.schemas.items():
        members = [real.globals[key] for key in reached if key[1] == namespace]
        if not members:
            continue
        copy = etree.SubElement(types, schema.tag, attrib=dict(schema.attrib), nsmap=schema.nsmap)
        for imported in schema.iterfind(_q("import")):
            if any(key[1] == imported.get("namespace") for key in reached):
                copy.append(_copy(imported))
        for member in members:
            copy.append(_copy(member))
    for message in messages:
        root.append(_copy(message))
    our_port_type = etree.SubElement(root, port_type.tag, attrib=dict(port_type.attrib))
    our_binding = etree.SubElement(root, binding.tag, attrib=dict(binding.attrib))
    our_binding.append(_copy(binding.find(_q("binding", SOAP11))))
    for name in operations:
        our_port_type.append(_copy(port_ops[name]))
        our_binding.append(_copy(binding_ops[name]))
    service = real.root.find(_q("service", WSDL))
    our_service = etree.SubElement(root, service.tag, attrib=dict(service.attrib))
    for port in service.iterfind(_q("port", WSDL)):
        if _clark(port, port.get("binding"))[1] == binding.get("name"):
            our_service.append(_copy(port))
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def generated(contracts: Path) -> dict[Path, bytes]:
    return {PROJECT / ours: generate(contracts / real, operations, purpose, real)
            for ours, (real, operations, purpose) in DESCRIPTIONS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contracts", nargs="?", help="folder of the real descriptions")
    parser.add_argument("--check", action="store_true", help="only tell whether the files are up to date")
    args = parser.parse_args(argv)
    stale = []
    for path, content in generated(contracts_dir(args.contracts)).items():
        if path.exists() and path.read_bytes() == content:
            continue
        stale.append(path.relative_to(PROJECT))
        if not args.check:
            path.write_bytes(content)
    for path in stale:
        print(f"{'differs' if args.check else 'written'}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
