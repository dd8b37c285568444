"""Random damage to a SOAP reply's result, for tests that compare a fast decoder with zeep's."""

from __future__ import annotations

import random
from collections.abc import Sequence

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
ACTIONS = ("drop", "swap", "repeat", "text", "nil", "attribute", "namespace", "empty")


def mutated(content: bytes, rng: random.Random, weird_texts: Sequence[str],
            actions: Sequence[str] = ACTIONS) -> bytes:
    """`content` with one element below Envelope > Body > Response > Result dropped, swapped with its
    neighbour, repeated, given odd text, made nil, given an attribute or another namespace, or emptied."""
    root = etree.fromstring(content)
    result = root[0][0][0]
    nodes = [node for node in result.iter() if node is not result]
    if not nodes:
        return content
    node = rng.choice(nodes)
    parent = node.getparent()
    action = rng.choice(actions)
    if action == "drop":
        parent.remove(node)
    elif action == "swap" and node.getnext() is not None:
        node.addprevious(node.getnext())
    elif action == "repeat":
        node.addnext(etree.fromstring(etree.tostring(node)))
    elif action == "text" and len(node) == 0:
        node.text = rng.choice(weird_texts)
    elif action == "nil":
        node.set(f"{{{XSI}}}nil", "true")
    elif action == "attribute":
        node.set("note", "x")
    elif action == "namespace":
        node.tag = "{urn:other}" + etree.QName(node).localname
    elif action == "empty":
        for child in list(node):
            node.remove(child)
        node.text = None
    return etree.tostring(root)
