"""Requests rendered from the vendors' REAL service descriptions, then reshaped by hand as other clients
write them (elements left out, nil, in another order), and posted to a sandbox as they are."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import requests
import zeep
from lxml import etree

from sync_pipeline_tests.contracts.real import body_child, contracts_dir

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
Reshape = Callable[[etree._Element], None]


@functools.lru_cache(maxsize=None)
def real_client(relative_path: str) -> zeep.Client:
    """A zeep client of one real description under contracts_dir() (parsed once per run)."""
    return zeep.Client(str(contracts_dir() / relative_path))


def request(relative_path: str, operation: str, **values: Any) -> etree._Element:
    """The SOAP 1.1 envelope a client of the real description sends for `operation`."""
    client = real_client(relative_path)
    binding = next(name for name in client.wsdl.bindings if name.endswith("Soap"))
    service = client.bind(next(iter(client.wsdl.services)), etree.QName(binding).localname)
    return client.create_message(service, operation, **values)


def post(url: str, envelope: etree._Element, session: requests.Session | None = None) -> tuple[int, etree._Element]:
    """POST one envelope; (HTTP status, the reply's Body child)."""
    reply = (session or requests).post(url, data=etree.tostring(envelope), timeout=10,
                                       headers={"Content-Type": "text/xml; charset=utf-8"})
    return reply.status_code, body_child(reply.content)


# -- reshaping: each takes the path of local names below the Body's child ----------------------------

def _find(envelope: etree._Element, path: Iterable[str]) -> etree._Element:
    node = body_child(envelope)
    for name in path:
        node = next(child for child in node if etree.QName(child).localname == name)
    return node


def left_out(*path: str) -> Reshape:
    """The element at `path` is not sent at all."""
    def reshape(envelope: etree._Element) -> None:
        node = _find(envelope, path)
        node.getparent().remove(node)
    return reshape


def nil(*path: str) -> Reshape:
    """The element at `path` is sent as xsi:nil="true" (with no content)."""
    def reshape(envelope: etree._Element) -> None:
        node = _find(envelope, path)
        for child in list(node):
            node.remove(child)
        node.text = None
        node.set(XSI_NIL, "true")
    return reshape


def reversed_children(*path: str) -> Reshape:
    """The children of the element at `path` come in the opposite order of the description's sequence."""
    def reshape(envelope: etree._Element) -> None:
        node = _find(envelope, path)
        children = list(node)
        for child in children:
            node.remove(child)
        node.extend(reversed(children))
    return reshape


def reshaped(envelope: etree._Element, *reshapes: Reshape) -> etree._Element:
    for reshape in reshapes:
        reshape(envelope)
    return envelope


def local(element: etree._Element, name: str) -> str | None:
    """The text of the first descendant of `element` with local name `name`."""
    found = next((node for node in element.iter() if etree.QName(node).localname == name), None)
    return None if found is None else found.text
