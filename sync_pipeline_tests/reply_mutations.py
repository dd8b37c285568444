"""Random damage to a SOAP reply's result, for tests that compare a fast decoder with zeep's."""

from __future__ import annotations

import random
from collections.abc import Sequence

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
ACTIONS = ("drop", "swap", "repeat", "text", "nil", "attribute", "namespace", "empty", "unknown", "shuffle")


def mutated(content: bytes, rng: random.Random, weird_texts: Sequence[str],
            actions: Sequence[str] = ACTIONS) -> bytes:
    """`content` with one element below Envelope > Body > Response > Result dropped, swapped with its
    neighbour, repeated, given odd text, made nil, given an attribute or another namespace, emptied,
    given an element no description defines (a sibling or, in a complex one, a child), its children
    shuffled, or (action "exception") an APIException put inside it."""
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
    elif action == "unknown":
        namespace = etree.QName(node).namespace
        extra = etree.Element(f"{{{namespace}}}Extra{rng.randrange(3)}" if namespace else "Extra")
        extra.text = rng.choice(weird_texts)
        if len(node):
            node.insert(rng.randrange(len(node) + 1), extra)
        else:
            node.addnext(extra)
    elif action == "shuffle":
        children = list(node)
        rng.shuffle(children)
        for child in children:
            node.append(child)
    elif action == "exception":
        namespace = etree.QName(node).namespace
        exception = etree.SubElement(node, f"{{{namespace}}}APIException")
        etree.SubElement(exception, f"{{{namespace}}}Message").text = rng.choice(weird_texts)
        if len(node) > 1:
            node.insert(rng.randrange(len(node)), exception)
    return etree.tostring(root)
