"""A corpus of SOAP 1.1 replies generated from the vendors' real service descriptions, with the values they hold.

For each operation the clients read, `replies(operation)` builds, from the real description's output
element (corpus_schema.py), reply envelopes together with what they hold as Python values
(`Reply.result`: dicts of element name -> value, a list for an element that may repeat, None for
xsi:nil; absent elements are not in the dict):

- "full": every optional element present, recursively, two items in every array;
- "absent <path>": one optional element left out; "nil <path>": one nillable element xsi:nil;
- "unknown": an element no description has (FutureField) added at every complex level, and a
  FutureBlock with content in every record (`Reply.unknown` counts them by "<ParentType>.<name>");
  "unknown inside records": the same below the wrappers only;
- "reversed": the children of every complex element in reversed order;
- "APIException <path>@<i>" (24SevenOffice records): the record's APIException{Type, Message} as
  child i of the record or of an element nested in it (rows, addresses, ...).

Where an operation returns records, the variants of one record are batched: each record of a
batched reply carries one variant (`Reply.record_labels`; a record of about 1,000 elements, Ongoing's
Order, carries several absent/nil ones at paths apart), so the corpus stays quick to read;
`keeping_records` cuts a reply down to some of its records. `drawn_reply` builds one reply from
hypothesis's draws (elements present or not, nil, orderings, unknown elements), and `non_replies`
what is not a reply of the operation at all.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from lxml import etree

from sync_pipeline_tests.contracts.corpus_schema import ComplexType, Decl, description
from sync_pipeline_tests.contracts.corpus_values import (
    EXCEPTION_TYPES,
    ONGOING,
    SO24,
    Dialect,
    Picker,
    SeededPicker,
    chance,
    choice,
    permutation,
    value_for,
)
from sync_pipeline_tests.contracts.real import ONGOING_2017, ONGOING_2024, contracts_dir

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"

UNKNOWN_FIELD = "FutureField"  # names no real description has (checked when the corpus is built)
UNKNOWN_BLOCK = "FutureBlock"
API_EXCEPTION = "APIException"
RECURSION = 2  # how often one complex type may occur on the way down (Ongoing's pallet info nests itself)
BATCH = 40  # records per batched reply
ELEMENTS_PER_CHANGE = 120  # a record of more elements carries one absent/nil change per so many elements

SO24_DESCRIPTIONS = {
    "Login": "24sevenoffice/authService.wsdl",
    "HasSession": "24sevenoffice/authService.wsdl",
    "GetProducts": "24sevenoffice/productService.wsdl",
    "SetStockQuantity": "24sevenoffice/productService.wsdl",
    "GetOrderSyncList": "24sevenoffice/invoiceService.wsdl",
    "GetInvoices": "24sevenoffice/invoiceService.wsdl",
    "SaveInvoices": "24sevenoffice/invoiceService.wsdl",
    "GetCompanies": "24sevenoffice/companyService.wsdl",
}
ONGOING_OPERATIONS = ("GetInventoryByQuery", "GetOrdersByQuery", "GetOrderStatuses", "ProcessArticle",
                      "ProcessOrder", "UpdateOrder")


@dataclass(frozen=True)
class Operation:
    name: str
    description: str  # the real WSDL, relative to contracts_dir()

    @property
    def dialect(self) -> Dialect:
        return SO24 if self.description.startswith("24sevenoffice/") else ONGOING

    @property
    def output(self) -> Decl:
        return description(self.description).output(self.name)

    @property
    def record_path(self) -> tuple[str, ...]:
        """Names from the <Op>Result element down to the repeated record element; () if none."""
        (result,) = self.output.type.children
        level: list[tuple[tuple[str, ...], Decl]] = [((), result)]
        while level:
            deeper = []
            for path, decl in level:
                for child in decl.type.children if decl.complex else ():
                    if child.repeated and child.complex:
                        return path + (child.name,)
                    deeper.append((path + (child.name,), child))
            level = deeper
        return ()

    def __str__(self) -> str:
        return f"{self.name} ({self.description.rsplit('/', 1)[-1]})"


def operations() -> list[Operation]:
    """Every operation the clients read, once per real description it is generated from."""
    found = [Operation(name, path) for name, path in SO24_DESCRIPTIONS.items()]
    found += [Operation(name, path) for path in (ONGOING_2024, ONGOING_2017) for name in ONGOING_OPERATIONS]
    return found


# -- the element tree of one reply ------------------------------------------------------------------

@dataclass(eq=False)
class Node:
    name: str
    namespace: str
    decl: Decl | None  # None: an element no description has
    text: str | None = None
    value: Any = None
    children: list[Node] = field(default_factory=list)
    nil: bool = False
    parent_type: str = ""  # the type of the element this one sits in (for naming unknown elements)

    @property
    def complex(self) -> bool:
        return self.decl.complex if self.decl is not None else self.text is None

    def expected(self) -> Any:
        """What the element holds, as Python values (elements no description has are not in it)."""
        if self.nil:
            return None
        if not self.complex:
            return self.value
        held: dict[str, Any] = {}
        for child in self.children:
            if child.decl is None:
                continue
            if child.decl.repeated:
                held.setdefault(child.name, []).append(child.expected())
            else:
                held[child.name] = child.expected()
        return held

    def render(self, parent: etree._Element | None = None) -> etree._Element:
        tag = f"{{{self.namespace}}}{self.name}"
        element = etree.Element(tag, nsmap={None: self.namespace}) if parent is None else etree.SubElement(parent, tag)
        if self.nil:
            element.set(f"{{{XSI}}}nil", "true")
        elif self.text is not None:
            element.text = self.text
        for child in self.children:
            child.render(element)
        return element

    def walk(self, path: tuple[str, ...] = ()) -> Iterator[tuple[Node, tuple[str, ...]]]:
        """Every element below this one (itself included) with its path of names from here."""
        yield self, path
        for child in self.children:
            yield from child.walk(path + (child.name,))


def build(decl: Decl, dialect: Dialect, pick: Picker, *, sparse: bool = False,
          stack: tuple[ComplexType, ...] = (), parent_type: str = "") -> Node:
    """An element of `decl`: every optional element present and two items per array, or (sparse)
    optional elements present at random, 0 to 2 items per array and nillable elements nil at random."""
    node = Node(decl.name, decl.namespace, decl, parent_type=parent_type)
    if sparse and decl.nillable and chance(pick, 6):
        node.nil = True
        return node
    if not decl.complex:
        node.text, node.value = value_for(decl.name, decl.type, dialect, pick)
        return node
    xsd_type = decl.type
    for child in xsd_type.children:
        if child.complex and stack.count(child.type) >= RECURSION:
            if not child.optional:
                raise NotImplementedError(f"{xsd_type.name}.{child.name} nests itself without end")
            continue
        if sparse:
            count = pick.below(3) if child.repeated else int(not child.optional or not chance(pick, 4))
        else:
            count = 2 if child.repeated else 1
        node.children.extend(build(child, dialect, pick, sparse=sparse, stack=stack + (xsd_type,),
                                   parent_type=xsd_type.name) for _ in range(count))
    return node


def in_schema_order(node: Node) -> bool:
    """Whether every complex element's known children are elements of its type, in its sequence's order."""
    for element, _ in node.walk():
        if element.complex and element.decl is not None and not element.nil:
            declared = element.decl.type.children
            known = [child.decl for child in element.children if child.decl is not None]
            if any(decl not in declared for decl in known):
                return False
            positions = [declared.index(decl) for decl in known]
            if positions != sorted(positions):
                return False
    return True


# -- replies ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    operation: Operation
    label: str
    envelope: bytes
    result: Any  # what <Op>Result holds; None when it is absent
    valid: bool  # whether it matches the real schema
    unknown: Mapping[str, int]  # elements no description has, by "<ParentType>.<name>"
    record_labels: tuple[str, ...] = ()  # a batched reply: the variant each record carries

    @property
    def records(self) -> list[Any]:
        """The expected records (dicts; None for a nil record), in order."""
        return records_in(self.result, self.operation.record_path)

    def __str__(self) -> str:
        return f"{self.operation} {self.label}"


def keeping_records(reply: Reply, kept: list[int], label: str) -> Reply:
    """The reply with only the records at these indexes, the others left out of the XML and of the values
    held (for a reply without elements no description has: their counts would change)."""
    if reply.unknown:
        raise ValueError(f"{reply} has unknown elements")
    path = reply.operation.record_path
    parent = ((reply.operation.output.type.children[0].name,) + path)[-2]
    document = etree.fromstring(reply.envelope)
    found = [node for node in document.iter(f"{{*}}{path[-1]}") if etree.QName(node.getparent()).localname == parent]
    for index, node in enumerate(found):
        if index not in kept:
            node.getparent().remove(node)
    result = dict(reply.result)
    holder = result
    for name in path[:-1]:
        holder[name] = holder = dict(holder[name])
    holder[path[-1]] = [reply.records[index] for index in kept]
    labels = tuple(reply.record_labels[index] for index in kept) if reply.record_labels else ()
    return Reply(reply.operation, f"{reply.label} ({label})", etree.tostring(document), result, reply.valid,
                 reply.unknown, labels)


def records_in(result: Any, path: tuple[str, ...]) -> list[Any]:
    value = result
    for name in path:
        if not isinstance(value, dict) or name not in value:
            return []
        value = value[name]
    return list(value) if path else []


def envelope_of(response: Node) -> bytes:
    root = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soap": SOAP11, "xsi": XSI, "xsd": XSD})
    body = etree.SubElement(root, f"{{{SOAP11}}}Body")
    body.append(response.render())
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def reply_of(operation: Operation, label: str, shown: Node, meant: Node | None = None,
             record_labels: tuple[str, ...] = ()) -> Reply:
    """The reply rendering `shown`, holding what `meant` holds (default: `shown`)."""
    held = (meant or shown).expected()
    result = held.get(operation.output.type.children[0].name)
    unknown = Counter(f"{child.parent_type}.{child.name}" for node, _ in shown.walk() if node.decl is not None
                      for child in node.children if child.decl is None)
    valid = not unknown and in_schema_order(shown)
    return Reply(operation, label, envelope_of(shown), result, valid, dict(unknown), record_labels)


@functools.cache
def replies(operation: Operation) -> tuple[Reply, ...]:
    """The systematic variants of the operation's replies (deterministic)."""
    _check_unknown_names_are_unknown()
    pick = SeededPicker(f"{operation.name} {operation.description}")
    full = build(operation.output, operation.dialect, pick)
    found = [reply_of(operation, "full", full)]
    record_path = operation.record_path
    record_depth = len(record_path) + 1  # below Response: the Result, then the record path

    def outside_records(path: tuple[str, ...]) -> bool:
        return not record_path or len(path) <= record_depth

    for change in element_variants(full, outside_records, label_path):
        found.append(reply_of(operation, change.label, change(full)))
    found.append(reply_of(operation, "unknown", with_unknown(full, pick, record_depth if record_path else -1),
                          meant=full))
    if record_path:  # the wrappers as they are: what a fast reader skips itself
        found.append(reply_of(operation, "unknown inside records",
                              with_unknown(full, pick, record_depth, from_depth=record_depth), meant=full))
    backwards = reordered(full, lambda groups: groups[::-1])
    if not in_schema_order(backwards):  # something to reorder
        found.append(reply_of(operation, "reversed", backwards, meant=full))
    if record_path:
        found.extend(batched(operation, full, record_variants(operation, full, pick)))
    return tuple(found)


def label_path(path: tuple[str, ...]) -> str:
    """An element's path below the <Op>Result element as labels show it (the Result by its own name)."""
    return "/".join(path[1:]) or path[0]


# Trees are not changed once built: a variant is a new tree sharing the unchanged elements.

class ElementChange(NamedTuple):
    """Every element at `path` (names below the tree's root) left out ("absent") or made nil ("nil")."""

    label: str
    path: tuple[str, ...]
    kind: str

    def __call__(self, tree: Node) -> Node:
        return changed_at(tree, self.path, self.kind)


def element_variants(tree: Node, selected: Callable[[tuple[str, ...]], bool],
                     named: Callable[[tuple[str, ...]], str]) -> Iterator[ElementChange]:
    """An "absent <path>" change for each optional element and a "nil <path>" one for each nillable one,
    by schema path (every occurrence of the path changes), for the paths `selected` takes; `named`
    gives a path as labels show it."""
    seen: set[tuple[str, str]] = set()
    for node, path in tree.walk():
        if not path or node.decl is None or not selected(path):
            continue
        shown = named(path)
        for kind, applies in (("absent", node.decl.optional), ("nil", node.decl.nillable)):
            if applies and (kind, shown) not in seen:
                seen.add((kind, shown))
                yield ElementChange(f"{kind} {shown}", path, kind)


def changed_at(node: Node, path: tuple[str, ...], kind: str) -> Node:
    """`node` with every element at `path` (names below it) left out ("absent") or made nil ("nil")."""
    children = []
    for child in node.children:
        if child.name != path[0]:
            children.append(child)
        elif len(path) > 1:
            children.append(changed_at(child, path[1:], kind))
        elif kind == "nil":
            children.append(replace(child, nil=True, text=None, value=None, children=[]))
    return replace(node, children=children)


def with_child(node: Node, address: tuple[int, ...], index: int, child: Node) -> Node:
    """`node` with `child` inserted as child `index` of the element at `address` (child indexes)."""
    children = list(node.children)
    if address:
        children[address[0]] = with_child(children[address[0]], address[1:], index, child)
    else:
        children.insert(index, child)
    return replace(node, children=children)


def with_unknown(node: Node, pick: Picker, record_depth: int, depth: int = 0, from_depth: int = 0) -> Node:
    """FutureField (a simple value) in every complex element from `from_depth` down, at a picked place;
    FutureBlock (with content, a known name among it) in every element at `record_depth`."""
    if not node.complex or node.nil or node.decl is None:
        return node
    children = [with_unknown(child, pick, record_depth, depth + 1, from_depth) for child in node.children]
    if depth < from_depth:
        return replace(node, children=children)
    parent_type = node.decl.type.name
    children.insert(pick.below(len(children) + 1), Node(
        UNKNOWN_FIELD, node.namespace, None, text=choice(pick, ["ny verdi", "2025-01-01", "42"]),
        parent_type=parent_type))
    if depth == record_depth:
        children.insert(pick.below(len(children) + 1), Node(UNKNOWN_BLOCK, node.namespace, None, parent_type=parent_type,
                                                            children=[
            Node("Name", node.namespace, None, text="Skjult navn", parent_type=UNKNOWN_BLOCK),
            Node("Code", node.namespace, None, text="X-1", parent_type=UNKNOWN_BLOCK)]))
    return replace(node, children=children)


def reordered(node: Node, order: Callable[[list[list[Node]]], list[list[Node]]]) -> Node:
    """The children of every complex element rearranged by groups of the same name (so the items of
    one repeated element keep their order and the values held stay the same)."""
    if not node.children:
        return node
    groups: dict[str, list[Node]] = {}
    for child in node.children:
        groups.setdefault(child.name, []).append(reordered(child, order))
    return replace(node, children=[child for group in order(list(groups.values())) for child in group])


class RecordVariant(NamedTuple):
    label: str
    shown: Node
    meant: Node
    valid: bool


def record_variants(operation: Operation, full: Node, pick: Picker) -> Iterator[RecordVariant]:
    """One record of the full reply changed each way (absent, nil, misplaced APIException)."""
    path = (operation.output.type.children[0].name,) + operation.record_path
    record = next(node for node, at in full.walk() if at == path)
    holder = Node("", "", None, children=[record])  # so that paths start at the record's name

    def inside(at: tuple[str, ...]) -> bool:
        return len(at) > 1  # the record itself absent or nil: variants of the whole reply

    def named(at: tuple[str, ...]) -> str:
        return "/".join(operation.record_path[:-1] + at)

    # A large record (Ongoing's Order: about 1,000 elements) carries several changes at once, at paths
    # apart from one another, so that the corpus stays quick to read.
    per_record = max(1, sum(1 for _ in record.walk()) // ELEMENTS_PER_CHANGE)
    groups: list[list[ElementChange]] = []
    for change in element_variants(holder, inside, named):
        group = next((group for group in groups if len(group) < per_record
                      and not any(_overlap(change.path, other.path) for other in group)), None)
        if group is None:
            groups.append([change])
        else:
            group.append(change)
    for group in groups:
        changed = holder
        for change in group:
            changed = change(changed)
        (record_changed,) = changed.children
        yield RecordVariant("; ".join(change.label for change in group), record_changed, record_changed, True)
    if record.decl.type.child(API_EXCEPTION) is not None:
        yield from api_exception_variants(record, pick, operation.record_path)


def _overlap(path: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether one path is the other or inside it."""
    return path[:len(other)] == other or other[:len(path)] == path


def api_exception_variants(record: Node, pick: Picker, record_path: tuple[str, ...]) -> Iterator[RecordVariant]:
    """The record's APIException{Type, Message} at every position of the record and of every
    complex element inside it (`record_path`: the record's path below the Result, for labels)."""
    bare = replace(record, children=[child for child in record.children if child.name != API_EXCEPTION])
    decl = record.decl.type.child(API_EXCEPTION)
    schema_order = record.decl.type.children.index
    at_schema_position = sum(1 for child in bare.children if schema_order(child.decl) < schema_order(decl))
    number = 0
    occurrences: Counter[str] = Counter()
    for target, address, names in addressed(bare):
        if not target.complex or target.nil or target.decl is None:
            continue
        where = "/".join(record_path + names)
        occurrences[where] += 1
        if occurrences[where] > 1:
            where += f"#{occurrences[where]}"
        for index in range(len(target.children) + 1):
            number += 1
            problem = _api_exception(decl, record.decl.type.name, pick, number)
            yield RecordVariant(f"{API_EXCEPTION} {where}@{index}", with_child(bare, address, index, problem),
                                with_child(bare, (), at_schema_position, problem),
                                not address and index == at_schema_position)


def addressed(node: Node, address: tuple[int, ...] = (), names: tuple[str, ...] = ()
              ) -> Iterator[tuple[Node, tuple[int, ...], tuple[str, ...]]]:
    """Every element below `node` (itself included) with its child indexes and names from `node`."""
    yield node, address, names
    for index, child in enumerate(node.children):
        yield from addressed(child, address + (index,), names + (child.name,))


def _api_exception(decl: Decl, record_type: str, pick: Picker, number: int) -> Node:
    node = Node(API_EXCEPTION, decl.namespace, decl, parent_type=record_type)
    for name, text in (("Type", choice(pick, EXCEPTION_TYPES)),
                       ("Message", f"Posten kan ikke lagres: «{number}» er låst & fakturert")):
        child = decl.type.child(name)
        node.children.append(Node(name, child.namespace, child, text=text, value=text, parent_type=decl.type.name))
    return node


def with_records(node: Node, path: tuple[str, ...], records: list[Node]) -> Node:
    """`node` with the elements at `path` (names below it; the last one the record) replaced by `records`."""
    if len(path) == 1:
        return replace(node, children=[child for child in node.children if child.name != path[0]] + records)
    index = next(i for i, child in enumerate(node.children) if child.name == path[0])
    children = list(node.children)
    children[index] = with_records(children[index], path[1:], records)
    return replace(node, children=children)


def batched(operation: Operation, full: Node, variants: Iterator[RecordVariant]) -> Iterator[Reply]:
    """The record variants in replies of up to BATCH records, those that match the schema apart."""
    path = (operation.output.type.children[0].name,) + operation.record_path
    pending: dict[bool, list[RecordVariant]] = {True: [], False: []}

    def reply(group: list[RecordVariant]) -> Reply:
        labels = tuple(v.label for v in group)
        return reply_of(operation, f"records {labels[0]} … {labels[-1]}",
                        with_records(full, path, [v.shown for v in group]),
                        with_records(full, path, [v.meant for v in group]), labels)

    for variant in variants:
        group = pending[variant.valid]
        group.append(variant)
        if len(group) == BATCH:
            yield reply(group)
            group.clear()
    for group in pending.values():
        if group:
            yield reply(group)


# -- drawn by hypothesis ----------------------------------------------------------------------------

def drawn_reply(operation: Operation, pick: Picker) -> Reply:
    """A reply with elements present or absent, nil, reordered and unknown ones added as `pick` chooses."""
    meant = build(operation.output, operation.dialect, pick, sparse=True)
    shown = meant
    if chance(pick, 2):
        shown = reordered(shown, lambda groups: permutation(pick, groups))
    if chance(pick, 2):
        shown = with_unknown(shown, pick, len(operation.record_path) + 1 if operation.record_path else -1)
    return reply_of(operation, "drawn", shown, meant)


# -- what is not a reply of the operation -----------------------------------------------------------

@dataclass(frozen=True)
class NonReply:
    operation: Operation
    label: str
    status: int
    content_type: str
    body: bytes

    def __str__(self) -> str:
        return f"{self.operation} {self.label}"


FAULT = (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><soap:Fault>'
         "<faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. ---&gt; "
         "Object reference not set to an instance of an object.</faultstring><detail/></soap:Fault>"
         "</soap:Body></soap:Envelope>").encode()
HTML = (b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
        b"<body><h1>Service Unavailable</h1><p>The service is down for maintenance.</p></body></html>")


def non_replies(operation: Operation) -> list[NonReply]:
    """HTML (as a 200 and a 503), a cut-off reply, another operation's reply, a SOAP fault."""
    full = replies(operation)[0].envelope
    same_description = [other for other in operations()
                        if other.description == operation.description and other.name != operation.name]
    other = same_description[0] if same_description else next(o for o in operations() if o.name != operation.name)
    return [
        NonReply(operation, "HTML page", 200, "text/html; charset=utf-8", HTML),
        NonReply(operation, "HTML error page", 503, "text/html; charset=utf-8", HTML),
        NonReply(operation, "cut-off reply", 200, "text/xml; charset=utf-8", full[: len(full) * 2 // 3]),
        NonReply(operation, f"reply of {other.name}", 200, "text/xml; charset=utf-8", replies(other)[0].envelope),
        NonReply(operation, "SOAP fault", 500, "text/xml; charset=utf-8", FAULT),
    ]


@functools.cache
def _check_unknown_names_are_unknown() -> None:
    """No real description (nor ours, generated from them) has the names the corpus adds as unknown."""
    for path in sorted(contracts_dir().glob("*/*.wsdl")):
        clash = {UNKNOWN_FIELD, UNKNOWN_BLOCK} & description(str(path.relative_to(contracts_dir()))).element_names
        if clash:
            raise AssertionError(f"{path.name} defines {sorted(clash)}: pick other names for unknown elements")
